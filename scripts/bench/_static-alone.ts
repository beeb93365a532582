// The static serving comparison of the site bench alone, without the builds, the Hugo run and the soak:
// `BENCH_SITE_ITEMS=500 BENCH_SECONDS=5 npx tsx scripts/bench/_static-alone.ts` builds a site of that many
// items (no share cards), then prints the same table as the end of `npm run bench -- site`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixtureSnapshots } from '../../tests/site/fixtures.ts';
import { stopAstroBuilder } from '../../server/publish/build-site.ts';
import { buildSite } from '../../server/publish/service.ts';
import { printTable } from './_format.ts';
import { compareStatic, staticRows } from './_static-serving.ts';

const count = Number(process.env.BENCH_SITE_ITEMS) || 500;
const seconds = Number(process.env.BENCH_SECONDS) || 5;
const dataDir = mkdtempSync(join(tmpdir(), `lianxin-bench-static-${count}-`));
try {
  writeFixtureSnapshots({ dataDir, count });
  const outDir = join(dataDir, 'site');
  await buildSite({ dataDir, outDir, siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' }, { cards: false });
  stopAstroBuilder();
  console.log(`static serving, ${count} items, ${seconds} s per round`);
  printTable(staticRows(await compareStatic({ dataDir, siteDir: outDir, paths: ['/notices/item-3/'], seconds })));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
