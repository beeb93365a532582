import { z } from 'zod';
import type { Deps } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { User } from '../users/schema.ts';
import { assertEditor, assertInScope, visibleOrgIds } from '../concerns/access.ts';
import { IsoDateTimeSchema, type Concern } from '../concerns/schema.ts';
import { concernsOf } from '../concerns/service.ts';
import { GroupSchema, type Group } from './schema.ts';
import { getGroup, groupsOf } from './service.ts';

export const AddToGroupSchema = z.object({ concernIds: z.array(z.string().min(1)).min(1, '至少选择一条关切').max(5000) });

/** Put ungrouped concerns of the group's week into an existing group (加入分组). */
export async function addToGroup({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: z.infer<typeof AddToGroupSchema> }): Promise<Group> {
  const group = await getGroup({ deps, actor, id });
  assertEditor(actor, '加入分组');
  await assertInScope(deps, actor, group.orgId, '加入分组');
  const scope = await visibleOrgIds(deps, actor);
  const seen = new Set<string>();
  for (const [i, cid] of input.concernIds.entries()) {
    const path = `concernIds.${i}`;
    const c = await concernsOf(deps).get(cid);
    if (!c || !scope.has(c.orgId)) throw ValidationError.field(path, `关切 ${cid} 不存在或不在你的范围内`);
    if (c.week !== group.week) throw ValidationError.field(path, `关切 ${cid} 属于 ${c.week}，分组属于 ${group.week}`);
    if (c.groupId) throw new ConflictError(`${path}: 关切 ${cid} 已在分组 ${c.groupId} 中，请在该分组里用「移动」`);
    if (seen.has(cid)) throw ValidationError.field(path, `关切 ${cid} 重复`);
    seen.add(cid);
  }
  const updated = await groupsOf(deps).update(id, undefined, (g) => ({ ...g, concernIds: [...g.concernIds, ...input.concernIds] }));
  for (const cid of input.concernIds) await concernsOf(deps).update(cid, undefined, (c) => ({ ...c, groupId: id }));
  await deps.store.audit.append({ actor: actor.id, action: 'group.add', target: { type: 'group', id }, afterVersion: updated.version, data: { concerns: input.concernIds.length } });
  return updated;
}

/** What an editing step changed, kept so that it can be undone (撤销). */
export const GroupUndoSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  actorId: z.string(),
  week: z.string(),
  /** 合并、移动、拆分、上报、加入分组… as shown to the user. */
  label: z.string(),
  /** Each group touched, as it was before (null: it did not exist yet). */
  groups: z.array(z.object({ id: z.string(), before: GroupSchema.nullable() })),
  /** Each concern touched, with the group it was in before. */
  concerns: z.array(z.object({ id: z.string(), groupId: z.string().nullable() })),
  undoneAt: IsoDateTimeSchema.optional(),
});
export type GroupUndo = z.infer<typeof GroupUndoSchema>;

const undosOf = (deps: Deps) => deps.store.collection<GroupUndo>('group-undo');

/**
 * Run an editing step on groups so that it can be undone: snapshots the named groups and the concerns in them (and
 * the extra concerns) before, then notes which groups exist after (a split creates one).
 */
export async function undoable<T>(
  { deps, actor, week, label, groupIds, concernIds = [] }: { deps: Deps; actor: User; week: string; label: string; groupIds: string[]; concernIds?: string[] },
  step: () => Promise<T>,
): Promise<{ result: T; undo: GroupUndo }> {
  const before = new Map<string, Group | null>();
  const concernBefore = new Map<string, string | null>();
  for (const gid of groupIds) {
    const g = (await groupsOf(deps).get(gid)) ?? null;
    before.set(gid, g);
    for (const cid of g?.concernIds ?? []) concernBefore.set(cid, gid);
  }
  for (const cid of concernIds) if (!concernBefore.has(cid)) concernBefore.set(cid, (await concernsOf(deps).get(cid))?.groupId ?? null);
  const result = await step();
  // Groups that the step created (a split) are recorded as not existing before.
  for (const cid of concernBefore.keys()) {
    const gid = (await concernsOf(deps).get(cid))?.groupId;
    if (gid && !before.has(gid)) before.set(gid, null);
  }
  const undo = await undosOf(deps).insert({
    id: newId('undo'),
    actorId: actor.id,
    week,
    label,
    groups: [...before].map(([id, g]) => ({ id, before: g })),
    concerns: [...concernBefore].map(([id, groupId]) => ({ id, groupId })),
  });
  return { result, undo };
}

/** The actor's latest step of the week that can still be undone. */
export async function lastUndoable({ deps, actor, week }: { deps: Deps; actor: User; week: string }): Promise<GroupUndo | undefined> {
  const list = await undosOf(deps).list((u) => u.actorId === actor.id && u.week === week && !u.undoneAt);
  return list.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))[0];
}

/** Put groups and concerns back as they were before the step; refuses if someone changed them since. */
export async function undoStep({ deps, actor, id }: { deps: Deps; actor: User; id: string }): Promise<GroupUndo> {
  const undo = await undosOf(deps).get(id);
  if (!undo || undo.actorId !== actor.id) throw new NotFoundError(`可撤销的操作 ${id} 不存在`);
  if (undo.undoneAt) throw new ConflictError(`undo: 「${undo.label}」已撤销过`);
  assertEditor(actor, '撤销');
  const newer = await undosOf(deps).list((u) => !u.undoneAt && u.createdAt > undo.createdAt && u.groups.some((g) => undo.groups.some((x) => x.id === g.id)));
  if (newer.length > 0) throw new ConflictError(`undo: 这些分组之后又被修改过（${newer[0]!.label}），请先撤销后面的操作`);
  for (const { id: gid, before } of undo.groups) {
    const now = await groupsOf(deps).get(gid);
    if (!before) {
      if (now) await groupsOf(deps).remove(gid);
    } else if (now) {
      await groupsOf(deps).update(gid, undefined, (g) => ({ ...before, version: g.version, createdAt: g.createdAt, updatedAt: g.updatedAt }));
    } else {
      const { version: _v, createdAt: _c, updatedAt: _u, ...rest } = before;
      await groupsOf(deps).insert(rest);
    }
  }
  for (const { id: cid, groupId } of undo.concerns) {
    await concernsOf(deps).update(cid, undefined, (c): Concern => {
      const { groupId: _g, ...rest } = c;
      return groupId ? { ...rest, groupId } : rest;
    });
  }
  const done = await undosOf(deps).update(id, undefined, (u) => ({ ...u, undoneAt: deps.clock().toISOString() }));
  await deps.store.audit.append({ actor: actor.id, action: 'group.undo', target: { type: 'group-undo', id }, afterVersion: done.version, data: { label: undo.label } });
  return done;
}
