import type { Deps } from '../context.ts';
import type { Item } from '../content/schema.ts';
import { newId } from '../ids.ts';
import type { User } from '../users/schema.ts';
import type { Notification, NotificationType } from './schema.ts';

export const notificationsOf = (deps: Deps) => deps.store.collection<Notification>('notifications');

/** Tells each user (never the one who acted) about something that happened to an item. */
export async function notify({ deps, userIds, type, item, actorId, text }: { deps: Deps; userIds: (string | undefined)[]; type: NotificationType; item: Pick<Item, 'id' | 'title'>; actorId: string; text: string }): Promise<void> {
  const to = [...new Set(userIds.filter((u): u is string => Boolean(u) && u !== actorId))];
  for (const userId of to) await notificationsOf(deps).insert({ id: newId('nt'), userId, type, itemId: item.id, itemTitle: item.title, actorId, text, read: false });
}

/** The user's notifications, newest first, with the unread count (the bell). */
export async function listNotifications({ deps, user, limit = 50 }: { deps: Deps; user: User; limit?: number }): Promise<{ items: Notification[]; unread: number; total: number }> {
  const { records, total } = await notificationsOf(deps).query({ where: { userId: user.id }, order: [['createdAt', 'desc'], ['id', 'desc']], limit });
  const unread = (await notificationsOf(deps).query({ where: { userId: user.id, read: false }, limit: 0 })).total;
  return { items: records, unread, total };
}

export async function unreadCount({ deps, user }: { deps: Deps; user: User }): Promise<number> {
  return (await notificationsOf(deps).query({ where: { userId: user.id, read: false }, limit: 0 })).total;
}

/** Marks the given notifications (or all of them) read; only the user's own. */
export async function markRead({ deps, user, ids }: { deps: Deps; user: User; ids?: string[] | undefined }): Promise<{ marked: number }> {
  const unread = (await notificationsOf(deps).query({ where: { userId: user.id, read: false, id: ids ? { in: ids } : undefined } })).records;
  for (const n of unread) await notificationsOf(deps).update(n.id, undefined, (current) => ({ ...current, read: true }));
  return { marked: unread.length };
}

const wired = new WeakSet<Deps>();

/** Review-flow events become notifications: sent back, approved and published to the writers, assigned to the chosen reviewer. */
export function wireNotifications(deps: Deps): void {
  if (wired.has(deps)) return;
  wired.add(deps);
  deps.events.on('item.transitioned', async ({ item, to, actorId }) => {
    const last = item.history[item.history.length - 1];
    const writers = [item.authorId, item.lastEditorId];
    if (to === 'changes-requested') await notify({ deps, userIds: writers, type: 'sent-back', item, actorId, text: `「${item.title}」被退回修改${last?.comment ? `：${last.comment}` : ''}` });
    else if (to === 'approved') await notify({ deps, userIds: writers, type: 'approved', item, actorId, text: `「${item.title}」已审核通过，可以发布` });
    else if (to === 'published') await notify({ deps, userIds: writers, type: 'published', item, actorId, text: `「${item.title}」已发布${last?.comment === '定时发布' ? '（定时发布）' : ''}` });
    else if (to === 'in-review' && item.assigneeId) await notify({ deps, userIds: [item.assigneeId], type: 'assigned', item, actorId, text: `「${item.title}」提交审核，指定由你审核` });
  });
}
