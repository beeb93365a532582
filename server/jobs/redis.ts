import { Job as BullJob, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { AppError, ConflictError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { EnqueueArgs, JobQueue, TaskContext } from './queue.ts';
import type { Job } from './schema.ts';

const QUEUE = 'lianxin-jobs';
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** What travels through Redis with a job: never a closure, only data a worker can act on. */
interface Payload {
  kind: string;
  target?: string;
  data?: unknown;
  createdAt: string;
  error?: Job['error'];
}

export interface RedisQueueOptions {
  url: string;
  /** Key prefix: one per city/deployment (and per test file). */
  prefix?: string;
  clock?: () => Date;
  /** How often a job is tried before it is failed for good (a worker killed mid-render counts as a try). */
  attempts?: number;
}

const connect = (url: string) => new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
const cancelKey = (prefix: string, id: string) => `${prefix}:cancelled:${id}`;
const cancelChannel = (prefix: string) => `${prefix}:cancel`;

function statusOf(state: string, cancelled: boolean): Job['status'] {
  if (state === 'completed') return 'succeeded';
  if (cancelled) return 'cancelled';
  if (state === 'active') return 'running';
  if (state === 'failed') return 'failed';
  return 'queued';
}

/**
 * The render queue on Redis (BullMQ): the server only enqueues and reads state; `lianxin worker`
 * processes on any machine run the jobs. Jobs survive server restarts; progress, cancel and the
 * failure reason go through Redis, so every instance sees the same job.
 */
export function createRedisJobQueue({ url, prefix = 'lianxin', clock = () => new Date(), attempts = 3 }: RedisQueueOptions): JobQueue & { close(): Promise<void> } {
  const connection = connect(url);
  const queue = new Queue<Payload>(QUEUE, { connection, prefix });

  const toJob = async (job: BullJob<Payload>): Promise<Job> => {
    const [state, cancelled] = await Promise.all([job.getState(), connection.exists(cancelKey(prefix, job.id!))]);
    const status = statusOf(state, cancelled === 1);
    const progress = typeof job.progress === 'number' ? job.progress : 0;
    const error = status === 'failed' ? (job.data.error ?? { code: 'job_failed', message: job.failedReason || '任务失败' }) : status === 'cancelled' ? { code: 'cancelled', message: '任务已取消' } : undefined;
    return {
      id: job.id!,
      kind: job.data.kind,
      ...(job.data.target ? { target: job.data.target } : {}),
      status,
      progress: status === 'succeeded' ? 100 : progress,
      ...(error ? { error } : {}),
      ...(status === 'succeeded' ? { result: job.returnvalue } : {}),
      createdAt: job.data.createdAt,
      ...(job.processedOn ? { startedAt: new Date(job.processedOn).toISOString() } : {}),
      ...(job.finishedOn && FINISHED.has(status) ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
    };
  };

  const find = async (id: string) => {
    const job = await BullJob.fromId<Payload>(queue, id);
    if (!job) throw new NotFoundError(`任务 ${id} 不存在`);
    return job;
  };

  const get = async (id: string) => toJob(await find(id));

  const wait = async (id: string): Promise<Job> => {
    for (;;) {
      const job = await get(id);
      if (FINISHED.has(job.status)) return job;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  return {
    async enqueue<T>({ kind, target, data }: EnqueueArgs<T>): Promise<Job> {
      const id = newId('job');
      const payload: Payload = { kind, ...(target ? { target } : {}), ...(data === undefined ? {} : { data }), createdAt: clock().toISOString() };
      const job = await queue.add(kind, payload, { jobId: id, attempts, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } });
      return toJob(job);
    },
    get,
    async list(filter = {}) {
      const jobs = await queue.getJobs(['active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed'], 0, 1000);
      const out = await Promise.all(jobs.filter((j) => j && (!filter.kind || j.data.kind === filter.kind) && (!filter.target || j.data.target === filter.target)).map(toJob));
      return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async cancel(id) {
      const job = await get(id);
      if (FINISHED.has(job.status)) throw new ConflictError(`任务 ${id} 已结束（${job.status}），不能取消`);
      await connection.set(cancelKey(prefix, id), '1', 'EX', 7 * 24 * 3600);
      // the worker running it aborts at once; a queued one is dropped when a worker picks it up
      await connection.publish(cancelChannel(prefix), id);
      return { ...job, status: 'cancelled', error: { code: 'cancelled', message: '任务已取消' } };
    },
    wait,
    watch(id, listener) {
      let stopped = false;
      let last = '';
      void (async () => {
        while (!stopped) {
          const job = await get(id).catch(() => undefined);
          if (job && JSON.stringify(job) !== last) {
            last = JSON.stringify(job);
            listener(job);
          }
          if (!job || FINISHED.has(job.status)) return;
          await new Promise((r) => setTimeout(r, 300));
        }
      })();
      return () => {
        stopped = true;
      };
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

export type TaskHandler = (data: unknown, ctx: TaskContext) => Promise<unknown>;

export interface WorkerOptions {
  url: string;
  prefix?: string;
  concurrency?: number;
  /** How long a job stays locked to a worker that stopped renewing it (a killed worker) before another takes it. */
  lockMs?: number;
  handlers: Record<string, TaskHandler>;
  log?: Pick<Console, 'info' | 'error'>;
}

/** Takes jobs from the Redis queue and runs them with `handlers[kind]`; cancel arrives by pub/sub. */
export async function startRedisWorker({ url, prefix = 'lianxin', concurrency = 1, lockMs = 30_000, handlers, log = console }: WorkerOptions): Promise<{ close(): Promise<void> }> {
  const connection = connect(url);
  const subscriber = connect(url);
  const controllers = new Map<string, AbortController>();
  await subscriber.subscribe(cancelChannel(prefix));
  subscriber.on('message', (_channel, id: string) => controllers.get(id)?.abort(new AppError(409, 'cancelled', '任务已取消')));

  const worker = new Worker<Payload>(
    QUEUE,
    async (job) => {
      const id = job.id!;
      if ((await connection.exists(cancelKey(prefix, id))) === 1) throw new UnrecoverableError('任务已取消');
      const handler = handlers[job.data.kind];
      if (!handler) throw new UnrecoverableError(`kind: 没有处理「${job.data.kind}」任务的程序`);
      const controller = new AbortController();
      controllers.set(id, controller);
      let progress = 0;
      log.info(`开始任务 ${id}（${job.data.kind} ${job.data.target ?? ''}，第 ${Math.max(job.attemptsStarted, job.attemptsMade + 1)} 次，pid ${process.pid}）`);
      try {
        return await handler(job.data.data, {
          signal: controller.signal,
          progress(percent) {
            const p = Math.round(Math.max(0, Math.min(100, percent)) * 10) / 10;
            if (p <= progress) return;
            progress = p;
            void job.updateProgress(p).catch(() => {});
          },
        });
      } catch (error) {
        const cancelled = controller.signal.aborted;
        const e = error as { code?: string; message?: string; tail?: string; data?: { tail?: string } };
        const detail: NonNullable<Job['error']> = cancelled
          ? { code: 'cancelled', message: '任务已取消' }
          : { code: e.code && typeof e.code === 'string' ? e.code : 'job_failed', message: e.message ?? String(error), ...(e.tail ?? e.data?.tail ? { tail: String(e.tail ?? e.data?.tail) } : {}) };
        await job.updateData({ ...job.data, error: detail }).catch(() => {});
        // a cancel or a 4xx (bad input, changed storyboard) would fail the same way again: no retry
        if (cancelled || (error instanceof AppError && error.status < 500)) throw new UnrecoverableError(detail.message);
        throw error;
      } finally {
        controllers.delete(id);
      }
    },
    { connection, prefix, concurrency, lockDuration: lockMs, stalledInterval: Math.max(1000, Math.floor(lockMs / 2)), maxStalledCount: 1 },
  );
  worker.on('failed', (job, error) => log.error(`任务 ${job?.id} 失败：${error.message}`));
  worker.on('completed', (job) => log.info(`任务 ${job.id} 完成`));
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      subscriber.disconnect();
      connection.disconnect();
    },
  };
}
