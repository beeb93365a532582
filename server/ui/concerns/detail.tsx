/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { ValidationError } from '../../errors.ts';
import { parseIsoDateTime } from '../../concerns/fields.ts';
import { CONCERN_STATUSES, PLATFORM_LABELS, STATUS_LABELS, type ConcernStatus } from '../../concerns/schema.ts';
import { forgetAuthor, getConcern, isOverdue } from '../../concerns/service.ts';
import { transitionConcern } from '../../concerns/transitions.ts';
import { groupsOf, listGroups } from '../../groups/service.ts';
import { renderPage } from '../shared/layout.tsx';
import { formatTime, loadLookups } from '../shared/lookups.ts';
import { formAction, one } from '../shared/forms.ts';
import { canEdit, concernHref, ConcernsNav, Csrf, groupsHref } from './common.tsx';

const app = new Hono<AppEnv>();
const RANK: Record<ConcernStatus, number> = { received: 0, answered: 1, handled: 2, replied: 3, closed: 4 };
const ACTION_LABELS: Record<ConcernStatus, string> = { received: '退回「已收集」', answered: '标记已回应', handled: '记录线下办理', replied: '标记已回复网民', closed: '关闭' };

app.get('/concerns/:id', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const cn = await getConcern({ deps, actor: user, id: c.req.param('id') });
  const [names, group] = await Promise.all([loadLookups(deps), cn.groupId ? groupsOf(deps).get(cn.groupId) : undefined]);
  // 加入分组: the groups of the concern's week that the user may edit.
  const weekGroups = !cn.groupId && canEdit(user) ? await listGroups({ deps, actor: user, query: { week: cn.week } }) : [];
  const csrf = c.var.session?.csrf ?? '';
  const overdue = isOverdue(cn, deps.clock(), deps.config.responseDays);
  // forward steps first; going back (or reopening) comes last and needs a reason
  const targets = [...CONCERN_STATUSES.filter((s) => RANK[s] > RANK[cn.status]), ...CONCERN_STATUSES.filter((s) => RANK[s] < RANK[cn.status])];
  const row = (label: string, value: unknown) => (
    <tr>
      <th scope="row">{label}</th>
      <td>{value}</td>
    </tr>
  );
  const body = (
    <>
      <div class="page-head">
        <h1>关切详情</h1>
        <span class={`status concern-${cn.status}`}>{STATUS_LABELS[cn.status]}</span>
      </div>
      <ConcernsNav current="list" week={cn.week} />
      {overdue && (
        <p class="note overdue-note" role="status">
          已超过 {deps.config.responseDays} 天未回应
        </p>
      )}
      <section class="card" aria-labelledby="cn-text">
        <h2 id="cn-text">内容</h2>
        <blockquote>{cn.text}</blockquote>
        <table class="list">
          <caption class="sr-only">关切信息</caption>
          <tbody>
            {row('来源平台', PLATFORM_LABELS[cn.source.platform] ?? cn.source.platform)}
            {row('来源链接', cn.source.url ? <a href={cn.source.url} rel="noopener noreferrer nofollow">{cn.source.url}</a> : '—')}
            {row('作者账号', cn.source.author ?? '—（未记录或已删除）')}
            {row('类别', cn.category)}
            {row('区县', cn.district)}
            {row('组织', names.orgName(cn.orgId))}
            {row('登记人', names.userName(cn.capturedBy))}
            {row('收集时间', formatTime(cn.capturedAt))}
            {row('周', cn.week)}
            {row('重复', cn.duplicateOf ? <a href={concernHref({ id: cn.duplicateOf })}>与本周已有关切重复</a> : '否')}
            {row('分组', group ? <a href={groupsHref(group.week)}>{group.title}</a> : '未分组')}
            {cn.answer && row('回应', <>{cn.answer.via === 'item' && cn.answer.url ? <>已发布稿件：<a href={cn.answer.url}>{cn.answer.note}</a></> : cn.answer.note}（{formatTime(cn.answer.at)}）</>)}
            {cn.handling && row('办理', `${cn.handling.who}：${cn.handling.what}（${formatTime(cn.handling.when)}）`)}
            {cn.reply && row('回复网民', `${cn.reply.note}（${formatTime(cn.reply.at)}）`)}
            {cn.closedReason && row('关闭原因', cn.closedReason)}
          </tbody>
        </table>
        {cn.source.author && canEdit(user) && (
          <form method="post" action={`/workbench/concerns/${cn.id}/forget`} class="actions">
            <Csrf token={csrf} />
            <button type="submit" class="danger">
              删除作者信息
            </button>
            <span class="hint">应本人要求删除作者账号；内容与统计保留。</span>
          </form>
        )}
      </section>
      {!cn.groupId && canEdit(user) && (
        <section class="card" aria-labelledby="cn-group" data-add-to-group>
          <h2 id="cn-group">加入分组</h2>
          <form method="post" action={`/workbench/groups/ungrouped?${new URLSearchParams({ week: cn.week, next: concernHref(cn) })}`} class="stack" data-guard>
            <Csrf token={csrf} />
            <input type="hidden" name="week" value={cn.week} />
            <input type="hidden" name="concernIds" value={cn.id} />
            {weekGroups.length > 0 && (
              <div class="row">
                <label for="cn-to">本周分组</label>
                <select id="cn-to" name="to" class="grow">
                  {weekGroups.map((g) => (
                    <option value={g.id}>{`${g.title}（${g.concernIds.length} 条）`}</option>
                  ))}
                </select>
                <button type="submit" name="mode" value="add">
                  加入分组
                </button>
              </div>
            )}
            <div class="row">
              <label for="cn-new">或新建分组</label>
              <input id="cn-new" name="title" maxlength={100} class="grow" placeholder="新分组标题" />
              <button type="submit" name="mode" value="new">
                新建分组
              </button>
            </div>
          </form>
        </section>
      )}
      {cn.feedback.length > 0 && (
        <section class="card" aria-labelledby="cn-feedback">
          <h2 id="cn-feedback">上级反馈</h2>
          <ul class="timeline">
            {cn.feedback.map((f) => (
              <li>
                <time datetime={f.at}>{formatTime(f.at)}</time>
                {names.orgName(f.fromOrgId)}：{f.text}
              </li>
            ))}
          </ul>
        </section>
      )}
      {canEdit(user) && (
        <section class="card" aria-labelledby="cn-actions">
          <h2 id="cn-actions">更新状态（听—答—办—复）</h2>
          <form method="post" action={`/workbench/concerns/${cn.id}/transition`} class="stack">
            <Csrf token={csrf} />
            <input type="hidden" name="version" value={String(cn.version)} />
            <fieldset class="checks stacked">
              <legend>新状态</legend>
              {targets.map((s) => (
                <label for={`to-${s}`}>
                  <input type="radio" id={`to-${s}`} name="to" value={s} required /> {ACTION_LABELS[s]}
                  {RANK[s] < RANK[cn.status] && '（退回，需写明原因）'}
                </label>
              ))}
            </fieldset>
            <label for="comment">说明（回应内容、回复结果、关闭或退回原因）</label>
            <textarea id="comment" name="comment" rows={2} maxlength={2000}></textarea>
            <fieldset>
              <legend>线下办理（选择「记录线下办理」时填写）</legend>
              <label for="who">谁办理</label>
              <input id="who" name="who" maxlength={200} />
              <label for="what">做了什么</label>
              <input id="what" name="what" maxlength={2000} />
              <label for="when">何时</label>
              <input id="when" name="when" type="datetime-local" />
            </fieldset>
            <p>
              <button type="submit" class="primary">
                更新状态
              </button>
            </p>
          </form>
        </section>
      )}
      <section class="card" aria-labelledby="cn-history">
        <h2 id="cn-history">处理记录</h2>
        <ol class="timeline">
          {cn.history.map((h) => (
            <li>
              <time datetime={h.at}>{formatTime(h.at)}</time>
              {names.userName(h.actorId)}：{h.from ? `${STATUS_LABELS[h.from]} → ` : ''}
              {STATUS_LABELS[h.to]}
              {h.comment && <blockquote>{h.comment}</blockquote>}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
  return renderPage(c, { title: '关切详情', nav: 'concerns', body });
});

app.post('/concerns/:id/transition', (c) => {
  const id = c.req.param('id');
  const deps = c.var.deps;
  return formAction(c, concernHref({ id }), async ({ user, form }) => {
    const to = one(form, 'to') as ConcernStatus;
    if (!CONCERN_STATUSES.includes(to)) throw ValidationError.field('to', '请选择新状态');
    const comment = one(form, 'comment').trim();
    let action;
    if (to === 'handled') {
      const when = one(form, 'when').trim();
      const at = when ? parseIsoDateTime(when) : deps.clock();
      if (!at) throw ValidationError.field('action.when', `不是有效时间：“${when}”`);
      const who = one(form, 'who').trim();
      const what = one(form, 'what').trim();
      if (!who) throw ValidationError.field('action.who', '请写明谁办理');
      if (!what) throw ValidationError.field('action.what', '请写明做了什么');
      action = { who, what, when: at.toISOString() };
    }
    const version = Number(one(form, 'version')) || undefined;
    await transitionConcern({ deps, actor: user, id, input: { to, ...(comment ? { comment } : {}), ...(action ? { action } : {}), ...(version ? { version } : {}) } });
    return { ok: `已更新为「${STATUS_LABELS[to]}」` };
  });
});

app.post('/concerns/:id/forget', (c) => {
  const id = c.req.param('id');
  return formAction(c, concernHref({ id }), async ({ user }) => {
    await forgetAuthor({ deps: c.var.deps, actor: user, id });
    return { ok: '已删除作者信息，内容与统计保留' };
  });
});

export default app;
