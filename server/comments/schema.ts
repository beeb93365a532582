import { z } from 'zod';

export const COMMENT_STATUSES = ['open', 'resolved'] as const;

/** A comment on an item: on the whole item (the thread), or anchored to a quoted passage of the body. */
export const CommentSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  authorId: z.string(),
  body: z.string(),
  /** The passage of the body the comment is about, as the reviewer selected it. */
  quote: z.string().optional(),
  status: z.enum(COMMENT_STATUSES),
  /** Users @mentioned in the body (ids), notified once. */
  mentions: z.array(z.string()),
  resolvedBy: z.string().optional(),
  resolvedAt: z.string().optional(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Comment = z.infer<typeof CommentSchema>;

export const CreateCommentSchema = z.object({
  body: z.string().trim().min(1, '评论不能为空').max(2000, '评论最多 2000 个字'),
  quote: z.string().trim().max(500, '引用的段落最多 500 个字').optional(),
});
export type CreateComment = z.infer<typeof CreateCommentSchema>;

export const UpdateCommentSchema = z.object({ status: z.enum(COMMENT_STATUSES), version: z.number().int().positive() });
