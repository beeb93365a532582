// Site build throughput and publish latency.
//
// Astro configuration (astro.config.mjs): static output, build.concurrency 2 (two pages rendered
// in flight on this 2-core machine), build.inlineStylesheets 'always' (no CSS request), compressHTML;
// collection reads are cached: src/lib/site.ts reads `getCollection('items')` once per build and
// indexes it by column and tag, and each getStaticPaths hands pages their items as props (no
// per-page collection scans). Incremental publish reuses the same build with a path filter
// (LIANXIN_ONLY_PATHS) so only the changed item, its lists, tags and home render.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeSnapshot, writeFixtureSnapshots } from '../../tests/site/fixtures.ts';
import { buildSite } from '../../server/publish/service.ts';
import { updateSite } from '../../server/publish/incremental.ts';
import { readSnapshots, snapshotDir } from '../../server/publish/snapshots.ts';
import { serveSite } from '../../server/publish/static-site.ts';
import { renderShareCard } from '../../server/media/share-card.ts';
import { Hono } from 'hono';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { mb, printTable } from './_format.ts';
import { astroBuilderPid } from '../../server/publish/build-site.ts';

const SITE_URL = 'https://lianxin.example.cn';

/** Resident memory of a process in bytes (0 when it is gone). */
function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Peak of (this process + the builder process) sampled together every 50 ms, so the figure is
 * memory in use at one moment, not the sum of two peaks reached at different times.
 */
function trackPeakRss(): () => { total: number; builder: number } {
  let total = 0;
  let builder = 0;
  const sample = () => {
    const child = rssOf(astroBuilderPid());
    builder = Math.max(builder, child);
    total = Math.max(total, process.memoryUsage().rss + child);
  };
  sample();
  const timer = setInterval(sample, 50);
  return () => {
    clearInterval(timer);
    sample();
    return { total, builder };
  };
}

/** Full build of `count` items, then "approved → page served" for one new item. */
async function measure(count: number) {
  const dataDir = mkdtempSync(join(tmpdir(), `lianxin-bench-${count}-`));
  const outDir = join(dataDir, 'site');
  writeFixtureSnapshots({ dataDir, count });
  const args = { dataDir, outDir, siteUrl: SITE_URL, siteTitle: '连心' };
  const peak = trackPeakRss();
  const t0 = performance.now();
  const report = await buildSite(args, { cards: false, search: count <= 1000 });
  const total = performance.now() - t0;
  const peakRss = peak();
  let searchMs = report.ms.search ?? NaN;
  if (count > 1000) {
    const { indexSite } = await import('../../server/publish/search-index.ts');
    const ts = performance.now();
    await indexSite({ outDir });
    searchMs = performance.now() - ts;
  }

  // Publish: the core writes the snapshot and emits item.published; the publisher renders the
  // changed pages; "served" is the first 200 from the static handler with the new title.
  const before = new Map(readSnapshots({ dataDir }).map((i) => [i.id, i]));
  const fresh = makeSnapshot(count + 1, { kind: 'notice', title: `新发布:第${count + 1}号`, publishedAt: new Date().toISOString() });
  const app = new Hono().get('*', serveSite({ siteDir: () => outDir, dataDir }));
  const tp = performance.now();
  writeFileSync(join(snapshotDir(dataDir), `${fresh.id}.json`), JSON.stringify(fresh));
  const update = await updateSite({ ...args, ids: [fresh.id], before });
  const res = await app.request(fresh.url);
  const served = res.status === 200 && (await res.text()).includes(fresh.title);
  const publishMs = performance.now() - tp;

  const page = readFileSync(join(outDir, 'rumors', 'item-1', 'index.html'));
  rmSync(dataDir, { recursive: true, force: true });
  return { count, report, total, peakRss, searchMs, publishMs, served, update, pageGz: gzipSync(page).length };
}

export async function run(): Promise<void> {
  console.log('Full build: Astro pages + feeds + sitemap + export lists (share cards cached at publish, measured apart).');
  console.log('Figures are noisy when other helpers share the 2 cores.\n');
  const rows = [];
  for (const count of [10, 10_000]) {
    const m = await measure(count);
    rows.push({
      items: m.count,
      pages: m.report.pages,
      'astro s': (m.report.ms.astro! / 1000).toFixed(1),
      'pages/s (astro)': Math.round(m.report.pages / (m.report.ms.astro! / 1000)),
      'full build s': (m.total / 1000).toFixed(1),
      'search index s': (m.searchMs / 1000).toFixed(1),
      'peak RSS builder': mb(m.peakRss.builder),
      'peak RSS main + builder': mb(m.peakRss.total),
      'publish→served s': `${(m.publishMs / 1000).toFixed(2)}${m.served ? '' : ' (NOT SERVED)'}`,
      'pages re-rendered': m.update.paths,
      'item page gz': `${(m.pageGz / 1024).toFixed(1)} KB`,
    });
    console.log(`  ${count} items: phases ${JSON.stringify(m.report.ms)}; publish phases ${JSON.stringify(m.update.ms)}`);
  }
  printTable(rows);
  const text = { title: '暴雨蓝色预警:今天下午有短时强降雨和冰雹', column: '微公告', org: '盐城市青年志愿者协会', date: '2024年6月23日' };
  const tc = performance.now();
  for (let i = 0; i < 20; i++) await renderShareCard({ ...text, title: `${text.title}${i}` });
  console.log(`\nshare cards: ${((performance.now() - tc) / 20).toFixed(0)} ms each (rendered once per title at publish, cached by text)`);
}
