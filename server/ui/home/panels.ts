import type { Deps } from '../../context.ts';
import { hasRole } from '../../auth/permissions.ts';
import { descendantIds } from '../../orgs/service.ts';
import { itemsOf } from '../../content/service.ts';
import { STATUS_LABELS, type Item } from '../../content/schema.ts';
import { itemPath } from '../../content/snapshot.ts';
import { isOverdue } from '../../concerns/service.ts';
import { PLATFORM_LABELS, STATUS_LABELS as CONCERN_STATUS_LABELS, type Concern } from '../../concerns/schema.ts';
import { isoWeekOf } from '../../concerns/week.ts';
import { responseRate, responseRateBy } from '../../reports/service.ts';
import type { User } from '../../users/schema.ts';

/** One line in a home panel. */
export interface PanelRow {
  /** Omitted for rows that have no workbench page yet (shown as text). */
  href?: string;
  title: string;
  meta: string;
  /** A second link on the row (the public page that answered a concern). */
  extra?: { href: string; text: string };
}

/** A box on the 工作台 home page. `load` returns null to hide the panel for this user. */
export interface HomePanel {
  id: string;
  title: string;
  /** Lower comes first. */
  order: number;
  empty: string;
  moreHref?: string;
  load(args: { deps: Deps; user: User }): Promise<PanelRow[] | null>;
}

const LIMIT = 8;
const byUpdated = (a: Item, b: Item) => b.updatedAt.localeCompare(a.updatedAt);
/** China time (UTC+8), which is what the teams read, whatever the server's zone. */
const when = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** What happened to a concern, in a few words, for its logger: the answer, the handling, the reply, the latest feedback. */
function whatHappened(c: Concern): string {
  const parts: string[] = [];
  if (c.status === 'handled' && c.handling) parts.push(`${c.handling.who}：${c.handling.what}`);
  if (c.status === 'replied' && c.reply) parts.push(`已回复网民：${c.reply.note}`);
  if (c.status === 'answered' && c.answer?.via === 'online' && c.answer.note) parts.push(c.answer.note);
  const feedback = c.feedback.at(-1);
  if (feedback) parts.push(`上级反馈：${feedback.text.replace(/^周报反馈：/, '')}`);
  return parts.map((p) => `${p.length > 40 ? `${p.slice(0, 40)}…` : p} · `).join('');
}

/** A path of the public site as a full link. */
const publicUrl = (deps: Deps, path: string) => (/^https?:/.test(path) ? path : `${deps.config.siteUrl.replace(/\/$/, '')}${path}`);

export const editHref = (item: Pick<Item, 'id'>) => `/workbench/items/${item.id}/edit`;
export const reviewHref = (item: Pick<Item, 'id'>) => `/workbench/review/${item.id}`;

/** The first rows of a panel; `total` carries how many there are in all (the badge counts those, not the rows shown). */
function rows(items: Item[], href: (item: Item) => string, meta: (item: Item) => string): PanelRow[] & { total?: number } {
  return Object.assign(items.sort(byUpdated).slice(0, LIMIT).map((item) => ({ href: href(item), title: item.title, meta: meta(item) })), { total: items.length });
}

/**
 * The panels of the home page. Other domains add theirs (e.g. concerns waiting for an answer)
 * with `homePanels.push({...})` from their module, like demoSeeders.
 */
export const homePanels: HomePanel[] = [
  {
    id: 'my-drafts',
    title: '我的草稿',
    order: 10,
    empty: '没有草稿。',
    moreHref: '/workbench/items?status=draft&mine=1',
    async load({ deps, user }) {
      if (!hasRole(user, 'editor')) return null;
      const items = await itemsOf(deps).list((i) => i.authorId === user.id && i.status === 'draft');
      return rows(items, editHref, (i) => `${deps.kinds.label(i.kind)} · 更新于 ${when(i.updatedAt)}`);
    },
  },
  {
    id: 'sent-back',
    title: '退回给我修改',
    order: 20,
    empty: '没有被退回的稿件。',
    async load({ deps, user }) {
      if (!hasRole(user, 'editor')) return null;
      const items = await itemsOf(deps).list((i) => i.status === 'changes-requested' && (i.authorId === user.id || i.lastEditorId === user.id));
      return rows(items, editHref, (i) => `审核意见：${[...i.history].reverse().find((h) => h.to === 'changes-requested')?.comment ?? '—'}`);
    },
  },
  {
    id: 'to-review',
    title: '等我审核',
    order: 30,
    empty: '没有待审核的稿件。',
    moreHref: '/workbench/review',
    async load({ deps, user }) {
      if (!hasRole(user, 'reviewer')) return null;
      const scope = await descendantIds({ deps, id: user.orgId });
      const items = await itemsOf(deps).list((i) => (i.status === 'in-review' || (i.status === 'published' && Boolean(i.pendingCorrection))) && scope.has(i.orgId) && i.authorId !== user.id && i.lastEditorId !== user.id && !(i.editorsSinceApproval ?? []).includes(user.id));
      return rows(items, reviewHref, (i) => `${deps.kinds.label(i.kind)} · 提交于 ${when(i.updatedAt)}`);
    },
  },
  {
    id: 'recently-published',
    title: '最近发布',
    order: 40,
    empty: '还没有发布的稿件。',
    moreHref: '/workbench/items?status=published',
    async load({ deps, user }) {
      const items = await itemsOf(deps).list((i) => i.status === 'published');
      // a volunteer who only logs concerns cannot edit: the link is the public page, the one they would share
      const writes = hasRole(user, 'editor') || hasRole(user, 'reviewer') || hasRole(user, 'admin');
      const shown = items
        .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''))
        .slice(0, LIMIT)
        .map((i) => ({ href: writes ? editHref(i) : publicUrl(deps, itemPath(i, deps)), title: i.title, meta: `${STATUS_LABELS[i.status]} · ${when(i.publishedAt ?? i.updatedAt)}` }));
      return Object.assign(shown, { total: items.length });
    },
  },
  {
    id: 'concerns-waiting',
    title: '等待回应的网民关切',
    order: 25,
    empty: '没有等待回应的关切。',
    moreHref: '/workbench/concerns?status=received&week=',
    async load({ deps, user }) {
      const scope = await descendantIds({ deps, id: user.orgId });
      const now = deps.clock();
      const waiting = await deps.store.collection<Concern>('concerns').list((c) => c.status === 'received' && scope.has(c.orgId));
      // oldest first: those are closest to (or past) the response window
      const shown = waiting
        .sort((a, b) => a.capturedAt.localeCompare(b.capturedAt))
        .slice(0, LIMIT)
        .map((c) => ({
          href: `/workbench/concerns/${c.id}`,
          title: c.text.length > 60 ? `${c.text.slice(0, 60)}…` : c.text,
          meta: `${PLATFORM_LABELS[c.source.platform] ?? c.source.platform} · ${c.category} · ${when(c.capturedAt)}${isOverdue(c, now, deps.config.responseDays) ? ` · 已超过 ${deps.config.responseDays} 天未回应` : ''}`,
        }));
      return Object.assign(shown, { total: waiting.length });
    },
  },
  {
    id: 'my-concerns',
    title: '我登记的',
    order: 5,
    empty: '还没有登记过关切。点上面的「登记关切」开始。',
    moreHref: '/workbench/concerns?mine=true&week=',
    async load({ deps, user }) {
      const mine = await deps.store.collection<Concern>('concerns').list((c) => c.capturedBy === user.id);
      if (!hasRole(user, 'reporter') && mine.length === 0) return null;
      const shown = mine
        .sort((a, b) => b.capturedAt.localeCompare(a.capturedAt) || a.id.localeCompare(b.id))
        .slice(0, LIMIT)
        .map((c) => ({
          href: `/workbench/concerns/${c.id}`,
          title: c.text.length > 40 ? `${c.text.slice(0, 40)}…` : c.text,
          meta: `${CONCERN_STATUS_LABELS[c.status]} · ${whatHappened(c)}${when(c.capturedAt)}`,
          ...(c.answer?.url ? { extra: { href: publicUrl(deps, c.answer.url), text: '看回应' } } : {}),
        }));
      return Object.assign(shown, { total: mine.length });
    },
  },
  {
    id: 'response-rate',
    title: '本周回应率',
    order: 26,
    empty: '本周还没有收集到关切。',
    async load({ deps, user }) {
      const scope = await descendantIds({ deps, id: user.orgId });
      const week = isoWeekOf(deps.clock());
      const days = deps.config.responseDays;
      const concerns = await deps.store.collection<Concern>('concerns').list((c) => c.week === week && scope.has(c.orgId));
      if (concerns.length === 0) return [];
      const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);
      const total = responseRate(concerns, days);
      const report = `/workbench/reports?${new URLSearchParams({ org: user.orgId, week })}`;
      return [
        { href: report, title: `${week} 回应率 ${pct(total.rate)}`, meta: `${days} 日内回应 ${total.answered} / 收集 ${total.received}` },
        ...responseRateBy(concerns, days, (c) => c.category)
          .slice(0, LIMIT - 1)
          .map((r) => ({ title: `${r.key} ${pct(r.rate)}`, meta: `回应 ${r.answered} / 收集 ${r.received}` })),
      ];
    },
  },
];
