import { z } from 'zod';
import { LINE_SAFE_MESSAGE, lineSafe } from '../../security/fields.ts';
import { validateDoc, type TiptapDoc } from '../../content/tiptap.ts';

/** A tiptap document checked like an item body (kept here so content/schema.ts can import this file without a circle). */
export function tiptapSchema(description: string, max = 20_000) {
  return z
    .looseObject({ type: z.literal('doc', '根节点应为 doc'), content: z.array(z.unknown()).optional() })
    .superRefine((doc, ctx) => {
      if (JSON.stringify(doc).length > max) ctx.addIssue({ code: 'custom', path: [], message: `内容过长（上限约 ${Math.round(max / 1000)} KB）` });
      for (const issue of validateDoc(doc, '')) ctx.addIssue({ code: 'custom', path: issue.path ? issue.path.split('.').filter(Boolean) : [], message: issue.message });
    })
    .meta({ description }) as unknown as z.ZodType<TiptapDoc>;
}

export const LIVE_MODES = ['event', 'qa'] as const;
export const LIVE_MODE_LABELS: Record<(typeof LIVE_MODES)[number], string> = { event: '灾情直播', qa: '在线交流' };
export const LIVE_STATES = ['live', 'ended'] as const;
export const LIVE_STATE_LABELS: Record<(typeof LIVE_STATES)[number], string> = { live: '直播中', ended: '已结束' };

const isoTime = (label: string) =>
  z
    .string()
    .trim()
    .max(40)
    .refine((s) => !Number.isNaN(Date.parse(s)), `${label}不是有效的时间（例如 2016-06-23T14:30:00+08:00）`)
    .transform((s) => new Date(s).toISOString());

export const PinnedSchema = tiptapSchema('置顶信息（热线、安置点、捐助渠道、求助方式）', 20_000);

/** What a live item carries besides the shared item fields. */
export const LiveInfoSchema = z.object({
  mode: z.enum(LIVE_MODES),
  place: z.string().trim().max(100, '地点最多 100 个字').default(''),
  coverageStart: z.string(),
  coverageEnd: z.string().optional(),
  state: z.enum(LIVE_STATES),
  pinned: PinnedSchema.optional(),
  /** When the pinned block was last changed (shown to readers). */
  pinnedAt: z.string().optional(),
});
export type LiveInfo = z.infer<typeof LiveInfoSchema>;

/** What an editor sends when creating a live item. */
export const LiveInfoInputSchema = z.object({
  mode: z.enum(LIVE_MODES, '模式只能是 event（灾情直播）或 qa（在线交流）'),
  place: z.string().trim().max(100, '地点最多 100 个字').refine(lineSafe, LINE_SAFE_MESSAGE).default(''),
  coverageStart: isoTime('开始时间').optional(),
  pinned: PinnedSchema.optional(),
});
export type LiveInfoInput = z.infer<typeof LiveInfoInputSchema>;

/** The running live item the home page announces, if any. */
export function runningLive<T extends { kind: string; live?: { state?: string } }>(items: T[]): T | undefined {
  return items.find((i) => i.kind === 'live' && i.live?.state === 'live');
}
