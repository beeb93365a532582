import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startRedisWorker } from '../../server/jobs/redis.ts';
import { runRenderTask, type RenderTaskData } from '../../server/kinds/video/render-job.ts';
import { usageError, type Command } from './types.ts';
import { mediaRootDir } from '../../server/media/storage.ts';

const USAGE = 'worker [--concurrency N]';

/** Render temp dirs older than this were left by a worker that died; live renders are younger. */
const STALE_TEMP_MS = 6 * 3600_000;

async function removeStaleRenderTemps(dataDir: string): Promise<number> {
  const root = mediaRootDir(dataDir);
  if (!root) return 0;
  const dir = join(root, '.tmp');
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names.filter((n) => n.startsWith('render-'))) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) {
      await rm(join(dir, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

export const worker: Command = {
  name: 'worker',
  summary: 'take render jobs from Redis ($LIANXIN_REDIS_URL) on this machine; store in PostgreSQL, media in the shared data dir',
  usage: USAGE,
  async run(ctx) {
    const at = ctx.argv.indexOf('--concurrency');
    const concurrency = at >= 0 ? Number(ctx.argv[at + 1]) : Number(process.env.LIANXIN_WORKER_CONCURRENCY) || 1;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) return usageError(USAGE);
    if (!ctx.config.redisUrl || !ctx.config.databaseUrl) {
      console.error('错误：worker 需要 LIANXIN_REDIS_URL（任务队列）和 LIANXIN_DATABASE_URL（共享数据库）；单机部署时渲染在服务器进程内完成，不需要 worker。');
      return 2;
    }
    const deps = await ctx.openDeps();
    const removed = await removeStaleRenderTemps(ctx.config.dataDir);
    if (removed) console.log(`已清理 ${removed} 个中断渲染留下的临时目录`);
    const running = await startRedisWorker({
      url: ctx.config.redisUrl,
      prefix: ctx.config.redisPrefix,
      concurrency,
      lockMs: Number(process.env.LIANXIN_WORKER_LOCK_MS) || 30_000,
      handlers: { render: (data, task) => runRenderTask(deps, data as RenderTaskData, task) },
    });
    console.log(`连心 worker 已启动（pid ${process.pid}，并发 ${concurrency}，队列前缀 ${ctx.config.redisPrefix}）`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    console.log('正在停止 worker（等待进行中的任务结束）…');
    await running.close();
    return 0;
  },
};
