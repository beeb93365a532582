import { z } from 'zod';
import { ConcernStatusSchema, IsoDateTimeSchema, IsoWeekSchema } from '../concerns/schema.ts';

const CountRowSchema = z.object({ name: z.string(), received: z.number().int(), answered: z.number().int() });

export const ReportGroupSchema = z.object({
  id: z.string(),
  title: z.string(),
  size: z.number().int(),
  quotes: z.array(z.string()),
  /** The least advanced status among its concerns: a group is answered only when all of them are. */
  status: ConcernStatusSchema,
  statusCounts: z.record(z.string(), z.number().int()),
  decision: z.string(),
  escalatedTo: z.string().optional(),
  items: z.array(z.object({ title: z.string(), url: z.string().optional() })).default([]),
  feedback: z.array(z.object({ from: z.string(), text: z.string(), at: IsoDateTimeSchema })).default([]),
});
export type ReportGroup = z.infer<typeof ReportGroupSchema>;

export const ResponseRateSchema = z.object({
  withinDays: z.number().int(),
  received: z.number().int(),
  answered: z.number().int(),
  /** answered within N days ÷ received; null when nothing was received. */
  rate: z.number().nullable(),
});
export type ResponseRate = z.infer<typeof ResponseRateSchema>;

/** The 网情民意周报 of one org for one ISO week; a parent's report also lists its children's. */
export const WeeklyReportSchema = z.object({
  orgId: z.string(),
  orgName: z.string(),
  week: IsoWeekSchema,
  from: z.string(),
  to: z.string(),
  generatedAt: IsoDateTimeSchema,
  totals: z.object({
    received: z.number().int(),
    answered: z.number().int(),
    handled: z.number().int(),
    replied: z.number().int(),
    closed: z.number().int(),
    open: z.number().int(),
    duplicates: z.number().int(),
    overdue: z.number().int(),
  }),
  byCategory: z.array(CountRowSchema),
  byDistrict: z.array(CountRowSchema),
  /** By platform label (微博, 抖音 …); absent in snapshots filed before it existed. */
  byPlatform: z.array(CountRowSchema).optional(),
  /** This week and the five before it, oldest first: the week-over-week change and the response rate over time. */
  trend: z.array(z.object({ week: IsoWeekSchema, received: z.number().int(), answered: z.number().int(), rate: z.number().nullable() })).optional(),
  groups: z.array(ReportGroupSchema),
  decisions: z.array(z.object({ group: z.string(), decision: z.string() })),
  escalations: z.array(z.object({ group: z.string(), from: z.string(), to: z.string(), note: z.string().optional() })),
  responseRate: ResponseRateSchema,
  children: z
    .array(z.object({ orgId: z.string(), orgName: z.string(), received: z.number().int(), answered: z.number().int(), rate: z.number().nullable(), groups: z.number().int() }))
    .default([]),
});
export type WeeklyReport = z.infer<typeof WeeklyReportSchema>;

export const REPORT_STATUS_LABELS: Record<z.infer<typeof ConcernStatusSchema>, string> = {
  received: '待回应',
  answered: '已回应',
  handled: '已办理',
  replied: '已回复',
  closed: '已关闭',
};
