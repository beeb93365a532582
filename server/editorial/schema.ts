import { z } from 'zod';

/** A publishing time: ISO 8601 with an offset, or `YYYY-MM-DDTHH:mm` (a datetime-local field) read as China time. */
export const ScheduleSchema = z.object({
  at: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, '发布时间格式应为 2026-12-01T09:30（北京时间）或带时区的 ISO 8601'),
  version: z.number().int().positive(),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

export const VersionSchema = z.object({ version: z.number().int().positive() });

export const IssuesSchema = z.object({ issues: z.array(z.object({ path: z.string(), message: z.string() })) });

/** `2026-12-01T09:30` without an offset is Beijing time (UTC+8), which is what editors mean. */
export function parseChinaTime(text: string): Date {
  const t = text.trim().replace(' ', 'T');
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}${t.length === 16 ? ':00' : ''}+08:00`);
}

export const SlugChangeSchema = z.object({
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, '只允许小写字母、数字和 -（最多 80 个字符）'),
  version: z.number().int().positive(),
});
