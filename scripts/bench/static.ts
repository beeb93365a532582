// Static serving: `lianxin serve` against a minimal Node static server on the same built site (a small
// one, BENCH_STATIC_ITEMS items, default 200: serving cost does not depend on the number of pages).
// The site bench (site.ts) runs the same comparison on its 10k-item site.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixtureSnapshots } from '../../tests/site/fixtures.ts';
import { buildSite } from '../../server/publish/service.ts';
import { stopAstroBuilder } from '../../server/publish/build-site.ts';
import { defaultSiteDir } from '../../server/publish/publisher.ts';
import { printTable } from './_format.ts';
import { compareStatic, staticRows } from './_static-serving.ts';

export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_STATIC_ITEMS) || 200;
  const seconds = Number(process.env.BENCH_SECONDS) || 10;
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-bench-static-'));
  try {
    writeFixtureSnapshots({ dataDir, count });
    const siteDir = defaultSiteDir(dataDir);
    await buildSite({ dataDir, outDir: siteDir, siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' });
    stopAstroBuilder();
    // an item page, a tag page (its URL percent-encoded, as browsers send it) and a script
    const paths = ['/notices/item-3/', `/tags/${encodeURIComponent('防汛')}/`, '/reach.js'];
    console.log(`${count} items built; ${seconds} s per run, 3 rounds in turns, medians:`);
    printTable(staticRows(await compareStatic({ dataDir, siteDir, paths, seconds })));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
