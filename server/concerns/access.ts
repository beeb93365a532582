import type { Deps } from '../context.ts';
import { ForbiddenError } from '../errors.ts';
import { hasRole } from '../auth/permissions.ts';
import type { Org } from '../orgs/schema.ts';
import { ancestorIds, descendantIds } from '../orgs/service.ts';
import type { User } from '../users/schema.ts';

/** Orgs whose concerns and groups a user sees: their own and every org below it. */
export async function visibleOrgIds(deps: Deps, user: User): Promise<Set<string>> {
  return descendantIds({ deps, id: user.orgId });
}

/** Throws 403 unless `orgId` is the user's org or below it. */
export async function assertInScope(deps: Deps, user: User, orgId: string, action: string): Promise<void> {
  if (!(await visibleOrgIds(deps, user)).has(orgId)) {
    throw new ForbiddenError(`${action}：属于组织 ${orgId}，不在你所在组织（${user.orgId}）及其下级范围内`);
  }
}

/** Anyone who logs concerns: reporters, editors and admins. */
export function assertCanLog(user: User): void {
  if (!['reporter', 'editor', 'admin'].some((r) => hasRole(user, r as never))) throw new ForbiddenError('登记关切需要「网络志愿者」或「编辑」角色');
}

/** Grouping, decisions and status changes are editors' work. */
export function assertEditor(user: User, action: string): void {
  if (!hasRole(user, 'editor') && !hasRole(user, 'admin')) throw new ForbiddenError(`${action}需要「编辑」角色，你没有该角色`);
}

/** District names from the org tree (orgs of kind `district`). */
export async function districtNames(deps: Deps): Promise<string[]> {
  return (await deps.store.collection<Org>('orgs').list((o) => o.kind === 'district')).map((o) => o.name).sort((a, b) => a.localeCompare(b, 'zh'));
}

/** The district an org sits in (its nearest district ancestor), else the org's own name. */
export async function districtOf(deps: Deps, orgId: string): Promise<string> {
  const orgs = deps.store.collection<Org>('orgs');
  for (const id of await ancestorIds({ deps, id: orgId })) {
    const org = await orgs.get(id);
    if (org?.kind === 'district') return org.name;
  }
  return (await orgs.get(orgId))?.name ?? orgId;
}

/**
 * Which org each concern belongs to, by its district: the org of that district, or the logger's own org when it sits
 * in that district (a grassroots org is known then). Never simply the logger's org: a volunteer of 亭湖区 who logs a
 * post about 阜宁县 puts it on 阜宁县's desk and in its weekly report. A district that is not in the org tree keeps the
 * logger's org.
 */
export async function owningOrgs(deps: Deps, actor: User): Promise<(district: string) => string> {
  const all = await deps.store.collection<Org>('orgs').list();
  const byName = new Map(all.filter((o) => o.kind === 'district').map((o) => [o.name, o.id]));
  const mine = new Set(await ancestorIds({ deps, id: actor.orgId }));
  return (district) => {
    const id = byName.get(district);
    if (!id) return actor.orgId;
    return mine.has(id) ? actor.orgId : id;
  };
}
