import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { buildSite } from '../../server/publish/service.ts';
import { defaultSiteDir } from '../../server/publish/publisher.ts';
import type { Command } from './types.ts';

const PHASES = ['read', 'astro', 'feeds', 'cards', 'media', 'exports', 'search'];

export const build: Command = {
  name: 'build',
  summary: 'build the public site (Astro), feeds, share cards, export lists and search index from the publish snapshot',
  usage: 'build [--out DIR] [--no-search]',
  async run(ctx) {
    const outAt = ctx.argv.indexOf('--out');
    const outDir = resolve(outAt >= 0 && ctx.argv[outAt + 1] ? ctx.argv[outAt + 1]! : defaultSiteDir(ctx.config.dataDir));
    const bar = ctx.json ? undefined : new cliProgress.SingleBar({ format: '构建站点 [{bar}] {value}/{total} {phase}' }, cliProgress.Presets.shades_classic);
    bar?.start(PHASES.length, 0, { phase: '' });
    const report = await buildSite(
      { dataDir: ctx.config.dataDir, outDir, siteUrl: ctx.config.siteUrl, siteTitle: ctx.config.siteTitle },
      { search: !ctx.argv.includes('--no-search'), onPhase: (phase) => bar?.update(PHASES.indexOf(phase), { phase }) },
    );
    bar?.update(PHASES.length, { phase: '完成' });
    bar?.stop();
    const total = Object.values(report.ms).reduce((a, b) => a + b, 0);
    ctx.print({ outDir, ...report }, `已构建 ${report.items} 条内容、${report.pages} 个页面到 ${outDir}（${(total / 1000).toFixed(1)} 秒；Astro ${(report.ms.astro! / 1000).toFixed(1)} 秒）`);
  },
};
