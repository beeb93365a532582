import type { Deps } from '../context.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
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

/**
 * Four-eyes: nobody approves what they wrote, last edited, or changed in any way since the last
 * approval (`editors`: from the item, or from its revisions for records older than the field).
 */
export function assertFourEyes(user: User, item: Item, editors: readonly string[] = item.editorsSinceApproval ?? []): void {
  if (user.id === item.authorId) throw new ForbiddenError('四眼原则：不能审核通过自己撰写的稿件，请由其他审核人员审核');
  if (user.id === item.lastEditorId) throw new ForbiddenError('四眼原则：不能审核通过自己最后修改过的稿件，请由其他审核人员审核');
  if (editors.includes(user.id)) throw new ForbiddenError('四眼原则：你在上次审核通过之后修改过该稿件的内容，不能审核通过，请由其他审核人员审核');
}

/** Who changed the content since the last approval: the item's own list, else derived from its revisions. */
export async function editorsSinceApproval(deps: Deps, item: Item): Promise<string[]> {
  if (item.editorsSinceApproval) return item.editorsSinceApproval;
  const revisions = (await deps.store.collection<{ id: string; itemId: string; itemVersion: number; actorId: string; reason: string; version: number; createdAt: string; updatedAt: string }>('revisions').query({ where: { itemId: item.id } })).records.sort((a, b) => a.itemVersion - b.itemVersion);
  const lastApproval = revisions.findLastIndex((r) => r.reason === 'transition:approved' || r.reason === 'transition:published');
  return [...new Set(revisions.slice(lastApproval + 1).filter((r) => !r.reason.startsWith('transition:')).map((r) => r.actorId))];
}

/**
 * Who may read an item that is not public (drafts, reviews, history, render jobs): admins; reviewers
 * for their org and everything below it; editors for their own org. Published and retracted items
 * are public anyway.
 */
export async function canReadItem(deps: Deps, user: User, item: Pick<Item, 'orgId' | 'status'>): Promise<boolean> {
  if (item.status === 'published' || item.status === 'retracted') return true;
  if (hasRole(user, 'admin')) return true;
  if (hasRole(user, 'editor') && user.orgId === item.orgId) return true;
  return hasRole(user, 'reviewer') && (await descendantIds({ deps, id: user.orgId })).has(item.orgId);
}

/** 404 (not 403) for an item the user may not read, so ids do not reveal that it exists. */
export async function assertCanReadItem(deps: Deps, user: User, item: Item): Promise<void> {
  if (!(await canReadItem(deps, user, item))) throw new NotFoundError(`稿件 ${item.id} 不存在`);
}
