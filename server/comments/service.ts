import type { Deps } from '../context.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { hasRole } from '../auth/permissions.ts';
import { getItem } from '../content/service.ts';
import type { Item } from '../content/schema.ts';
import { newId } from '../ids.ts';
import { ancestorIds, descendantIds } from '../orgs/service.ts';
import { publicUser, usersOf } from '../users/service.ts';
import type { User } from '../users/schema.ts';
import { notify } from '../notifications/service.ts';
import type { Comment, CreateComment } from './schema.ts';

export const commentsOf = (deps: Deps) => deps.store.collection<Comment>('comments');

/** Editors of the item's org and reviewers above it take part in its discussion. */
async function assertMayComment(deps: Deps, actor: User, item: Item): Promise<void> {
  if (hasRole(actor, 'editor') && actor.orgId === item.orgId) return;
  if (hasRole(actor, 'reviewer') && (await descendantIds({ deps, id: actor.orgId })).has(item.orgId)) return;
  if (hasRole(actor, 'admin')) return;
  throw new ForbiddenError('评论需要本组织的「编辑」角色或上级的「审核」角色');
}

/** Users of the item's org and the orgs above and below it, who can be @mentioned. */
export async function mentionableUsers(deps: Deps, item: Pick<Item, 'orgId'>): Promise<User[]> {
  const orgs = new Set([...(await ancestorIds({ deps, id: item.orgId })), ...(await descendantIds({ deps, id: item.orgId }))]);
  return (await usersOf(deps).list((u) => u.active && orgs.has(u.orgId))).map(publicUser);
}

/** `@chen.editor` or `@陈编辑` (username or display name) → user ids, only for users who may be mentioned. */
export function findMentions(text: string, users: User[]): string[] {
  const ids = new Set<string>();
  for (const m of text.matchAll(/@([^\s@，,。:：;；!！?？()（）]+)/g)) {
    const name = m[1]!;
    // the longest display name or username the mention starts with (Chinese has no space after a name)
    const hit = users.filter((u) => name.startsWith(u.username) || name.startsWith(u.displayName)).sort((a, b) => Math.max(b.username.length, b.displayName.length) - Math.max(a.username.length, a.displayName.length))[0];
    if (hit) ids.add(hit.id);
  }
  return [...ids];
}

export async function listComments({ deps, id }: { deps: Deps; id: string }): Promise<Comment[]> {
  await getItem({ deps, id });
  return (await commentsOf(deps).query({ where: { itemId: id } })).records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export async function addComment({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: CreateComment }): Promise<Comment> {
  const item = await getItem({ deps, id });
  await assertMayComment(deps, actor, item);
  const mentions = findMentions(input.body, await mentionableUsers(deps, item)).filter((u) => u !== actor.id);
  const comment = await commentsOf(deps).insert({ id: newId('cm'), itemId: id, authorId: actor.id, body: input.body, ...(input.quote ? { quote: input.quote } : {}), status: 'open', mentions });
  await deps.store.audit.append({ actor: actor.id, action: 'comment.create', target: { type: 'item', id }, data: { commentId: comment.id, ...(input.quote ? { quote: input.quote } : {}) } });
  const where = input.quote ? `在「${input.quote.slice(0, 30)}」处` : '';
  await notify({ deps, userIds: mentions, type: 'mentioned', item, actorId: actor.id, text: `${actor.displayName}${where}提到了你：${input.body.slice(0, 80)}` });
  const others = [item.authorId, item.lastEditorId, item.assigneeId].filter((u) => u && !mentions.includes(u));
  await notify({ deps, userIds: others, type: 'commented', item, actorId: actor.id, text: `${actor.displayName}${where}评论：${input.body.slice(0, 80)}` });
  return comment;
}

export async function setCommentStatus({ deps, actor, id, commentId, status, version }: { deps: Deps; actor: User; id: string; commentId: string; status: Comment['status']; version: number }): Promise<Comment> {
  const item = await getItem({ deps, id });
  await assertMayComment(deps, actor, item);
  const current = await commentsOf(deps).get(commentId);
  if (!current || current.itemId !== id) throw new NotFoundError(`commentId: 稿件 ${id} 没有评论 ${commentId}`);
  const at = deps.clock().toISOString();
  const comment = await commentsOf(deps).update(commentId, version, (c) => {
    const next: Comment = { ...c, status };
    if (status === 'resolved') Object.assign(next, { resolvedBy: actor.id, resolvedAt: at });
    else delete next.resolvedBy, delete next.resolvedAt;
    return next;
  });
  await deps.store.audit.append({ actor: actor.id, action: `comment.${status === 'resolved' ? 'resolve' : 'reopen'}`, target: { type: 'item', id }, data: { commentId } });
  return comment;
}
