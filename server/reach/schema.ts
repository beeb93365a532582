import { z } from 'zod';

/** Where a read or share happened. `site` is the beacon; `link` counts short-link clicks from anywhere. */
export const CHANNELS = ['site', 'wechat', 'weibo', 'video', 'link'] as const;
export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;
export const CHANNEL_LABELS: Record<Channel, string> = { site: '网站', wechat: '微信公众号', weibo: '微博', video: '视频号/短视频', link: '短链接' };

/** How a figure got in: counted by us (beacon, short link) or taken from a platform export / typed in. */
export const SOURCES = ['beacon', 'link', 'import', 'manual'] as const;
export type ReachSource = (typeof SOURCES)[number];

export const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '不是有效的日期');

/** The figures kept per item, day, channel and source; raw hits are never stored. */
export const MetricsSchema = z.object({
  views: z.number().int().min(0).default(0),
  uniques: z.number().int().min(0).default(0),
  shares: z.number().int().min(0).default(0),
  likes: z.number().int().min(0).default(0),
  comments: z.number().int().min(0).default(0),
  favorites: z.number().int().min(0).default(0),
  reposts: z.number().int().min(0).default(0),
  clicks: z.number().int().min(0).default(0),
});
export type Metrics = z.infer<typeof MetricsSchema>;
export const METRIC_KEYS = Object.keys(MetricsSchema.shape) as (keyof Metrics)[];
export const METRIC_LABELS: Record<keyof Metrics, string> = { views: '阅读', uniques: '读者', shares: '分享', likes: '点赞/在看', comments: '评论', favorites: '收藏', reposts: '转发', clicks: '短链点击' };

/** One aggregate row: id `source~itemId~day~channel`. Beacon and link rows add up; import and manual rows are replaced (idempotent). */
export const ReachRecordSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  orgId: z.string(),
  kind: z.string(),
  day: DaySchema,
  channel: ChannelSchema,
  source: z.enum(SOURCES),
  ...MetricsSchema.shape,
  /** Referrer host → views (beacon rows only). */
  referrers: z.record(z.string(), z.number().int()).default({}),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReachRecord = z.infer<typeof ReachRecordSchema>;

/** The body `navigator.sendBeacon` posts. */
export const HitSchema = z.object({
  url: z.string().max(2000),
  itemId: z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, '只允许字母、数字、_ 和 -'),
  ref: z.string().max(2000).optional().default(''),
});
export type Hit = z.infer<typeof HitSchema>;

export const SummaryQuerySchema = z.object({
  itemId: z.string().max(128).optional(),
  org: z.string().max(64).optional(),
  column: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, '栏目不对').optional(),
  channel: ChannelSchema.optional(),
  from: DaySchema.optional(),
  to: DaySchema.optional(),
});
export type SummaryQuery = z.infer<typeof SummaryQuerySchema>;

export const SummarySchema = z.object({
  views: z.number(),
  uniques: z.number(),
  shares: z.number(),
  likes: z.number(),
  comments: z.number(),
  reposts: z.number(),
  clicks: z.number(),
  byChannel: z.record(z.string(), MetricsSchema),
  byDay: z.array(z.object({ day: z.string(), views: z.number(), uniques: z.number(), shares: z.number() })),
});
export type Summary = z.infer<typeof SummarySchema>;

/** A tracked short link `/r/<code>` for one item and channel. */
export const ShortLinkSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  channel: ChannelSchema,
  target: z.string(),
  createdBy: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ShortLink = z.infer<typeof ShortLinkSchema>;
export const CreateLinkSchema = z.object({ itemId: z.string().min(1).max(128), channel: ChannelSchema.default('link') });

/** Manual figures for one item, day and channel (replaces the previous manual entry). */
export const ManualEntrySchema = z.object({
  itemId: z.string().min(1).max(128),
  day: DaySchema,
  channel: z.enum(['wechat', 'weibo', 'video', 'site']),
  ...MetricsSchema.partial().shape,
});
export type ManualEntry = z.infer<typeof ManualEntrySchema>;
