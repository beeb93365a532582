import type { Deps } from '../context.ts';
import type { Item } from '../content/schema.ts';
import { itemPath } from '../content/snapshot.ts';
import type { Org } from '../orgs/schema.ts';
import { descendantIds, getOrg } from '../orgs/service.ts';
import type { User } from '../users/schema.ts';
import { assertInScope, visibleOrgIds } from '../concerns/access.ts';
import { CONCERN_STATUSES, PLATFORM_LABELS, type Concern, type ConcernStatus } from '../concerns/schema.ts';
import { concernsOf, isOverdue } from '../concerns/service.ts';
import { previousWeek, weekRange } from '../concerns/week.ts';
import { groupsOf } from '../groups/service.ts';
import type { Group } from '../groups/schema.ts';
import type { ResponseRate, WeeklyReport } from './schema.ts';

const TOP_GROUPS = 10;
const RANK: Record<ConcernStatus, number> = { received: 0, answered: 1, handled: 2, replied: 3, closed: 4 };

/** Answered within `days` of capture ÷ received. Closed concerns count as received, answered only if they were. */
export function responseRate(concerns: readonly Concern[], days: number): ResponseRate {
  const answered = concerns.filter((c) => c.steps.answeredAt && new Date(c.steps.answeredAt).getTime() - new Date(c.capturedAt).getTime() <= days * 86_400_000).length;
  return { withinDays: days, received: concerns.length, answered, rate: concerns.length ? answered / concerns.length : null };
}

/** Response rate per key (category, district, org, week). */
export function responseRateBy(concerns: readonly Concern[], days: number, key: (c: Concern) => string): ({ key: string } & ResponseRate)[] {
  const buckets = new Map<string, Concern[]>();
  for (const c of concerns) buckets.set(key(c), [...(buckets.get(key(c)) ?? []), c]);
  return [...buckets].map(([k, list]) => ({ key: k, ...responseRate(list, days) })).sort((a, b) => b.received - a.received || a.key.localeCompare(b.key, 'zh'));
}

const answeredStatus = (s: ConcernStatus) => RANK[s] >= 1 && s !== 'closed';

/** The 网情民意周报 of an org for a week, over the org and every org below it; its direct children get a row each. */
export async function buildWeeklyReport({ deps, actor, orgId, week }: { deps: Deps; actor: User; orgId: string; week: string }): Promise<WeeklyReport> {
  await assertInScope(deps, actor, orgId, '查看该组织的周报');
  const org = await getOrg({ deps, id: orgId });
  const scope = await descendantIds({ deps, id: orgId });
  const days = deps.config.responseDays;
  const now = deps.clock();
  const weeks = trendWeeks(week);
  const recent = (await concernsOf(deps).query({ where: { week: { in: weeks }, orgId: { in: [...scope] } } })).records;
  const concerns = recent.filter((c) => c.week === week);
  const byId = new Map(concerns.map((c) => [c.id, c]));
  const orgs = new Map((await deps.store.collection<Org>('orgs').list()).map((o) => [o.id, o]));
  const orgName = (id: string) => orgs.get(id)?.name ?? id;
  const groups = (await groupsOf(deps).list((g) => g.week === week && (scope.has(g.orgId) || g.escalatedTo === orgId))).sort((a, b) => b.concernIds.length - a.concernIds.length || a.id.localeCompare(b.id));
  const count = (s: ConcernStatus) => concerns.filter((c) => c.status === s).length;
  const range = weekRange(week);
  const sunday = range.sunday;
  const children = [...orgs.values()].filter((o) => o.parentId === orgId).sort((a, b) => a.id.localeCompare(b.id));
  const report: WeeklyReport = {
    orgId,
    orgName: org.name,
    week,
    from: range.monday,
    to: sunday,
    generatedAt: now.toISOString(),
    totals: {
      received: concerns.length,
      answered: concerns.filter((c) => answeredStatus(c.status)).length,
      handled: count('handled') + count('replied'),
      replied: count('replied'),
      closed: count('closed'),
      open: count('received'),
      duplicates: concerns.filter((c) => c.duplicateOf).length,
      overdue: concerns.filter((c) => isOverdue(c, now, days)).length,
    },
    byCategory: countRows(concerns, (c) => c.category),
    byDistrict: countRows(concerns, (c) => c.district),
    byPlatform: countRows(concerns, (c) => PLATFORM_LABELS[c.source.platform] ?? c.source.platform),
    trend: weeks.map((w) => {
      const rate = responseRate(recent.filter((c) => c.week === w), days);
      return { week: w, received: rate.received, answered: rate.answered, rate: rate.rate };
    }),
    groups: await Promise.all(groups.slice(0, TOP_GROUPS).map((g) => reportGroup(deps, g, byId, orgName))),
    decisions: groups.filter((g) => g.decision).map((g) => ({ group: g.title, decision: g.decision })),
    escalations: groups.filter((g) => g.escalatedTo).map((g) => ({ group: g.title, from: orgName(g.orgId), to: orgName(g.escalatedTo!), ...(g.escalationNote ? { note: g.escalationNote } : {}) })),
    responseRate: responseRate(concerns, days),
    children: await Promise.all(
      children.map(async (child) => {
        const below = await descendantIds({ deps, id: child.id });
        const mine = concerns.filter((c) => below.has(c.orgId));
        const rate = responseRate(mine, days);
        return { orgId: child.id, orgName: child.name, received: rate.received, answered: rate.answered, rate: rate.rate, groups: groups.filter((g) => below.has(g.orgId)).length };
      }),
    ),
  };
  return report;
}

const TREND_WEEKS = 6;

/** `week` and the weeks before it, oldest first. */
function trendWeeks(week: string): string[] {
  const out = [week];
  while (out.length < TREND_WEEKS) out.unshift(previousWeek(out[0]!));
  return out;
}

function countRows(concerns: Concern[], key: (c: Concern) => string) {
  const rows = new Map<string, { name: string; received: number; answered: number }>();
  for (const c of concerns) {
    const row = rows.get(key(c)) ?? { name: key(c), received: 0, answered: 0 };
    row.received++;
    if (answeredStatus(c.status)) row.answered++;
    rows.set(row.name, row);
  }
  return [...rows.values()].sort((a, b) => b.received - a.received || a.name.localeCompare(b.name, 'zh'));
}

async function reportGroup(deps: Deps, g: Group, byId: Map<string, Concern>, orgName: (id: string) => string) {
  const members = g.concernIds.map((id) => byId.get(id)).filter((c): c is Concern => c !== undefined);
  const statusCounts = Object.fromEntries(CONCERN_STATUSES.map((s) => [s, members.filter((c) => c.status === s).length]).filter(([, n]) => n));
  // A group is as far along as its least advanced open concern; all closed means closed.
  const open = members.filter((c) => c.status !== 'closed');
  const status = open.length ? open.reduce<ConcernStatus>((min, c) => (RANK[c.status] < RANK[min] ? c.status : min), 'replied') : 'closed';
  const items = (await Promise.all(g.itemIds.map((id) => deps.store.collection<Item>('items').get(id)))).filter((i): i is Item => i !== undefined);
  return {
    id: g.id,
    title: g.title,
    size: g.concernIds.length,
    quotes: [...new Set(members.map((c) => c.text))].slice(0, 3),
    status,
    statusCounts,
    decision: g.decision,
    ...(g.escalatedTo ? { escalatedTo: orgName(g.escalatedTo) } : {}),
    items: items.map((i) => ({ title: i.title, ...(i.status === 'published' ? { url: `${deps.config.siteUrl.replace(/\/$/, '')}${itemPath(i, deps)}` } : {}) })),
    feedback: g.feedback.map((f) => ({ from: orgName(f.fromOrgId), text: f.text, at: f.at })),
  };
}

const RATE_KEYS = { org: (c: Concern) => c.orgId, week: (c: Concern) => c.week, category: (c: Concern) => c.category, district: (c: Concern) => c.district };

/** Response rates of the concerns the actor sees (or of one org's subtree), per org, week, category or district. */
export async function responseRates({ deps, actor, org, week, by }: { deps: Deps; actor: User; org?: string | undefined; week?: string | undefined; by: keyof typeof RATE_KEYS }) {
  if (org) await assertInScope(deps, actor, org, '查看该组织的回应率');
  const scope = org ? await descendantIds({ deps, id: org }) : await visibleOrgIds(deps, actor);
  const concerns = (await concernsOf(deps).query({ where: { week, orgId: { in: [...scope] } } })).records;
  const days = deps.config.responseDays;
  return { withinDays: days, by, total: responseRate(concerns, days), rows: responseRateBy(concerns, days, RATE_KEYS[by]) };
}
