import type { Concern } from '../concerns/schema.ts';
import type { Group } from '../groups/schema.ts';
import type { Item } from '../content/schema.ts';
import type { Org } from '../orgs/schema.ts';
import type { User } from '../users/schema.ts';
import type { ReachRecord } from '../reach/schema.ts';
import { responseRate } from '../reports/service.ts';
import { weekRange } from '../concerns/week.ts';
import { chinaDay } from '../reach/day.ts';
import type { Period } from './period.ts';
import { DIMENSIONS, type CommentLog, type Dimension, type OrgMetrics, type Weights } from './schema.ts';

export interface EvaluationData {
  orgs: Org[];
  users: User[];
  concerns: Concern[];
  groups: Group[];
  items: Item[];
  reach: ReachRecord[];
  comments: CommentLog[];
  responseDays: number;
}

const inPeriod = (p: Period, iso: string | undefined) => {
  if (!iso) return false;
  const d = chinaDay(new Date(iso));
  return d >= p.from && d <= p.to;
};

/** Every org id at or below `id`. */
export function subtree(orgs: Org[], id: string): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const o of orgs) if (o.parentId && out.has(o.parentId) && !out.has(o.id)) grew = out.add(o.id).size > 0;
  }
  return out;
}

/** Who did something in the period: logged a concern, wrote or moved an item, or logged a comment. */
export function activeUsers(data: EvaluationData, p: Period): Set<string> {
  const out = new Set<string>();
  for (const c of data.concerns) if (inPeriod(p, c.capturedAt)) out.add(c.capturedBy);
  for (const i of data.items) for (const h of i.history) if (inPeriod(p, h.at)) out.add(h.actorId);
  for (const c of data.comments) if (inPeriod(p, c.postedAt)) out.add(c.userId);
  return out;
}

/** The figures of one org and everything below it, for one period. */
export function orgMetrics(data: EvaluationData, p: Period, scope: Set<string>, active: Set<string>): OrgMetrics {
  const members = data.users.filter((u) => scope.has(u.orgId) && u.active !== false);
  const concerns = data.concerns.filter((c) => scope.has(c.orgId) && inPeriod(p, c.capturedAt) && !c.duplicateOf);
  const groups = new Map(data.groups.map((g) => [g.id, g]));
  // a concern is logged in time when it went into a group of its own week (the weekly 归类 it belongs to)
  const onTime = concerns.filter((c) => c.groupId && groups.get(c.groupId)?.week === c.week).length;
  const rate = responseRate(concerns, data.responseDays);
  const answeredHours = concerns.filter((c) => c.steps.answeredAt).map((c) => (Date.parse(c.steps.answeredAt!) - Date.parse(c.capturedAt)) / 3_600_000);
  // weekly report: the week's concerns were grouped by the Monday after it (周报 filed on time)
  const weeks = new Set(concerns.map((c) => c.week));
  const weeklyOnTime = [...weeks].filter((w) => {
    const due = weekRange(w).end.getTime() + 86_400_000;
    return data.groups.some((g) => g.week === w && scope.has(g.orgId) && Date.parse(g.createdAt) < due);
  }).length;
  const published: Record<string, number> = {};
  for (const i of data.items) if (scope.has(i.orgId) && (i.status === 'published' || i.status === 'retracted') && inPeriod(p, i.publishedAt)) published[i.kind] = (published[i.kind] ?? 0) + 1;
  let views = 0;
  let shares = 0;
  for (const r of data.reach) {
    if (scope.has(r.orgId) && r.day >= p.from && r.day <= p.to) {
      views += r.views ?? 0;
      shares += (r.shares ?? 0) + (r.reposts ?? 0);
    }
  }
  return {
    members: members.length,
    activeMembers: members.filter((u) => active.has(u.id)).length,
    concernsLogged: concerns.length,
    concernsOnTime: onTime,
    responseRate: rate.rate,
    answered: rate.answered,
    avgHoursToAnswer: answeredHours.length ? Math.round((answeredHours.reduce((a, b) => a + b, 0) / answeredHours.length) * 10) / 10 : null,
    handledOffline: concerns.filter((c) => c.steps.handledAt).length,
    weeksWithConcerns: weeks.size,
    weeklyOnTime,
    published,
    publishedTotal: Object.values(published).reduce((a, b) => a + b, 0),
    views,
    shares,
    comments: data.comments.filter((c) => scope.has(c.orgId) && inPeriod(p, c.postedAt)).length,
  };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

/**
 * Scores 0–100 per dimension, relative to the best of the orgs compared (so a small county is not judged by the
 * city's absolute numbers), then the weighted total.
 */
export function scoreOrgs(rows: OrgMetrics[], weights: Weights): { scores: Record<Dimension, number>; total: number }[] {
  const max = (f: (m: OrgMetrics) => number) => Math.max(0, ...rows.map(f));
  const maxMembers = max((m) => m.members);
  const maxLogged = max((m) => m.concernsLogged);
  const maxHandled = max((m) => m.handledOffline);
  const answeredHours = rows.map((m) => m.avgHoursToAnswer).filter((h): h is number => h !== null && h > 0);
  const fastest = answeredHours.length ? Math.min(...answeredHours) : 0;
  const maxPublished = max((m) => m.publishedTotal);
  const maxViews = max((m) => m.views);
  const maxComments = max((m) => m.comments);
  const sumW = DIMENSIONS.reduce((s, d) => s + weights[d], 0);
  return rows.map((m) => {
    const scores: Record<Dimension, number> = {
      team: 60 * ratio(m.activeMembers, m.members) + 40 * ratio(m.members, maxMembers),
      concerns: 70 * ratio(m.concernsLogged, maxLogged) + 30 * ratio(m.concernsOnTime, m.concernsLogged),
      service: 60 * (m.responseRate ?? 0) + 25 * ratio(m.handledOffline, maxHandled) + 15 * (m.avgHoursToAnswer && fastest ? Math.min(1, fastest / m.avgHoursToAnswer) : m.avgHoursToAnswer === 0 ? 1 : 0),
      weekly: 100 * ratio(m.weeklyOnTime, m.weeksWithConcerns),
      content: 100 * ratio(m.publishedTotal, maxPublished),
      reach: 100 * ratio(m.views, maxViews),
      comments: 100 * ratio(m.comments, maxComments),
    };
    for (const d of DIMENSIONS) scores[d] = Math.round(scores[d] * 10) / 10;
    const total = sumW ? DIMENSIONS.reduce((s, d) => s + scores[d] * weights[d], 0) / sumW : 0;
    return { scores, total: Math.round(total * 10) / 10 };
  });
}
