import { z } from 'zod';
import type { Deps } from '../context.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { XML_SAFE_MESSAGE, xmlSafe } from '../security/fields.ts';
import type { Org } from '../orgs/schema.ts';
import type { User } from '../users/schema.ts';
import { assertEditor, assertInScope, visibleOrgIds } from '../concerns/access.ts';
import { concernsOf } from '../concerns/service.ts';
import type { Group } from './schema.ts';
import { getGroup, groupsOf } from './service.ts';

export const MergeGroupsSchema = z.object({ from: z.array(z.string().min(1)).min(1, '至少选择一个要并入的分组').max(50) });
export const MoveConcernsSchema = z.object({
  concernIds: z.array(z.string().min(1)).min(1, '至少选择一条关切').max(5000),
  /** Target group; without it the concerns split off into a new group titled `title`. */
  to: z.string().optional(),
  title: z.string().trim().min(1).max(100).refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
});
export const EscalateSchema = z.object({ note: z.string().trim().max(2000).refine(xmlSafe, XML_SAFE_MESSAGE).optional() });
export const FeedbackInputSchema = z.object({ text: z.string().trim().min(1, '反馈内容不能为空').max(2000).refine(xmlSafe, XML_SAFE_MESSAGE) });

async function editable(deps: Deps, actor: User, id: string, action: string): Promise<Group> {
  const group = await getGroup({ deps, actor, id });
  assertEditor(actor, action);
  await assertInScope(deps, actor, group.orgId, action);
  return group;
}

async function audit(deps: Deps, actor: User, action: string, group: Group, data: Record<string, unknown>) {
  await deps.store.audit.append({ actor: actor.id, action, target: { type: 'group', id: group.id }, afterVersion: group.version, data });
}

/** Merge other groups of the same week into this one; the others are removed. */
export async function mergeGroups({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: z.infer<typeof MergeGroupsSchema> }): Promise<Group> {
  const target = await editable(deps, actor, id, '合并分组');
  const sources: Group[] = [];
  for (const [i, sid] of input.from.entries()) {
    if (sid === id) throw ValidationError.field(`from.${i}`, '不能把分组并入自身');
    const s = await editable(deps, actor, sid, '合并分组');
    if (s.week !== target.week) throw ValidationError.field(`from.${i}`, `分组 ${sid} 属于 ${s.week}，不是 ${target.week}`);
    sources.push(s);
  }
  const moved = sources.flatMap((s) => s.concernIds);
  const group = await groupsOf(deps).update(id, undefined, (g) => ({
    ...g,
    concernIds: [...g.concernIds, ...moved],
    itemIds: [...new Set([...g.itemIds, ...sources.flatMap((s) => s.itemIds)])],
    decision: [g.decision, ...sources.map((s) => s.decision)].filter(Boolean).join('；'),
  }));
  for (const cid of moved) await concernsOf(deps).update(cid, undefined, (c) => ({ ...c, groupId: id }));
  for (const s of sources) await groupsOf(deps).remove(s.id);
  await audit(deps, actor, 'group.merge', group, { from: input.from });
  return group;
}

/** Move concerns to another group, or split them off into a new one. */
export async function moveConcerns({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: z.infer<typeof MoveConcernsSchema> }): Promise<{ from: Group; to: Group }> {
  const source = await editable(deps, actor, id, '移动关切');
  input.concernIds.forEach((cid, i) => {
    if (!source.concernIds.includes(cid)) throw ValidationError.field(`concernIds.${i}`, `关切 ${cid} 不在分组 ${id} 中`);
  });
  if (!input.to && !input.title) throw ValidationError.field('title', '拆分出新分组时需要标题');
  let target: Group;
  if (input.to) {
    target = await editable(deps, actor, input.to, '移动关切');
    if (target.id === id) throw ValidationError.field('to', '目标分组与原分组相同');
    if (target.week !== source.week) throw ValidationError.field('to', `目标分组属于 ${target.week}，不是 ${source.week}`);
    target = await groupsOf(deps).update(target.id, undefined, (g) => ({ ...g, concernIds: [...g.concernIds, ...input.concernIds] }));
  } else {
    target = await groupsOf(deps).insert({ id: newId('grp'), title: input.title!, summary: '', concernIds: input.concernIds, week: source.week, orgId: source.orgId, decision: '', feedback: [], itemIds: [], createdBy: actor.id });
  }
  const moving = new Set(input.concernIds);
  const from = await groupsOf(deps).update(id, undefined, (g) => ({ ...g, concernIds: g.concernIds.filter((c) => !moving.has(c)) }));
  for (const cid of input.concernIds) await concernsOf(deps).update(cid, undefined, (c) => ({ ...c, groupId: target.id }));
  await audit(deps, actor, input.to ? 'group.move' : 'group.split', from, { to: target.id, concerns: input.concernIds.length });
  return { from, to: target };
}

/** Report a group up to the parent org (逐级上报); it appears in the parent's queue. */
export async function escalateGroup({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: z.infer<typeof EscalateSchema> }): Promise<Group> {
  const current = await editable(deps, actor, id, '上报分组');
  if (current.escalatedTo) throw new ConflictError(`escalatedTo: 分组已上报至 ${current.escalatedTo}`);
  const org = await deps.store.collection<Org>('orgs').get(current.orgId);
  if (!org?.parentId) throw ValidationError.field('orgId', '市级组织没有上级，无法上报');
  const at = deps.clock().toISOString();
  const group = await groupsOf(deps).update(id, undefined, (g) => ({ ...g, escalatedTo: org.parentId!, escalatedAt: at, ...(input.note ? { escalationNote: input.note } : {}) }));
  await audit(deps, actor, 'group.escalate', group, { to: org.parentId });
  return group;
}

/** Feedback from an org above the group's (逐级反馈): stored on the group and on each of its concerns. */
export async function addFeedback({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: z.infer<typeof FeedbackInputSchema> }): Promise<Group> {
  const current = await getGroup({ deps, actor, id });
  if (actor.orgId === current.orgId || !(await visibleOrgIds(deps, actor)).has(current.orgId)) {
    throw new ForbiddenError('反馈只能由上级组织给出');
  }
  assertEditor(actor, '反馈');
  const at = deps.clock().toISOString();
  const entry = { at, fromOrgId: actor.orgId, authorId: actor.id, text: input.text };
  const group = await groupsOf(deps).update(id, undefined, (g) => ({ ...g, feedback: [...g.feedback, entry] }));
  for (const cid of group.concernIds) {
    await concernsOf(deps).update(cid, undefined, (c) => ({ ...c, feedback: [...c.feedback, { at, fromOrgId: actor.orgId, text: input.text }] }));
  }
  await audit(deps, actor, 'group.feedback', group, { from: actor.orgId });
  return group;
}
