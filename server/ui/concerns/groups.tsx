/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import type { Org } from '../../orgs/schema.ts';
import { concernsOf } from '../../concerns/service.ts';
import type { Group } from '../../groups/schema.ts';
import { groupsOf, listGroups } from '../../groups/service.ts';
import { suggestGroups } from '../../groups/suggest.ts';
import { renderPage } from '../shared/layout.tsx';
import { formatTime, loadLookups } from '../shared/lookups.ts';
import { canEdit, ConcernsNav, Csrf, pickWeek, WeekField } from './common.tsx';
import { ContinuesFrom, FeedbackForm, FeedbackList, MemberList, MoveForm } from './group-card.tsx';

const app = new Hono<AppEnv>();
const counts = (list: { name: string; count: number }[]) => list.map((x) => `${x.name} ${x.count}`).join('、') || '—';

app.get('/groups', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const week = pickWeek(deps, c.req.query('week'));
  const [suggested, groups, names, weekConcerns] = await Promise.all([
    suggestGroups({ deps, actor: user, week }),
    listGroups({ deps, actor: user, query: { week } }),
    loadLookups(deps),
    concernsOf(deps).list((cn) => cn.week === week),
  ]);
  const byId = new Map(weekConcerns.map((cn) => [cn.id, cn]));
  const previous = new Map<string, Group>();
  for (const id of new Set(groups.map((g) => g.continuesFrom).filter((id) => id !== undefined))) {
    const prev = await groupsOf(deps).get(id);
    if (prev) previous.set(id, prev);
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
      <form method="get" action="/workbench/groups" class="filters card" aria-label="选择周">
        <WeekField value={week} />
        <button type="submit">查看</button>
      </form>

      <section aria-labelledby="suggested-title">
        <h2 id="suggested-title">
          建议分组 <span class="count">{suggested.groups.length}</span>
        </h2>
        {suggested.groups.length === 0 && <p class="empty">本周没有待分组的关切。</p>}
        {suggested.groups.map((g, i) => (
          <article class="card" aria-labelledby={`sg-${i}`} data-suggestion>
            <h3 id={`sg-${i}`}>
              {g.title} <span class="count">{g.size} 条</span>
            </h3>
            <p class="meta">
              类别：{counts(g.categories)}；区县：{counts(g.districts)}
              {g.continuesFrom && `；可能延续上周「${g.continuesFrom.title}」`}
            </p>
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
                    <input type="checkbox" id={`sg-cont-${i}`} name="continuesFrom" value={g.continuesFrom.id} checked /> 延续上周「{g.continuesFrom.title}」
                  </label>
                )}
                <button type="submit" class="primary">
                  接受
                </button>
              </form>
            )}
          </article>
        ))}
        {suggested.ungrouped.length > 0 && <p class="meta">另有 {suggested.ungrouped.length} 条关切未归入任何建议分组。</p>}
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
                  <form method="post" action={`/workbench/groups/${g.id}/update?week=${week}`} class="stack">
                    <Csrf token={csrf} />
                    <input type="hidden" name="version" value={String(g.version)} />
                    <label for={`title-${g.id}`}>标题</label>
                    <input id={`title-${g.id}`} name="title" value={g.title} maxlength={100} required />
                    <label for={`decision-${g.id}`}>会办决定</label>
                    <textarea id={`decision-${g.id}`} name="decision" rows={2} maxlength={2000}>
                      {g.decision}
                    </textarea>
                    <p>
                      <button type="submit">保存</button>
                    </p>
                  </form>
                  <div class="actions">
                    {deps.kinds.list
                      .filter((k) => k.fromGroup)
                      .map((k, n) => (
                        <form method="post" action={`/workbench/groups/${g.id}/items?week=${week}`} class="inline">
                          <Csrf token={csrf} />
                          <input type="hidden" name="kind" value={k.kind} />
                          <button type="submit" class={n === 0 ? 'primary' : undefined}>
                            起草{k.label}
                          </button>
                        </form>
                      ))}
                  </div>
                  {others.length > 0 && (
                    <form method="post" action={`/workbench/groups/${g.id}/merge?week=${week}`} class="row">
                      <Csrf token={csrf} />
                        <label for={`merge-${g.id}`}>把分组并入本组</label>
                      <select id={`merge-${g.id}`} name="from" class="grow">
                        {others.map((o) => (
                          <option value={o.id}>{`${o.title}（${o.concernIds.length} 条）`}</option>
                        ))}
                      </select>
                      <button type="submit">合并</button>
                    </form>
                  )}
                  {mine && parent && !g.escalatedTo && (
                    <form method="post" action={`/workbench/groups/${g.id}/escalate?week=${week}`} class="row">
                      <Csrf token={csrf} />
                        <label for={`note-${g.id}`}>上报说明</label>
                      <input id={`note-${g.id}`} name="note" maxlength={2000} class="grow" />
                      <button type="submit">上报{names.orgName(parent)}</button>
                    </form>
                  )}
                  {!mine && <FeedbackForm group={g} week={week} csrf={csrf} />}
                </>
              )}
            </article>
          );
        })}
      </section>
    </>
  );
  return renderPage(c, { title: '每周会办', nav: 'concerns', body });
});

export default app;
