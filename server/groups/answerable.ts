import type { Deps } from '../context.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import { descendantIds } from '../orgs/service.ts';
import type { Group } from './schema.ts';

/** An item of `orgId` may answer a group of that org or below it, or one escalated to it (or below it). */
function answerable(scope: Set<string>, group: Group): boolean {
  return scope.has(group.orgId) || (group.escalatedTo !== undefined && scope.has(group.escalatedTo));
}

/** Refuses groupIds that do not exist or that an item of `orgId` may not answer (field path `groupIds.N`). */
export async function assertGroupsAnswerable({ deps, orgId, groupIds }: { deps: Deps; orgId: string; groupIds: readonly string[] }): Promise<void> {
  if (groupIds.length === 0) return;
  const scope = await descendantIds({ deps, id: orgId });
  for (const [i, id] of groupIds.entries()) {
    const group = await deps.store.collection<Group>('groups').get(id);
    if (!group) throw ValidationError.field(`groupIds.${i}`, `分组 ${id} 不存在`);
    if (!answerable(scope, group)) throw new ForbiddenError(`groupIds.${i}: 分组 ${id} 属于组织 ${group.orgId}，本组织（${orgId}）的稿件不能回应它`);
  }
}

/** The groups among `groupIds` an item of `orgId` may answer (publishing re-checks; records from before the check may hold others). */
export async function answerableGroupIds({ deps, orgId, groupIds }: { deps: Deps; orgId: string; groupIds: readonly string[] }): Promise<string[]> {
  const scope = await descendantIds({ deps, id: orgId });
  const out: string[] = [];
  for (const id of new Set(groupIds)) {
    const group = await deps.store.collection<Group>('groups').get(id);
    if (group && answerable(scope, group)) out.push(id);
  }
  return out;
}
