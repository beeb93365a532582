import { z } from 'zod';

/** A period: a year (`2026`), a quarter (`2026-Q4`) or a month (`2026-11`). */
export const PeriodSchema = z.string().regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, '时段应为 2026、2026-Q4 或 2026-11');

/** The parts of the evaluation (每年评优) and what each weighs. */
export const DIMENSIONS = ['team', 'concerns', 'service', 'weekly', 'content', 'reach', 'comments'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const DIMENSION_LABELS: Record<Dimension, string> = {
  team: '队伍建设',
  concerns: '民意搜集',
  service: '服务网民',
  weekly: '周报报送',
  content: '内容发布',
  reach: '传播效果',
  comments: '网络评论',
};

const weight = z.number().int('权重应为整数').min(0, '权重不能为负').max(100, '权重最大 100');
export const WeightsSchema = z
  .object(Object.fromEntries(DIMENSIONS.map((d) => [d, weight])) as Record<Dimension, typeof weight>)
  .refine((w) => DIMENSIONS.some((d) => w[d] > 0), { message: '至少有一项权重大于 0', path: ['team'] });
export type Weights = z.infer<typeof WeightsSchema>;
export const DEFAULT_WEIGHTS: Weights = { team: 15, concerns: 20, service: 25, weekly: 10, content: 10, reach: 10, comments: 10 };

/** One comment a member posted online (网络评论), logged with its link. */
export const CommentLogSchema = z.object({
  id: z.string(),
  userId: z.string(),
  orgId: z.string(),
  url: z.string(),
  platform: z.string(),
  note: z.string().default(''),
  postedAt: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CommentLog = z.infer<typeof CommentLogSchema>;
export const CreateCommentSchema = z.object({
  url: z.url('url: 请填写评论的链接').max(1000).refine((u) => /^https?:\/\//i.test(u), '只接受 http(s) 链接'),
  platform: z.enum(['weibo', 'wechat', 'forum', 'douyin', 'other']).default('other'),
  note: z.string().trim().max(500, '说明最多 500 字').default(''),
  postedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}/, '日期格式应为 YYYY-MM-DD').optional(),
});
export type CreateComment = z.infer<typeof CreateCommentSchema>;
export const PLATFORM_LABELS: Record<string, string> = { weibo: '微博', wechat: '微信', forum: '论坛', douyin: '抖音', other: '其他' };

/** An org or a member commended for a year (表彰). */
export const CommendationSchema = z.object({
  id: z.string(),
  year: z.number().int(),
  type: z.enum(['org', 'member']),
  targetId: z.string(),
  /** What they are commended as: 先进集体, 优秀网宣志愿者 … */
  title: z.string(),
  citation: z.string().default(''),
  by: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Commendation = z.infer<typeof CommendationSchema>;
export const CreateCommendationSchema = z.object({
  year: z.number().int().min(2000, '年份不对').max(2100, '年份不对'),
  type: z.enum(['org', 'member']),
  targetId: z.string().min(1, '请选择组织或成员').max(64),
  title: z.string().trim().min(1, '请填写表彰称号').max(40, '称号最多 40 字'),
  citation: z.string().trim().max(300, '事迹最多 300 字').default(''),
});
export type CreateCommendation = z.infer<typeof CreateCommendationSchema>;

export const OrgMetricsSchema = z.object({
  members: z.number(),
  activeMembers: z.number(),
  concernsLogged: z.number(),
  concernsOnTime: z.number(),
  responseRate: z.number().nullable(),
  answered: z.number(),
  avgHoursToAnswer: z.number().nullable(),
  handledOffline: z.number(),
  weeksWithConcerns: z.number(),
  weeklyOnTime: z.number(),
  published: z.record(z.string(), z.number()),
  publishedTotal: z.number(),
  views: z.number(),
  shares: z.number(),
  comments: z.number(),
});
export type OrgMetrics = z.infer<typeof OrgMetricsSchema>;

export const OrgRowSchema = z.object({ rank: z.number(), orgId: z.string(), name: z.string(), score: z.number(), scores: z.record(z.string(), z.number()), metrics: OrgMetricsSchema, commended: z.string().optional() });
export const MemberRowSchema = z.object({
  rank: z.number(),
  userId: z.string(),
  name: z.string(),
  orgName: z.string(),
  score: z.number(),
  concerns: z.number(),
  items: z.number(),
  comments: z.number(),
  views: z.number(),
  commended: z.string().optional(),
});
export const EvaluationSchema = z.object({
  period: z.string(),
  label: z.string(),
  from: z.string(),
  to: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  weights: z.record(z.string(), z.number()),
  /** Chinese names of the item kinds counted in `metrics.published`. */
  kindLabels: z.record(z.string(), z.string()),
  orgs: z.array(OrgRowSchema),
  members: z.array(MemberRowSchema),
  generatedAt: z.string(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;
export type OrgRow = z.infer<typeof OrgRowSchema>;
export type MemberRow = z.infer<typeof MemberRowSchema>;
