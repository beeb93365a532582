import { z } from 'zod';
import { LINE_SAFE_MESSAGE, lineSafe } from '../../security/fields.ts';
import { CreateItemBaseFields, EditableFields, RecordFields } from '../../content/schema.ts';
import { LiveInfoInputSchema, LiveInfoSchema, PinnedSchema, LIVE_MODES } from './live-info.ts';

/** A live column (event) or online exchange (qa); its updates live in their own collection (server/live). */
export const LiveItemSchema = z.object({ kind: z.literal('live'), ...EditableFields, ...RecordFields, live: LiveInfoSchema });
/** Created running: the state is `live` and coverage starts now unless given. */
export const CreateLiveSchema = z.object({
  kind: z.literal('live'),
  ...CreateItemBaseFields,
  live: LiveInfoInputSchema.transform((l) => ({ ...l, coverageStart: l.coverageStart ?? new Date().toISOString(), state: 'live' as const })),
});
/**
 * A draft's live settings, sent whole (mode, place, coverage start, pinned block); the state and the
 * pinned block of a published item change through PATCH /api/items/:id/live instead.
 */
export const LiveUpdateFields = {
  live: z
    .object({
      mode: z.enum(LIVE_MODES, '模式只能是 event（灾情直播）或 qa（在线交流）'),
      place: z.string().trim().max(100, '地点最多 100 个字').refine(lineSafe, LINE_SAFE_MESSAGE).default(''),
      coverageStart: z.string().trim().max(40).refine((s) => !Number.isNaN(Date.parse(s)), '开始时间不是有效的时间').transform((s) => new Date(s).toISOString()),
      pinned: PinnedSchema.optional(),
    })
    .transform((l) => ({ ...l, state: 'live' as const }))
    .optional(),
};
export const LiveDraftSchema = z.object({ live: z.looseObject({}).optional() });

export type LiveItem = z.infer<typeof LiveItemSchema>;
export type CreateLive = z.input<typeof CreateLiveSchema>;

declare module '../../content/schema.ts' {
  interface ItemKinds {
    live: { item: LiveItem; create: CreateLive };
  }
}
