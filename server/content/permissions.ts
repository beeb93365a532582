import type { Deps } from '../context.ts';
import { ForbiddenError } from '../errors.ts';
import { hasRole } from '../auth/permissions.ts';
import { descendantIds } from '../orgs/service.ts';
import type { User } from '../users/schema.ts';
import type { Item } from './schema.ts';

/** Editors edit only their own org's items. */
export function assertCanEdit(user: User, item: Pick<Item, 'orgId'>, action = '编辑该稿件'): void {
  if (!hasRole(user, 'editor')) throw new ForbiddenError(`${action}需要「编辑」角色，你没有该角色`);
  if (user.orgId !== item.orgId) throw new ForbiddenError(`${action}：稿件属于组织 ${item.orgId}，你只能编辑本组织（${user.orgId}）的稿件`);
}

/** Reviewers review items of their org and every org below it. */
export async function assertCanReview(deps: Deps, user: User, item: Item, action = '审核该稿件'): Promise<void> {
  if (!hasRole(user, 'reviewer')) throw new ForbiddenError(`${action}需要「审核」角色，你没有该角色`);
  if (!(await descendantIds({ deps, id: user.orgId })).has(item.orgId)) {
    throw new ForbiddenError(`${action}：稿件属于组织 ${item.orgId}，不在你所在组织（${user.orgId}）及其下级范围内`);
  }
}

/** Four-eyes: nobody approves what they wrote or last edited. */
export function assertFourEyes(user: User, item: Item): void {
  if (user.id === item.authorId) throw new ForbiddenError('四眼原则：不能审核通过自己撰写的稿件，请由其他审核人员审核');
  if (user.id === item.lastEditorId) throw new ForbiddenError('四眼原则：不能审核通过自己最后修改过的稿件，请由其他审核人员审核');
}
