import { randomBytes } from 'node:crypto';
import { AppError, ConflictError, NotFoundError } from '../errors.ts';
import type { Job } from './schema.ts';

export interface TaskContext {
  signal: AbortSignal;
  /** Reports 0–100; values only move forward. */
  progress(percent: number): void;
}

export interface EnqueueArgs<T> {
  kind: string;
  target?: string;
  /** What a worker in another process needs to run the task (`run` cannot travel); JSON only. */
  data?: unknown;
  run: (ctx: TaskContext) => Promise<T>;
}

type MaybePromise<T> = T | Promise<T>;

/** Background jobs: in this process (createJobQueue) or on Redis for `lianxin worker` processes (createRedisJobQueue). */
export interface JobQueue {
  enqueue<T>(args: EnqueueArgs<T>): MaybePromise<Job>;
  get(id: string): MaybePromise<Job>;
  list(filter?: { target?: string; kind?: string }): MaybePromise<Job[]>;
  /** Cancels a queued or running job; finished jobs answer 409. */
  cancel(id: string): MaybePromise<Job>;
  /** Resolves with the job once it is finished (succeeded, failed or cancelled). */
  wait(id: string): Promise<Job>;
  /** Subscribes to every change of a job; returns the unsubscribe function. */
  watch(id: string, listener: (job: Job) => void): () => void;
}

interface Entry {
  job: Job;
  run: (ctx: TaskContext) => Promise<unknown>;
  controller: AbortController;
  listeners: Set<(job: Job) => void>;
  done: Promise<Job>;
  settle: (job: Job) => void;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** In-memory job queue with bounded concurrency (default 1): renders share two cores. */
/** The in-process queue answers at once. */
export interface LocalJobQueue extends JobQueue {
  enqueue<T>(args: EnqueueArgs<T>): Job;
  get(id: string): Job;
  list(filter?: { target?: string; kind?: string }): Job[];
  cancel(id: string): Job;
}

export function createJobQueue(options: { concurrency?: number; clock?: () => Date; keep?: number } = {}): LocalJobQueue {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const clock = options.clock ?? (() => new Date());
  const keep = options.keep ?? 500;
  const entries = new Map<string, Entry>();
  const waiting: Entry[] = [];
  let running = 0;

  const emit = (entry: Entry, patch: Partial<Job>) => {
    entry.job = { ...entry.job, ...patch };
    for (const listener of entry.listeners) listener(entry.job);
    if (FINISHED.has(entry.job.status)) entry.settle(entry.job);
  };

  const prune = () => {
    if (entries.size <= keep) return;
    for (const [id, entry] of entries) {
      if (entries.size <= keep) break;
      if (FINISHED.has(entry.job.status)) entries.delete(id);
    }
  };

  const pump = () => {
    while (running < concurrency && waiting.length > 0) {
      const entry = waiting.shift()!;
      running++;
      void start(entry).finally(() => {
        running--;
        pump();
      });
    }
  };

  const start = async (entry: Entry) => {
    emit(entry, { status: 'running', startedAt: clock().toISOString() });
    const progress = (percent: number) => {
      const p = Math.round(Math.max(0, Math.min(100, percent)) * 10) / 10;
      if (p > entry.job.progress && entry.job.status === 'running') emit(entry, { progress: p });
    };
    try {
      const result = await entry.run({ signal: entry.controller.signal, progress });
      if (entry.controller.signal.aborted) throw entry.controller.signal.reason;
      emit(entry, { status: 'succeeded', progress: 100, result, finishedAt: clock().toISOString() });
    } catch (err) {
      const finishedAt = clock().toISOString();
      if (entry.controller.signal.aborted) return emit(entry, { status: 'cancelled', finishedAt });
      const app = err instanceof AppError ? err : null;
      const tail = (err as { tail?: unknown }).tail;
      if (!app || app.status >= 500) console.error(`job ${entry.job.id} (${entry.job.kind}) failed:`, err);
      emit(entry, {
        status: 'failed',
        finishedAt,
        error: { code: app?.code ?? 'internal_error', message: err instanceof Error ? err.message : String(err), ...(typeof tail === 'string' ? { tail } : {}) },
      });
    }
  };

  const entryOf = (id: string) => {
    const entry = entries.get(id);
    if (!entry) throw new NotFoundError(`任务 ${id} 不存在`);
    return entry;
  };

  return {
    enqueue({ kind, target, run }) {
      const id = `job_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
      let settle!: (job: Job) => void;
      const done = new Promise<Job>((resolve) => (settle = resolve));
      const job: Job = { id, kind, status: 'queued', progress: 0, createdAt: clock().toISOString(), ...(target ? { target } : {}) };
      const entry: Entry = { job, run, controller: new AbortController(), listeners: new Set(), done, settle };
      entries.set(id, entry);
      waiting.push(entry);
      prune();
      queueMicrotask(pump);
      return job;
    },
    get: (id) => entryOf(id).job,
    list: (filter = {}) => [...entries.values()].map((e) => e.job).filter((j) => (!filter.target || j.target === filter.target) && (!filter.kind || j.kind === filter.kind)),
    cancel(id) {
      const entry = entryOf(id);
      if (FINISHED.has(entry.job.status)) throw new ConflictError(`任务已结束（${entry.job.status}），无法取消`);
      entry.controller.abort(new AppError(409, 'cancelled', '已取消'));
      const index = waiting.indexOf(entry);
      if (index >= 0) {
        waiting.splice(index, 1);
        emit(entry, { status: 'cancelled', finishedAt: clock().toISOString() });
      }
      return entry.job;
    },
    wait: (id) => entryOf(id).done,
    watch(id, listener) {
      const entry = entryOf(id);
      entry.listeners.add(listener);
      return () => entry.listeners.delete(listener);
    },
  };
}
