import type { Deps } from '../context.ts';
import { ValidationError } from '../errors.ts';
import type { Item } from '../content/schema.ts';
import { ancestorIds } from '../orgs/service.ts';
import { publicUser, usersOf } from '../users/service.ts';
import type { User } from '../users/schema.ts';

/** Active reviewers who may review this item (its org or an org above) and did not write or last edit it. */
export async function reviewersFor(deps: Deps, item: Pick<Item, 'orgId' | 'authorId' | 'lastEditorId'>): Promise<User[]> {
  const above = new Set([item.orgId, ...(await ancestorIds({ deps, id: item.orgId }))]);
  const users = await usersOf(deps).list((u) => u.active && u.roles.includes('reviewer') && above.has(u.orgId) && u.id !== item.authorId && u.id !== item.lastEditorId);
  return users.map(publicUser).sort((a, b) => a.username.localeCompare(b.username));
}

/** The chosen reviewer's id, when they may review the item; 400 naming `assigneeId` otherwise. */
export async function assertAssignable(deps: Deps, item: Item, assigneeId: string): Promise<string> {
  const ok = (await reviewersFor(deps, item)).some((u) => u.id === assigneeId);
  if (!ok) throw ValidationError.field('assigneeId', '指定的审核人不存在、没有审核权限、不管辖本稿件所在组织，或是本稿件的作者');
  return assigneeId;
}
