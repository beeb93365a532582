import { z } from 'zod';

/** Where a concern was seen. Ids are stable; labels are what people read. */
export const PLATFORMS = [
  'weibo',
  'wechat',
  'forum-xici',
  'forum-heming',
  'forum-other',
  'site580',
  'youth-voice',
  'hotline',
  'douyin',
  'kuaishou',
  'xiaohongshu',
  'bilibili',
  'toutiao',
  'offline',
  'other',
] as const;
export const PlatformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof PlatformSchema>;

export const PLATFORM_LABELS: Record<Platform, string> = {
  weibo: '微博',
  wechat: '微信',
  'forum-xici': '西祠胡同',
  'forum-heming': '鹤鸣亭',
  'forum-other': '其他论坛',
  site580: '580志愿服务网',
  'youth-voice': '青年之声',
  hotline: '12345 热线',
  douyin: '抖音',
  kuaishou: '快手',
  xiaohongshu: '小红书',
  bilibili: '哔哩哔哩',
  toutiao: '今日头条',
  offline: '线下',
  other: '其他',
};

/** Default categories; admins can edit the list in settings. */
export const DEFAULT_CATEGORIES = [
  '教育',
  '城建',
  '交通',
  '环境',
  '医疗',
  '就业创业',
  '社会保障',
  '党风廉政',
  '公共安全',
  '灾害',
  '其他',
] as const;

export const CONCERN_STATUSES = ['received', 'answered', 'handled', 'replied', 'closed'] as const;
export const ConcernStatusSchema = z.enum(CONCERN_STATUSES);
export type ConcernStatus = z.infer<typeof ConcernStatusSchema>;

export const STATUS_LABELS: Record<ConcernStatus, string> = {
  received: '已收集',
  answered: '已回应',
  handled: '已办理',
  replied: '已回复',
  closed: '已关闭',
};

export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
/** ISO week such as `2026-W48`. */
export const IsoWeekSchema = z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'ISO 周格式应为 2026-W48');

export const SourceSchema = z.object({
  platform: PlatformSchema,
  url: z.url({ protocol: /^https?$/ }).optional(),
  /** Author handle: optional, never published, removable with "forget". */
  author: z.string().max(100).optional(),
});
export type Source = z.infer<typeof SourceSchema>;

export const AnswerSchema = z.object({
  at: IsoDateTimeSchema,
  by: z.string(),
  /** `online`: a reply posted where the concern was seen; `item`: a published item answers its group. */
  via: z.enum(['online', 'item']),
  note: z.string().max(2000).optional(),
  itemId: z.string().optional(),
  url: z.string().optional(),
});

export const HandlingSchema = z.object({
  who: z.string().min(1).max(200),
  what: z.string().min(1).max(2000),
  when: IsoDateTimeSchema,
});
export type Handling = z.infer<typeof HandlingSchema>;

export const StepsSchema = z.object({
  receivedAt: IsoDateTimeSchema,
  answeredAt: IsoDateTimeSchema.optional(),
  handledAt: IsoDateTimeSchema.optional(),
  repliedAt: IsoDateTimeSchema.optional(),
  closedAt: IsoDateTimeSchema.optional(),
});

export const HistoryEntrySchema = z.object({
  at: IsoDateTimeSchema,
  actorId: z.string(),
  from: ConcernStatusSchema.nullable(),
  to: ConcernStatusSchema,
  comment: z.string().optional(),
});

export const ConcernSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  text: z.string().min(1).max(2000),
  source: SourceSchema,
  category: z.string().min(1),
  district: z.string().min(1),
  orgId: z.string(),
  capturedBy: z.string(),
  capturedAt: IsoDateTimeSchema,
  /** ISO week of capturedAt (Asia/Shanghai), kept for filtering. */
  week: IsoWeekSchema,
  status: ConcernStatusSchema,
  closedReason: z.string().optional(),
  groupId: z.string().optional(),
  duplicateOf: z.string().optional(),
  /** sha1 of the normalised text: same words, same fingerprint. */
  fingerprint: z.string(),
  steps: StepsSchema,
  answer: AnswerSchema.optional(),
  handling: HandlingSchema.optional(),
  reply: z.object({ at: IsoDateTimeSchema, note: z.string().max(2000) }).optional(),
  feedback: z.array(z.object({ at: IsoDateTimeSchema, fromOrgId: z.string(), text: z.string() })).default([]),
  history: z.array(HistoryEntrySchema),
});
export type Concern = z.infer<typeof ConcernSchema>;

/** One row of an import or the quick form, before it becomes a Concern. */
export const ConcernInputSchema = z.object({
  text: z.string().trim().min(1, '内容不能为空').max(2000, '内容不能超过 2000 字'),
  platform: PlatformSchema,
  url: SourceSchema.shape.url,
  category: z.string().trim().min(1).optional(),
  district: z.string().trim().min(1).optional(),
  capturedAt: IsoDateTimeSchema.optional(),
  author: z.string().trim().max(100, '作者不能超过 100 字').optional(),
});
export type ConcernInput = z.infer<typeof ConcernInputSchema>;

export const ImportResultSchema = z.object({
  imported: z.number().int(),
  skipped: z.number().int(),
  duplicates: z.number().int().optional(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
  /** The import record (GET /api/concerns/imports/{id}); a preview is committed with POST …/commit. */
  importId: z.string().optional(),
  /** The first rows of the file as read, each with its error if it has one. */
  preview: z.array(z.object({ line: z.number().int(), values: z.record(z.string(), z.string()), error: z.string().optional() })).optional(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;
