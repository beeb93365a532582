import { z } from 'zod';

export const NOTIFICATION_TYPES = ['sent-back', 'approved', 'mentioned', 'assigned', 'published', 'commented'] as const;
export const NOTIFICATION_LABELS: Record<(typeof NOTIFICATION_TYPES)[number], string> = {
  'sent-back': '退回修改',
  approved: '审核通过',
  mentioned: '提到了你',
  assigned: '请你审核',
  published: '已发布',
  commented: '新评论',
};

/** One line in a user's notification centre. */
export const NotificationSchema = z.object({
  id: z.string(),
  userId: z.string(),
  type: z.enum(NOTIFICATION_TYPES),
  itemId: z.string(),
  itemTitle: z.string(),
  actorId: z.string(),
  text: z.string(),
  read: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Notification = z.infer<typeof NotificationSchema>;
export type NotificationType = Notification['type'];

export const MarkReadSchema = z.object({ ids: z.array(z.string().max(128)).max(500).optional() });
