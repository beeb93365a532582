/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import type { Org } from '../../orgs/schema.ts';
import { visibleOrgIds } from '../../concerns/access.ts';
import { concernsOf } from '../../concerns/service.ts';
import type { Concern } from '../../concerns/schema.ts';
import type { Group } from '../../groups/schema.ts';
import { groupsOf, listGroups } from '../../groups/service.ts';
import { lastUndoable } from '../../groups/desk.ts';
import { suggestGroups } from '../../groups/suggest.ts';
import { renderPage } from '../shared/layout.tsx';
import { formatTime, loadLookups } from '../shared/lookups.ts';
import { canEdit, concernHref, ConcernsNav, Csrf, groupsHref, pickWeek, WeekArrows, WeekField } from './common.tsx';
import { ContinuesFrom, FeedbackForm, FeedbackList, MemberList, MoveForm } from './group-card.tsx';
import { UndoBar, UngroupedForm } from './ungrouped.tsx';

/** Concerns of this org held by another org's group: which org, which group, and each concern's page. */
function ElsewhereList({ concerns, holders, orgName }: { concerns: Concern[]; holders: Map<string, Group>; orgName: (id: string) => string }) {
  return (
    <ul class="rows">
      {concerns.map((cn) => {
        const holder = holders.get(cn.groupId!);
        return (
          <li>
            <a href={concernHref(cn)}>{cn.text.length > 60 ? `${cn.text.slice(0, 60)}…` : cn.text}</a>
            <span class="meta">{holder ? `${orgName(holder.orgId)}：${holder.title}` : '分组已不可见'}</span>
          </li>
        );
      })}
    </ul>
  );
}

const app = new Hono<AppEnv>();
const counts = (list: { name: string; count: number }[]) => list.map((x) => `${x.name} ${x.count}`).join('、') || '—';

app.get('/groups', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const week = pickWeek(deps, c.req.query('week'));
  const [suggested, groups, names, weekConcerns, undo] = await Promise.all([
    suggestGroups({ deps, actor: user, week }),
    listGroups({ deps, actor: user, query: { week } }),
    loadLookups(deps),
    concernsOf(deps).list((cn) => cn.week === week),
    lastUndoable({ deps, actor: user, week }),
  ]);
  const byId = new Map(weekConcerns.map((cn) => [cn.id, cn]));
  const previous = new Map<string, Group>();
  for (const id of new Set(groups.map((g) => g.continuesFrom).filter((id) => id !== undefined))) {
    const prev = await groupsOf(deps).get(id);
    if (prev) previous.set(id, prev);
  }
  // The week's concerns of this org that a group of another org holds (a parent grouped them across its
  // districts): listed at the end, so the desk accounts for every concern the concerns page counts.
  const scope = await visibleOrgIds(deps, user);
  const onDesk = new Set([...groups, ...suggested.groups].flatMap((g) => g.concernIds).concat(suggested.ungrouped.map((u) => u.id)));
  const elsewhere = weekConcerns.filter((cn) => scope.has(cn.orgId) && cn.groupId && !onDesk.has(cn.id));
  const holders = new Map<string, Group>();
  for (const id of new Set(elsewhere.map((cn) => cn.groupId!))) {
    const holder = await groupsOf(deps).get(id);
    if (holder) holders.set(id, holder);
  }
  const orgs = new Map(names.orgs.map((o): [string, Org] => [o.id, o]));
  const csrf = c.var.session?.csrf ?? '';
  const editor = canEdit(user);
  const body = (
    <>
      <div class="page-head">
        <h1>每周会办</h1>
        <p class="meta">{week}</p>
      </div>
      <ConcernsNav current="groups" week={week} />
      <WeekArrows week={week} href={groupsHref} />
      <form method="get" action="/workbench/groups" class="filters card" aria-label="选择周">
        <WeekField value={week} />
        <button type="submit">查看</button>
      </form>

      {editor && undo && <UndoBar undo={undo} week={week} csrf={csrf} />}
      <section aria-labelledby="suggested-title">
        <h2 id="suggested-title">
          建议分组 <span class="count">{suggested.groups.length}</span>
        </h2>
        {suggested.groups.length === 0 && (
          <p class="empty">{suggested.ungrouped.length === 0 ? '本周没有待分组的关切。' : `没有建议分组；下面 ${suggested.ungrouped.length} 条未分组的关切可以手动归类。`}</p>
        )}
        {suggested.groups.map((g, i) => (
          <article class="card" aria-labelledby={`sg-${i}`} data-suggestion>
            <h3 id={`sg-${i}`}>
              {g.title} <span class="count">{g.size} 条</span>
            </h3>
            <p class="meta">
              类别：{counts(g.categories)}；区县：{counts(g.districts)}
              {g.continuesFrom && `；可能延续上周「${g.continuesFrom.title}」`}
            </p>
            {g.keywords.length > 0 && (
              <p class="keywords" data-keywords>
                共同关键词：
                {g.keywords.map((k) => (
                  <mark>{k}</mark>
                ))}
              </p>
            )}
            {g.quotes.map((q) => (
              <blockquote>{q}</blockquote>
            ))}
            {editor && (
              <form method="post" action={`/workbench/groups/accept?week=${week}`} class="row">
                <Csrf token={csrf} />
                <input type="hidden" name="week" value={week} />
                {g.concernIds.map((id) => (
                  <input type="hidden" name="concernIds" value={id} />
                ))}
                <label for={`sg-title-${i}`} class="sr-only">
                  分组标题（可改名）
                </label>
                <input id={`sg-title-${i}`} name="title" value={g.title.slice(0, 100)} maxlength={100} class="grow" />
                {g.continuesFrom && (
                  <label for={`sg-cont-${i}`}>
                    <input type="checkbox" id={`sg-cont-${i}`} name="continuesFrom" value={g.continuesFrom.id} checked /> 延续上周「{g.continuesFrom.title}」（保留为同一件事）
                  </label>
                )}
                <button type="submit" class="primary">
                  接受
                </button>
              </form>
            )}
          </article>
        ))}
      </section>

      <section aria-labelledby="ungrouped-title" data-ungrouped>
        <h2 id="ungrouped-title">
          未分组的关切 <span class="count">{suggested.ungrouped.length}</span>
        </h2>
        {suggested.ungrouped.length === 0 ? (
          <p class="empty">本周每条关切都已在分组或建议分组中。</p>
        ) : editor ? (
          <UngroupedForm concerns={suggested.ungrouped.map((u) => byId.get(u.id)).filter((cn) => cn !== undefined)} groups={groups} week={week} csrf={csrf} />
        ) : (
          <MemberList members={suggested.ungrouped.map((u) => byId.get(u.id)).filter((cn) => cn !== undefined)} />
        )}
      </section>

      <section aria-labelledby="accepted-title">
        <h2 id="accepted-title">
          已确认分组 <span class="count">{groups.length}</span>
        </h2>
        {groups.length === 0 && <p class="empty">本周还没有确认的分组。</p>}
        {groups.map((g) => {
          const members = g.concernIds.map((id) => byId.get(id)).filter((cn) => cn !== undefined);
          const others = groups.filter((o) => o.id !== g.id && o.orgId === g.orgId);
          const parent = orgs.get(g.orgId)?.parentId;
          const mine = g.orgId === user.orgId;
          return (
            <article class="card" aria-labelledby={`g-${g.id}`} data-group={g.id}>
              <h3 id={`g-${g.id}`}>
                {g.title} <span class="count">{g.concernIds.length} 条</span>
              </h3>
              <p class="meta">
                {names.orgName(g.orgId)}
                {g.escalatedTo && `；已上报至${names.orgName(g.escalatedTo)}（${formatTime(g.escalatedAt)}）${g.escalationNote ? `：${g.escalationNote}` : ''}`}
                {g.itemIds.length > 0 && `；已起草或发布稿件 ${g.itemIds.length} 篇`}
              </p>
              {g.continuesFrom && <ContinuesFrom previous={previous.get(g.continuesFrom)} />}
              <details>
                <summary>{editor ? '查看关切（可移动、拆分）' : '查看关切'}</summary>
                {editor ? <MoveForm group={g} members={members} others={others} week={week} csrf={csrf} /> : <MemberList members={members} />}
              </details>
              <FeedbackList group={g} names={names} />
              {!editor && g.decision && <p>会办决定：{g.decision}</p>}
              {editor && (
                <>
                  <form method="post" action={`/workbench/groups/${g.id}/update?week=${week}`} class="stack" data-guard>
                    <Csrf token={csrf} />
                    <input type="hidden" name="version" value={String(g.version)} />
                    <label for={`title-${g.id}`}>标题</label>
                    <input id={`title-${g.id}`} name="title" value={g.title} maxlength={100} required />
                    <label for={`decision-${g.id}`}>会办决定</label>
                    <textarea id={`decision-${g.id}`} name="decision" rows={2} maxlength={2000}>
                      {g.decision}
                    </textarea>
                    <p class="actions">
                      <button type="submit">保存</button>
                      {/* Same form: drafting saves the typed title and decision first. */}
                      {deps.kinds.list
                        .filter((k) => k.fromGroup)
                        .map((k, n) => (
                          <button type="submit" class={n === 0 ? 'primary' : undefined} formaction={`/workbench/groups/${g.id}/items?week=${week}`} name="kind" value={k.kind}>
                            起草{k.label}
                          </button>
                        ))}
                    </p>
                  </form>
                  {others.length > 0 && (
                    <form method="post" action={`/workbench/groups/${g.id}/merge?week=${week}`} class="row">
                      <Csrf token={csrf} />
                        <label for={`merge-${g.id}`}>把分组并入本组</label>
                      <select id={`merge-${g.id}`} name="from" class="grow">
                        {others.map((o) => (
                          <option value={o.id}>{`${o.title}（${o.concernIds.length} 条）`}</option>
                        ))}
                      </select>
                      <button type="submit" data-confirm="确定把所选分组并入本组吗？合并后可在页面顶部撤销。">合并</button>
                    </form>
                  )}
                  {mine && parent && !g.escalatedTo && (
                    <form method="post" action={`/workbench/groups/${g.id}/escalate?week=${week}`} class="row">
                      <Csrf token={csrf} />
                        <label for={`note-${g.id}`}>上报说明</label>
                      <input id={`note-${g.id}`} name="note" maxlength={2000} class="grow" />
                      <button type="submit" data-confirm={`确定上报${names.orgName(parent)}吗？上报后可在页面顶部撤销。`}>上报{names.orgName(parent)}</button>
                    </form>
                  )}
                  {!mine && <FeedbackForm group={g} week={week} csrf={csrf} />}
                </>
              )}
            </article>
          );
        })}
      </section>

      {elsewhere.length > 0 && (
        <section aria-labelledby="elsewhere-title" data-elsewhere>
          <h2 id="elsewhere-title">
            在其他组织分组中的关切 <span class="count">{elsewhere.length}</span>
          </h2>
          <ElsewhereList concerns={elsewhere} holders={holders} orgName={names.orgName} />
        </section>
      )}
    </>
  );
  return renderPage(c, { title: '每周会办', nav: 'concerns', body });
});

export default app;

