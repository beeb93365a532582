import { z } from 'zod';

export const JobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** A background job as the API shows it; `result` is the task's return value once it succeeded. */
export const JobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** What the job works on, e.g. the item id of a render. */
  target: z.string().optional(),
  status: JobStatusSchema,
  /** 0–100; parsed from ffmpeg's `time=` for renders. */
  progress: z.number().min(0).max(100),
  error: z.object({ code: z.string(), message: z.string(), tail: z.string().optional() }).optional(),
  result: z.unknown().optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});
export type Job = z.infer<typeof JobSchema>;

export const JobIdSchema = z.object({ id: z.string().regex(/^job_[0-9a-z]+$/, '任务编号格式不对') });
