import type { Deps } from '../context.ts';
import type { User } from '../users/schema.ts';
import type { Concern } from '../concerns/schema.ts';
import type { Group } from '../groups/schema.ts';
import type { Org } from '../orgs/schema.ts';
import type { ReachRecord } from '../reach/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { assertAdmin, hasRole } from '../auth/permissions.ts';
import { assertInScope } from '../concerns/access.ts';
import { itemsOf } from '../content/service.ts';
import { newId } from '../ids.ts';
import { activeUsers, orgMetrics, scoreOrgs, subtree, type EvaluationData } from './metrics.ts';
import { parsePeriod, type Period } from './period.ts';
import { DEFAULT_WEIGHTS, WeightsSchema, type CommentLog, type Commendation, type CreateComment, type CreateCommendation, type Evaluation, type MemberRow, type Weights } from './schema.ts';

const settingsOf = (deps: Deps) => deps.store.collection<{ id: string; weights: Weights; version: number; createdAt: string; updatedAt: string }>('evaluation-settings');
export const commentsOf = (deps: Deps) => deps.store.collection<CommentLog>('comment-logs');
export const commendationsOf = (deps: Deps) => deps.store.collection<Commendation>('commendations');

export async function getWeights({ deps }: { deps: Deps }): Promise<Weights> {
  return (await settingsOf(deps).get('weights'))?.weights ?? DEFAULT_WEIGHTS;
}

/** Admin sets how much each part of the evaluation weighs. */
export async function setWeights({ deps, actor, weights }: { deps: Deps; actor: User; weights: Weights }): Promise<Weights> {
  assertAdmin(actor, '修改评优权重');
  const parsed = WeightsSchema.parse(weights);
  const existing = await settingsOf(deps).get('weights');
  if (existing) await settingsOf(deps).update('weights', undefined, (s) => ({ ...s, weights: parsed }));
  else await settingsOf(deps).insert({ id: 'weights', weights: parsed });
  await deps.store.audit.append({ actor: actor.id, action: 'evaluation.weights', target: { type: 'settings', id: 'weights' }, data: parsed });
  return parsed;
}

/** A member logs a comment they posted online, with its link (网络评论). */
export async function logComment({ deps, actor, input }: { deps: Deps; actor: User; input: CreateComment }): Promise<CommentLog> {
  const postedAt = input.postedAt ? new Date(`${input.postedAt.slice(0, 10)}T12:00:00+08:00`) : deps.clock();
  if (Number.isNaN(postedAt.getTime())) throw ValidationError.field('postedAt', '不是有效的日期');
  if (postedAt.getTime() > deps.clock().getTime() + 86_400_000) throw ValidationError.field('postedAt', '日期不能晚于明天');
  const dup = await commentsOf(deps).list((c) => c.userId === actor.id && c.url === input.url);
  if (dup[0]) return dup[0];
  const log = await commentsOf(deps).insert({ id: newId('cm'), userId: actor.id, orgId: actor.orgId, url: input.url, platform: input.platform, note: input.note, postedAt: postedAt.toISOString() });
  await deps.store.audit.append({ actor: actor.id, action: 'comment.log', target: { type: 'comment', id: log.id } });
  return log;
}

export async function listComments({ deps, actor, period }: { deps: Deps; actor: User; period?: Period | undefined }): Promise<CommentLog[]> {
  const scope = subtree(await deps.store.collection<Org>('orgs').list(), actor.orgId);
  const inP = (iso: string) => !period || (iso.slice(0, 10) >= period.from && iso.slice(0, 10) <= period.to);
  return (await commentsOf(deps).query({ where: { orgId: { in: [...scope] } }, filter: (c) => inP(c.postedAt) })).records.sort((a, b) => b.postedAt.localeCompare(a.postedAt));
}

export async function commend({ deps, actor, input }: { deps: Deps; actor: User; input: CreateCommendation }): Promise<Commendation> {
  assertAdmin(actor, '表彰');
  if (input.type === 'org' ? !(await deps.store.collection<Org>('orgs').get(input.targetId)) : !(await deps.store.collection<User>('users').get(input.targetId))) {
    throw ValidationError.field('targetId', input.type === 'org' ? `组织 ${input.targetId} 不存在` : `成员 ${input.targetId} 不存在`);
  }
  const same = await commendationsOf(deps).list((c) => c.year === input.year && c.type === input.type && c.targetId === input.targetId && c.title === input.title);
  if (same[0]) return same[0];
  const c = await commendationsOf(deps).insert({ id: newId('hon'), ...input, by: actor.id });
  await deps.store.audit.append({ actor: actor.id, action: 'commendation.create', target: { type: input.type, id: input.targetId }, data: { year: input.year, title: input.title } });
  return c;
}

export async function withdrawCommendation({ deps, actor, id }: { deps: Deps; actor: User; id: string }): Promise<void> {
  assertAdmin(actor, '撤销表彰');
  if (!(await commendationsOf(deps).get(id))) throw new NotFoundError(`id: 没有这条表彰 ${id}`);
  await commendationsOf(deps).remove(id);
  await deps.store.audit.append({ actor: actor.id, action: 'commendation.remove', target: { type: 'commendation', id } });
}

/** Public list for the site's 表彰 page: names only, newest year first. */
export async function publicCommendations({ deps }: { deps: Deps }) {
  const orgs = new Map((await deps.store.collection<Org>('orgs').list()).map((o) => [o.id, o]));
  const users = new Map((await deps.store.collection<User>('users').list()).map((u) => [u.id, u]));
  return (await commendationsOf(deps).list())
    .map((c) => {
      const user = c.type === 'member' ? users.get(c.targetId) : undefined;
      return { year: c.year, type: c.type, title: c.title, citation: c.citation, name: c.type === 'org' ? (orgs.get(c.targetId)?.name ?? c.targetId) : (user?.displayName.replace(/（.*?）$/, '') ?? c.targetId), orgName: user ? (orgs.get(user.orgId)?.name ?? '') : '' };
    })
    .sort((a, b) => b.year - a.year || a.type.localeCompare(b.type) || a.title.localeCompare(b.title, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'));
}

async function loadData(deps: Deps, p: Period): Promise<EvaluationData> {
  const [orgs, users, concerns, groups, items, reach, comments] = await Promise.all([
    deps.store.collection<Org>('orgs').list(),
    deps.store.collection<User>('users').list(),
    deps.store.collection<Concern>('concerns').list(),
    deps.store.collection<Group>('groups').list(),
    itemsOf(deps).list(),
    deps.store.collection<ReachRecord>('reach').list((r) => r.day >= p.from && r.day <= p.to),
    commentsOf(deps).list(),
  ]);
  return { orgs, users, concerns, groups, items, reach, comments, responseDays: deps.config.responseDays };
}

/**
 * The evaluation (每年评优 / 通报) of the orgs directly below `orgId` (or of `orgId` alone when it has none) for a
 * period, with the weights in settings, and a ranking of their members.
 */
export async function buildEvaluation({ deps, actor, orgId, period }: { deps: Deps; actor: User | 'system'; orgId?: string | undefined; period: string }): Promise<Evaluation> {
  const p = parsePeriod(period);
  const root = orgId ?? (actor === 'system' ? undefined : actor.orgId) ?? 'yc';
  if (actor !== 'system') await assertInScope(deps, actor, root, '查看该组织的评优');
  const data = await loadData(deps, p);
  const rootOrg = data.orgs.find((o) => o.id === root);
  if (!rootOrg) throw new NotFoundError(`org: 组织 ${root} 不存在`);
  const children = data.orgs.filter((o) => o.parentId === root);
  const compared = children.length ? children : [rootOrg];
  const active = activeUsers(data, p);
  const metrics = compared.map((o) => orgMetrics(data, p, subtree(data.orgs, o.id), active));
  const weights = await getWeights({ deps });
  const scored = scoreOrgs(metrics, weights);
  const year = Number(p.key.slice(0, 4));
  const honors = await commendationsOf(deps).list((c) => c.year === year);
  const honored = (type: 'org' | 'member', id: string) => honors.filter((h) => h.type === type && h.targetId === id).map((h) => h.title).join('、') || undefined;
  const orgs = compared
    .map((o, i) => ({ orgId: o.id, name: o.name, score: scored[i]!.total, scores: scored[i]!.scores, metrics: metrics[i]!, ...(honored('org', o.id) ? { commended: honored('org', o.id)! } : {}) }))
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN'))
    .map((r, i) => ({ rank: i + 1, ...r }));
  return {
    period: p.key,
    label: p.label,
    from: p.from,
    to: p.to,
    orgId: root,
    orgName: rootOrg.name,
    weights,
    kindLabels: Object.fromEntries(deps.kinds.list.map((k) => [k.kind, k.label])),
    orgs,
    members: rankMembers(data, p, subtree(data.orgs, root), weights, honored),
    generatedAt: deps.clock().toISOString(),
  };
}

function rankMembers(data: EvaluationData, p: Period, scope: Set<string>, w: Weights, honored: (type: 'org' | 'member', id: string) => string | undefined): MemberRow[] {
  const inP = (iso: string | undefined) => !!iso && iso.slice(0, 10) >= p.from && iso.slice(0, 10) <= p.to;
  const orgName = new Map(data.orgs.map((o) => [o.id, o.name]));
  const viewsByItem = new Map<string, number>();
  for (const r of data.reach) viewsByItem.set(r.itemId, (viewsByItem.get(r.itemId) ?? 0) + (r.views ?? 0));
  const rows = data.users
    .filter((u) => scope.has(u.orgId) && u.active !== false && !(u.roles.length === 1 && u.roles[0] === 'admin'))
    .map((u) => {
      const mine = data.items.filter((i) => i.authorId === u.id && (i.status === 'published' || i.status === 'retracted') && inP(i.publishedAt));
      return {
        userId: u.id,
        name: u.displayName,
        orgName: orgName.get(u.orgId) ?? u.orgId,
        concerns: data.concerns.filter((c) => c.capturedBy === u.id && inP(c.capturedAt)).length,
        items: mine.length,
        comments: data.comments.filter((c) => c.userId === u.id && inP(c.postedAt)).length,
        views: mine.reduce((s, i) => s + (viewsByItem.get(i.id) ?? 0), 0),
      };
    });
  const max = (f: (r: (typeof rows)[number]) => number) => Math.max(0, ...rows.map(f));
  const [mc, mi, mm, mv] = [max((r) => r.concerns), max((r) => r.items), max((r) => r.comments), max((r) => r.views)];
  const sumW = w.concerns + w.content + w.comments + w.reach || 1;
  return rows
    .map((r) => ({ ...r, score: Math.round(((w.concerns * (mc ? r.concerns / mc : 0) + w.content * (mi ? r.items / mi : 0) + w.comments * (mm ? r.comments / mm : 0) + w.reach * (mv ? r.views / mv : 0)) / sumW) * 1000) / 10, ...(honored('member', r.userId) ? { commended: honored('member', r.userId)! } : {}) }))
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN'))
    .slice(0, 100)
    .map((r, i) => ({ rank: i + 1, ...r }));
}

export function assertCanLogComments(user: User): void {
  if (!['reporter', 'editor', 'admin', 'reviewer'].some((r) => hasRole(user, r as never))) throw new ForbiddenError('登记网络评论需要成员角色');
}
