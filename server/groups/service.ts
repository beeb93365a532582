import { z } from 'zod';
import type { Deps } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { User } from '../users/schema.ts';
import { assertEditor, assertInScope, visibleOrgIds } from '../concerns/access.ts';
import { IsoWeekSchema, type Concern } from '../concerns/schema.ts';
import { concernsOf } from '../concerns/service.ts';
import type { Group } from './schema.ts';
import { XML_SAFE_MESSAGE, xmlSafe } from '../security/fields.ts';

export const groupsOf = (deps: Deps) => deps.store.collection<Group>('groups');

const GroupDraftSchema = z.object({
  title: z.string().trim().min(1, '分组标题不能为空').max(100).refine(xmlSafe, XML_SAFE_MESSAGE),
  concernIds: z.array(z.string().min(1)).min(1, '分组至少包含一条关切').max(5000),
  summary: z.string().trim().max(2000).refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
  decision: z.string().trim().max(2000).refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
  continuesFrom: z.string().optional(),
});
export const AcceptGroupsSchema = z.object({ week: IsoWeekSchema, groups: z.array(GroupDraftSchema).min(1, '至少接受一个分组').max(500) });
export type AcceptGroups = z.infer<typeof AcceptGroupsSchema>;

export const UpdateGroupSchema = z.object({
  version: z.number().int().positive(),
  title: z.string().trim().min(1, '分组标题不能为空').max(100).refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
  summary: z.string().trim().max(2000).refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
  decision: z.string().trim().max(2000).refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
});
export type UpdateGroup = z.infer<typeof UpdateGroupSchema>;

export const ListGroupsQuerySchema = z.object({
  week: IsoWeekSchema.optional(),
  org: z.string().max(64).optional(),
  /** `escalated`: groups escalated to the actor's org (the parent's queue). */
  queue: z.enum(['escalated']).optional(),
});

export async function getGroup({ deps, actor, id }: { deps: Deps; actor: User; id: string }): Promise<Group> {
  const group = await groupsOf(deps).get(id);
  if (!group) throw new NotFoundError(`分组 ${id} 不存在`);
  // The parent an item was escalated to sees it too.
  if (group.escalatedTo && (await visibleOrgIds(deps, actor)).has(group.escalatedTo)) return group;
  await assertInScope(deps, actor, group.orgId, '查看该分组');
  return group;
}

/** Accept (possibly edited) suggestions: each becomes a group of the actor's org and its concerns point at it. */
export async function acceptGroups({ deps, actor, input }: { deps: Deps; actor: User; input: AcceptGroups }): Promise<Group[]> {
  assertEditor(actor, '确认分组');
  const scope = await visibleOrgIds(deps, actor);
  const seen = new Set<string>();
  const concerns = new Map<string, Concern>();
  for (const [g, draft] of input.groups.entries()) {
    for (const [i, id] of draft.concernIds.entries()) {
      const path = `groups.${g}.concernIds.${i}`;
      const c = await concernsOf(deps).get(id);
      if (!c || !scope.has(c.orgId)) throw ValidationError.field(path, `关切 ${id} 不存在或不在你的范围内`);
      if (c.week !== input.week) throw ValidationError.field(path, `关切 ${id} 属于 ${c.week}，不是 ${input.week}`);
      if (seen.has(id)) throw ValidationError.field(path, `关切 ${id} 出现在多个分组中`);
      if (c.groupId) throw new ConflictError(`${path}: 关切 ${id} 已在分组 ${c.groupId} 中，请用「移动」`);
      seen.add(id);
      concerns.set(id, c);
    }
    if (draft.continuesFrom) {
      const prev = await groupsOf(deps).get(draft.continuesFrom);
      if (!prev || !scope.has(prev.orgId) || prev.week >= input.week) throw ValidationError.field(`groups.${g}.continuesFrom`, `不能延续分组 ${draft.continuesFrom}`);
    }
  }
  // Claim every concern first, check-and-set inside each record's update (sorted, so two requests
  // racing for the same concerns meet on the same first one): exactly one wins, the other gets 409
  // and leaves nothing behind.
  const ids = input.groups.map(() => newId('grp'));
  const owner = new Map(input.groups.flatMap((draft, g) => draft.concernIds.map((cid) => [cid, ids[g]!] as const)));
  const claimed: string[] = [];
  try {
    for (const cid of [...owner.keys()].sort()) {
      await concernsOf(deps).update(cid, undefined, (c) => {
        if (c.groupId) throw new ConflictError(`concernIds: 关切 ${cid} 已在分组 ${c.groupId} 中（可能刚被他人归类），请刷新后重试`);
        return { ...c, groupId: owner.get(cid)! };
      });
      claimed.push(cid);
    }
  } catch (error) {
    for (const cid of claimed) await concernsOf(deps).update(cid, undefined, (c) => (c.groupId === owner.get(cid) ? (({ groupId: _g, ...rest }) => rest as Concern)(c) : c)).catch(() => undefined);
    throw error;
  }
  const created: Group[] = [];
  for (const [g, draft] of input.groups.entries()) {
    const group = await groupsOf(deps).insert({
      id: ids[g]!,
      title: draft.title,
      summary: draft.summary ?? '',
      concernIds: draft.concernIds,
      week: input.week,
      orgId: actor.orgId,
      decision: draft.decision ?? '',
      feedback: [],
      itemIds: [],
      createdBy: actor.id,
      ...(draft.continuesFrom ? { continuesFrom: draft.continuesFrom } : {}),
    });
    await deps.store.audit.append({ actor: actor.id, action: 'group.create', target: { type: 'group', id: group.id }, afterVersion: 1, data: { title: group.title, size: group.concernIds.length } });
    created.push(group);
  }
  return created;
}

export async function listGroups({ deps, actor, query }: { deps: Deps; actor: User; query: z.infer<typeof ListGroupsQuerySchema> }): Promise<Group[]> {
  if (query.org) await assertInScope(deps, actor, query.org, '查看该组织的分组');
  const scope = query.org ? new Set([query.org]) : await visibleOrgIds(deps, actor);
  const list = await groupsOf(deps).list(
    (g) => (!query.week || g.week === query.week) && (query.queue === 'escalated' ? g.escalatedTo === actor.orgId : scope.has(g.orgId)),
  );
  return list.sort((a, b) => b.week.localeCompare(a.week) || b.concernIds.length - a.concernIds.length || a.id.localeCompare(b.id));
}

/** Rename, summarise or record the weekly meeting's decision. */
export async function updateGroup({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: UpdateGroup }): Promise<Group> {
  const current = await getGroup({ deps, actor, id });
  assertEditor(actor, '修改分组');
  await assertInScope(deps, actor, current.orgId, '修改该分组');
  const { version, ...changes } = input;
  const group = await groupsOf(deps).update(id, version, (g) => ({ ...g, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) }));
  await deps.store.audit.append({ actor: actor.id, action: 'group.update', target: { type: 'group', id }, beforeVersion: version, afterVersion: group.version, data: { fields: Object.keys(changes) } });
  return group;
}
