import { z } from 'zod';
import { IsoDateTimeSchema, IsoWeekSchema } from '../concerns/schema.ts';

export const FeedbackSchema = z.object({
  at: IsoDateTimeSchema,
  fromOrgId: z.string(),
  authorId: z.string(),
  text: z.string().min(1).max(2000),
});
export type Feedback = z.infer<typeof FeedbackSchema>;

/** A weekly group of concerns that say the same thing, decided on at the weekly meeting (每周会办). */
export const GroupSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  title: z.string().min(1).max(100),
  summary: z.string().max(2000).default(''),
  concernIds: z.array(z.string()),
  week: IsoWeekSchema,
  orgId: z.string(),
  /** What the weekly meeting decided to do about it. */
  decision: z.string().max(2000).default(''),
  /** Parent org it was escalated to (逐级上报). */
  escalatedTo: z.string().optional(),
  escalatedAt: IsoDateTimeSchema.optional(),
  escalationNote: z.string().max(2000).optional(),
  /** Feedback from parent orgs, flowing back down (逐级反馈). */
  feedback: z.array(FeedbackSchema).default([]),
  /** Group of the previous week this one continues. */
  continuesFrom: z.string().optional(),
  /** Items (notices, rumor guides…) that answer this group. */
  itemIds: z.array(z.string()).default([]),
  createdBy: z.string(),
});
export type Group = z.infer<typeof GroupSchema>;
