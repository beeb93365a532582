import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { createRedisJobQueue, startRedisWorker, type TaskHandler } from '../../server/jobs/redis.ts';
import { serviceAvailable, TEST_REDIS_URL } from '../services.ts';

const enabled = serviceAvailable('redis', TEST_REDIS_URL);
const url = TEST_REDIS_URL ?? '';
const prefixes: string[] = [];
const fresh = () => {
  const prefix = `lianxin-test-${randomBytes(5).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
};
const quiet = { info: () => {}, error: () => {} };

afterAll(async () => {
  if (!enabled) return;
  const redis = new Redis(url);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
});

describe.skipIf(!enabled)('render queue on Redis (BullMQ)', () => {
  test('a job queued before any worker runs survives the queue closing (a server restart) and is seen from another instance', async () => {
    const prefix = fresh();
    const first = createRedisJobQueue({ url, prefix });
    const job = await first.enqueue({ kind: 'echo', target: 'it_1', data: { word: '连心' }, run: async () => 'never runs here' });
    expect(job).toMatchObject({ kind: 'echo', target: 'it_1', status: 'queued', progress: 0 });
    expect(job.id).toMatch(/^job_[0-9a-z]+$/);
    await first.close();

    const handlers: Record<string, TaskHandler> = {
      echo: async (data, ctx) => {
        ctx.progress(40);
        ctx.progress(30); // never moves back
        return { echoed: (data as { word: string }).word };
      },
    };
    const worker = await startRedisWorker({ url, prefix, handlers, log: quiet });
    const second = createRedisJobQueue({ url, prefix });
    try {
      const done = await second.wait(job.id);
      expect(done).toMatchObject({ status: 'succeeded', progress: 100, result: { echoed: '连心' }, target: 'it_1' });
      expect(done.finishedAt).toBeTruthy();
      expect((await second.list({ target: 'it_1' })).map((j) => j.id)).toEqual([job.id]);
      await expect(second.cancel(job.id)).rejects.toMatchObject({ status: 409 });
      await expect(second.get('job_doesnotexist')).rejects.toMatchObject({ status: 404 });
    } finally {
      await worker.close();
      await second.close();
    }
  });

  test('cancel from another instance aborts the running task; it is not retried', async () => {
    const prefix = fresh();
    let starts = 0;
    const worker = await startRedisWorker({
      url,
      prefix,
      log: quiet,
      handlers: {
        slow: (_data, ctx) =>
          new Promise((_resolve, reject) => {
            starts++;
            ctx.progress(10);
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
          }),
      },
    });
    const a = createRedisJobQueue({ url, prefix });
    const b = createRedisJobQueue({ url, prefix });
    try {
      const job = await a.enqueue({ kind: 'slow', run: async () => undefined });
      for (let i = 0; i < 100 && (await b.get(job.id)).status !== 'running'; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await b.get(job.id)).status).toBe('running');
      expect((await b.cancel(job.id)).status).toBe('cancelled');
      const done = await a.wait(job.id);
      expect(done).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
      await new Promise((r) => setTimeout(r, 1500));
      expect(starts).toBe(1);
    } finally {
      await worker.close();
      await a.close();
      await b.close();
    }
  });

  test('a server error is retried up to the attempts, then failed with its reason; a 4xx fails at once', async () => {
    const prefix = fresh();
    const tries: Record<string, number> = {};
    const worker = await startRedisWorker({
      url,
      prefix,
      log: quiet,
      handlers: {
        flaky: async (data) => {
          const key = (data as { key: string }).key;
          tries[key] = (tries[key] ?? 0) + 1;
          throw new Error(`ffmpeg exited with code 1 (try ${tries[key]})`);
        },
        bad: async () => {
          tries.bad = (tries.bad ?? 0) + 1;
          throw new AppError(409, 'conflict', 'storyboard: 渲染期间分镜被修改，本次成片已作废，请重新渲染');
        },
      },
    });
    const queue = createRedisJobQueue({ url, prefix, attempts: 2 });
    try {
      const flaky = await queue.enqueue({ kind: 'flaky', data: { key: 'f' }, run: async () => undefined });
      const bad = await queue.enqueue({ kind: 'bad', run: async () => undefined });
      expect(await queue.wait(flaky.id)).toMatchObject({ status: 'failed', error: { message: 'ffmpeg exited with code 1 (try 2)' } });
      expect(await queue.wait(bad.id)).toMatchObject({ status: 'failed', error: { code: 'conflict', message: expect.stringMatching(/^storyboard: /) } });
      expect(tries).toEqual({ f: 2, bad: 1 });
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
