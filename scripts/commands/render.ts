import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { getItem } from '../../server/content/service.ts';
import type { Render } from '../../server/video/schema.ts';
import { startRender } from '../../server/kinds/video/render-job.ts';
import { usageError, type Command } from './types.ts';

export const render: Command = {
  name: 'render',
  summary: 'render a video item to MP4 (progress bar; --json prints { path, duration, width, height })',
  usage: 'render ITEM',
  async run(ctx) {
    const id = ctx.argv.find((a) => !a.startsWith('-'));
    if (!id) return usageError(this.usage);
    const deps = await ctx.openDeps();
    const item = await getItem({ deps, id });
    const job = await startRender({ deps, id: item.id });
    const bar = ctx.json ? null : new cliProgress.SingleBar({ format: `渲染 ${item.title.slice(0, 20)} [{bar}] {percentage}% | {eta_formatted}`, hideCursor: true }, cliProgress.Presets.shades_classic);
    bar?.start(100, 0);
    const unwatch = deps.jobs.watch(job.id, (j) => bar?.update(Math.floor(j.progress)));
    const cancel = () => deps.jobs.cancel(job.id);
    process.once('SIGINT', cancel);
    const done = await deps.jobs.wait(job.id);
    process.off('SIGINT', cancel);
    unwatch();
    bar?.stop();
    if (done.status !== 'succeeded') {
      ctx.print({ error: { status: done.status, ...done.error } });
      if (!ctx.json) console.error(`渲染${done.status === 'cancelled' ? '已取消' : `失败：${done.error?.message}`}${done.error?.tail ? `\n--- ffmpeg ---\n${done.error.tail}` : ''}`);
      return 1;
    }
    const r = done.result as Render;
    const path = join(deps.config.dataDir, r.file);
    ctx.print({ path, duration: r.duration, width: r.width, height: r.height }, `已渲染：${path}（${r.width}×${r.height}，${r.duration} 秒）`);
    return 0;
  },
};
