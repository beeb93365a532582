import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { buildSite } from '../../server/publish/service.ts';
import { defaultSiteDir } from '../../server/publish/publisher.ts';
import type { Command } from './types.ts';

// in the order they start: search and cards run alongside the Astro render
const PHASES = ['astro', 'read', 'search', 'cards', 'feeds', 'media', 'exports'];

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
    ctx.print({ outDir, ...report }, `已构建 ${report.items} 条内容、${report.pages} 个页面到 ${outDir}（${(report.wallMs / 1000).toFixed(1)} 秒；Astro ${(report.ms.astro! / 1000).toFixed(1)} 秒）`);
  },
};
