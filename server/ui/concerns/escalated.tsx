/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import type { Concern } from '../../concerns/schema.ts';
import { concernsOf } from '../../concerns/service.ts';
import { listGroups } from '../../groups/service.ts';
import { renderPage } from '../shared/layout.tsx';
import { formatTime, loadLookups } from '../shared/lookups.ts';
import { canEdit, ConcernsNav, groupsHref, pickWeek } from './common.tsx';
import { FeedbackForm, FeedbackList, MemberList } from './group-card.tsx';

/** 下级上报: groups the child orgs escalated to my org, every week, with the feedback form (逐级反馈). */
const app = new Hono<AppEnv>();

app.get('/groups/escalated', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const week = pickWeek(deps, c.req.query('week'));
  const [groups, names] = await Promise.all([listGroups({ deps, actor: user, query: { queue: 'escalated' } }), loadLookups(deps)]);
  groups.sort((a, b) => (b.escalatedAt ?? '').localeCompare(a.escalatedAt ?? '') || a.id.localeCompare(b.id));
  const members = new Map<string, Concern[]>();
  for (const g of groups) {
    const list = await Promise.all(g.concernIds.map((id) => concernsOf(deps).get(id)));
    members.set(g.id, list.filter((cn): cn is Concern => cn !== undefined));
  }
  const csrf = c.var.session?.csrf ?? '';
  const editor = canEdit(user);
  const waiting = groups.filter((g) => !g.feedback.some((f) => f.fromOrgId === user.orgId)).length;
  const body = (
    <>
      <div class="page-head">
        <h1>下级上报</h1>
        <p class="meta">
          上报至{names.orgName(user.orgId)}的分组 {groups.length} 个，待反馈 {waiting} 个
        </p>
      </div>
      <ConcernsNav current="escalated" week={week} />
      {groups.length === 0 && <p class="empty">下级组织还没有上报分组。</p>}
      {groups.map((g) => {
        const answered = g.feedback.some((f) => f.fromOrgId === user.orgId);
        return (
          <article class="card" aria-labelledby={`q-${g.id}`} data-escalated={g.id}>
            <h2 id={`q-${g.id}`}>
              {g.title} <span class="count">{g.concernIds.length} 条</span> <span class="status">{answered ? '已反馈' : '待反馈'}</span>
            </h2>
            <p class="meta">
              {names.orgName(g.orgId)} · <a href={`${groupsHref(g.week)}#g-${g.id}`}>{g.week}</a> · 上报于 {formatTime(g.escalatedAt)}
            </p>
            {g.escalationNote && <p>上报说明：{g.escalationNote}</p>}
            {g.decision && <p>会办决定：{g.decision}</p>}
            <details>
              <summary>查看关切</summary>
              <MemberList members={members.get(g.id) ?? []} />
            </details>
            <FeedbackList group={g} names={names} />
            {editor && <FeedbackForm group={g} week={g.week} csrf={csrf} back="escalated" />}
          </article>
        );
      })}
    </>
  );
  return renderPage(c, { title: '下级上报', nav: 'concerns', body });
});

export default app;
