// Site build, publish latency and static serving at 10k items, side by side with Hugo and a minimal
// Node static server in the same run.
//
// - Full build: Astro pages + feeds + sitemap + share cards + export lists + the search index, first with
//   no cached cards (a new machine, a restore) and then warm, into a fresh output folder each time.
// - Memory: peak resident memory of the whole process tree, sampled every 50 ms, printed with its parts at
//   that moment (this process, the site builder) and each part's own peak.
// - Search: the index alone (time, this process's peak RSS over its start, size on disk), query time
//   from disk, and publish → searchable (the page, then the item's postings, until a query finds it).
// - Hugo (Debian's `hugo`, when installed): the same items as Markdown, the same pages (items, column
//   lists of 20, tag pages), minimal templates.
// - Publish: a new snapshot → `updateSite` → the page answers 200 with the new title (p50/p95 of 7).
//
// - Soak: publishes every few seconds (warm incremental render, then the search re-index coalesced as the
//   server's publisher does it: its items' postings only) while autocannon reads pages, for BENCH_SOAK_SECONDS (default 600; 60 with
//   LIANXIN_BENCH_QUICK=1), printing the process tree's resident memory as it goes, its min/max, and the tree
//   after the idle period (load stopped, builder's idle exit passed; target ≤ 500 MB at 10k items).
//
// BENCH_SITE_ITEMS (default 10000) and BENCH_SECONDS (default 10) make a quick run possible.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { makeSnapshot, writeFixtureSnapshots } from '../../tests/site/fixtures.ts';
import type { BuildReport } from '../../server/publish/service.ts';
import { updateSite } from '../../server/publish/incremental.ts';
import { loadSnapshots, readSnapshots, snapshotDir } from '../../server/publish/snapshots.ts';
import { indexBytes, indexSite, readManifest, SEARCH_DIR, updateSearchIndex } from '../../server/publish/search-index.ts';
import { searchIndex } from '../../server/publish/search-query.ts';
import { serveSite } from '../../server/publish/static-site.ts';
import { PAGE_SIZE, columnOf } from '../../server/publish/columns.ts';
import { astroBuilderPid, stopAstroBuilder } from '../../server/publish/build-site.ts';
import type { PublishedItem } from '../../server/publish/schema.ts';
import { mb, percentile, printTable } from './_format.ts';
import { buildDist, distIsStale } from '../build.mjs';
import { compareStatic, staticRows } from './_static-serving.ts';

const SITE_URL = 'https://lianxin.example.cn';
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Resident memory of this process tree, in bytes: the total and its parts (this process, the site builder, the rest). */
interface TreeRss {
  total: number;
  main: number;
  builder: number;
  other: number;
}

function treeRss(root = process.pid): TreeRss {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(name);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process ended while we looked
    }
  }
  // the site builder: ours when it runs in this process's tree, else the root's forked astro-worker
  const isBuilder = (pid: number) => pid === astroBuilderPid() || (root !== process.pid && commandLine(pid).includes('astro-worker'));
  const tree: TreeRss = { total: 0, main: 0, builder: 0, other: 0 };
  const stack: Array<[number, keyof TreeRss]> = [[root, 'main']];
  while (stack.length) {
    const [pid, inherited] = stack.pop()!;
    const part: keyof TreeRss = pid === root ? 'main' : isBuilder(pid) || inherited === 'builder' ? 'builder' : 'other';
    const bytes = rss.get(pid) ?? 0;
    tree.total += bytes;
    tree[part] += bytes;
    stack.push(...(children.get(pid) ?? []).map((c): [number, keyof TreeRss] => [c, part]));
  }
  return tree;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** A tree sample as `total (main · builder)`. */
const parts = (t: TreeRss) => `main ${mb(t.main)} · builder ${mb(t.builder)}${t.other > 50e6 ? ` · other ${mb(t.other)}` : ''}`;
const composition = (t: TreeRss) => `${mb(t.total)} (${parts(t)})`;

/** Peak of treeRss while `run` runs, with the tree's composition at that moment and each part's own peak. */
async function withPeak<T>(run: () => Promise<T>, root?: number): Promise<{ result: T; peak: number; at: TreeRss; parts: TreeRss; ms: number }> {
  let at = treeRss(root);
  const parts = { ...at };
  const sample = () => {
    const now = treeRss(root);
    if (now.total > at.total) at = now;
    for (const k of Object.keys(parts) as Array<keyof TreeRss>) parts[k] = Math.max(parts[k], now[k]);
  };
  const timer = setInterval(sample, 50);
  const t = performance.now();
  try {
    const result = await run();
    return { result, peak: at.total, at, parts, ms: performance.now() - t };
  } finally {
    clearInterval(timer);
  }
}

/**
 * A full build as an editor or a cron job runs it: `lianxin build` (the compiled CLI) in its own process, so
 * the tree measured is that command's own (the CLI, its builder, esbuild), as Hugo's is. Earlier rounds ran
 * both builds inside this bench process, whose heap still held the first build's garbage during the second.
 */
async function cliBuild(dataDir: string, outDir: string): Promise<{ result: BuildReport; peak: number; at: TreeRss; parts: TreeRss; ms: number }> {
  const child = spawn(process.execPath, [join(root, 'scripts', 'lianxin.mjs'), '--data', dataDir, '--json', 'build', '--out', outDir], {
    cwd: root,
    env: { ...process.env, LIANXIN_SITE_URL: SITE_URL, LIANXIN_SITE_TITLE: '连心' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const measured = await withPeak(async () => {
    const code = await exited;
    if (code !== 0) throw new Error(`lianxin build exited with ${code}: ${stdout.slice(-500)}`);
    return JSON.parse(stdout.slice(stdout.indexOf('{'))) as BuildReport;
  }, child.pid);
  return measured;
}

async function lianxinBuilds(count: number) {
  const dataDir = mkdtempSync(join(tmpdir(), `lianxin-bench-site-${count}-`));
  writeFixtureSnapshots({ dataDir, count });
  // the CLI would rebuild a stale dist/ first (an esbuild child in the measured tree): not part of a build
  if (distIsStale()) await buildDist({ quiet: true });
  const first = await cliBuild(dataDir, join(dataDir, 'site-first'));
  const warm = await cliBuild(dataDir, join(dataDir, 'site'));
  return { dataDir, outDir: join(dataDir, 'site'), first, warm };
}

/** The same items as a minimal Hugo site (items, paginated column lists, tag pages), built by Debian's hugo. */
async function hugoBuild(items: PublishedItem[]): Promise<{ ms: number; peak: number; pages: number } | undefined> {
  try {
    execFileSync('hugo', ['version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-hugo-'));
  const layouts = join(dir, 'layouts', '_default');
  mkdirSync(layouts, { recursive: true });
  writeFileSync(join(dir, 'config.toml'), `baseURL = "${SITE_URL}/"\nlanguageCode = "zh-CN"\ntitle = "连心"\npaginate = ${PAGE_SIZE}\ndisableKinds = ["RSS"]\n[taxonomies]\ntag = "tags"\n`);
  const head = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{{ .Title }}</title></head><body><header><a href="/">连心</a></header><main>';
  const foot = '</main></body></html>';
  writeFileSync(join(layouts, 'single.html'), `${head}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}<p>{{ range .Params.tags }}<a href="/tags/{{ . | urlize }}/">#{{ . }}#</a> {{ end }}</p></article>${foot}`);
  writeFileSync(join(layouts, 'list.html'), `${head}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Summary }}</p></li>{{ end }}</ol>{{ template "_internal/pagination.html" . }}${foot}`);
  writeFileSync(join(dir, 'layouts', 'index.html'), `${head}<ol>{{ range first 20 .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>${foot}`);
  for (const item of items) {
    const section = join(dir, 'content', columnOf(item));
    mkdirSync(section, { recursive: true });
    const front = JSON.stringify({ title: item.title, date: item.publishedAt ?? item.updatedAt, tags: item.tags, summary: item.summary, slug: item.slug });
    writeFileSync(join(section, `${item.slug}.md`), `${front}\n\n${item.bodyHtml}\n`);
  }
  const child = spawn('hugo', ['--quiet', '--minify', '-s', dir, '-d', join(dir, 'public')], { stdio: 'inherit' });
  // hugo's own tree, not this process
  const { peak, ms } = await withPeak(() => new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`hugo exited ${code}`))))), child.pid);
  const pages = execFileSync('find', [join(dir, 'public'), '-name', 'index.html'], { encoding: 'utf8' }).trim().split('\n').length;
  rmSync(dir, { recursive: true, force: true });
  return { ms, peak, pages };
}

/** The longest gap between 1 ms ticks while it runs: how long the event loop could answer nothing. */
function stallMeter(): { stop(): Promise<number> } {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  return {
    async stop() {
      // a stall at the very end shows only when the next tick runs
      await new Promise((r) => setTimeout(r, 5));
      clearInterval(timer);
      return max;
    },
  };
}

async function publishLatency(dataDir: string, outDir: string, count: number, runs = 7): Promise<{ cold: number; p50: number; p95: number; served: boolean; paths: number; phases: Record<string, number>; warm: number; searchable: { p50: number; p95: number; afterPage: number; blocked: number; found: boolean; shards: number } }> {
  const args = { dataDir, outDir, siteUrl: SITE_URL, siteTitle: '连心' };
  const app = new Hono().get('*', serveSite({ siteDir: () => outDir, dataDir }));
  let before = new Map(readSnapshots({ dataDir }).map((i) => [i.id, i]));
  const times: number[] = [];
  let served = true;
  let last: Awaited<ReturnType<typeof updateSite>> | undefined;
  let warm = 0;
  const searchable: number[] = [];
  const afterPage: number[] = [];
  const shards: number[] = [];
  /** the longest the event loop waited during each index update (a server answers nothing meanwhile) */
  const blocked: number[] = [];
  let found = true;
  // The builds ran in their own processes, so this one's builder is cold: its first publish bundles once
  // (an Astro build of the changed paths only), as the server's does after its builder's idle exit. It is
  // reported on its own; the timed publishes after it find the builder warm, as they do in a busy server.
  const t0 = performance.now();
  const coldItem = makeSnapshot(count + 1 + runs, { kind: 'notice', title: `冷启动发布：第${count + 1 + runs}号通知`, publishedAt: new Date().toISOString() });
  writeFileSync(join(snapshotDir(dataDir), `${coldItem.id}.json`), JSON.stringify(coldItem));
  const coldResult = await updateSite({ ...args, ids: [coldItem.id], before });
  const cold = performance.now() - t0;
  before = new Map(coldResult.items.map((i) => [i.id, i]));
  for (let r = 0; r < runs; r++) {
    const fresh = makeSnapshot(count + 1 + r, { kind: 'notice', title: `新发布：第${count + 1 + r}号通知`, publishedAt: new Date().toISOString() });
    const t = performance.now();
    writeFileSync(join(snapshotDir(dataDir), `${fresh.id}.json`), JSON.stringify(fresh));
    last = await updateSite({ ...args, ids: [fresh.id], before });
    const res = await app.request(fresh.url);
    served &&= res.status === 200 && (await res.text()).includes(fresh.title);
    times.push(performance.now() - t);
    // then its postings, as the publisher does after the page, until a query finds it
    const page = performance.now();
    const loop = stallMeter();
    const updated = await updateSearchIndex({ outDir, items: last.items, ids: [fresh.id] });
    blocked.push(await loop.stop());
    found &&= searchIndex({ outDir, query: fresh.title, limit: 1 })[0]?.url === fresh.url;
    searchable.push(performance.now() - t);
    afterPage.push(performance.now() - page);
    shards.push(updated.shards);
    if (last.warm) warm++;
    before = new Map(last.items.map((i) => [i.id, i]));
  }
  return { cold, p50: percentile(times, 50), p95: percentile(times, 95), served, paths: last!.paths, phases: last!.ms, warm, searchable: { p50: percentile(searchable, 50), p95: percentile(searchable, 95), afterPage: percentile(afterPage, 50), blocked: Math.max(...blocked), found, shards: percentile(shards, 50) } };
}

/** The search index alone: a full build (this process's RSS over its start, sampled every 20 ms), its size, and queries from disk. */
async function searchAlone(items: PublishedItem[], outDir: string) {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-search-'));
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  await indexSite({ outDir: dir, items });
  const ms = performance.now() - t;
  clearInterval(timer);
  rmSync(dir, { recursive: true, force: true });
  const manifest = readManifest(outDir)!;
  const queries = ['化工厂', '暴雨', '冰雹 广告牌', '12345', '避险常识', '第4321号', '不存在的词语'];
  const times = queries.map((query) => {
    const q = performance.now();
    searchIndex({ outDir, query });
    return performance.now() - q;
  });
  const files = readdirSync(join(outDir, SEARCH_DIR)).length;
  return { ms, peakDelta: peak - base, bytes: indexBytes(join(outDir, SEARCH_DIR), manifest), files, query: percentile(times, 50), queryMax: Math.max(...times) };
}

/**
 * Publishing under load: a new snapshot every 3 s (updateSite, then the search re-index through the
 * publisher's own coalescer, createSearchIndexer) while autocannon reads item pages through serveSite.
 * The tree is sampled every second (min/max), and once more after the idle period: the load stopped, the
 * last re-index done and the builder's idle exit (LIANXIN_BUILDER_IDLE_MS, default 30 s) passed.
 */
async function soak(dataDir: string, outDir: string, count: number, seconds: number) {
  const args = { dataDir, outDir, siteUrl: SITE_URL, siteTitle: '连心' };
  const app = new Hono().get('*', serveSite({ siteDir: () => outDir, dataDir }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => setTimeout(r, 200));
  const port = ((server as unknown as Server).address() as { port: number }).port;
  const load = autocannon({ url: `http://127.0.0.1:${port}/notices/item-3/`, connections: 4, duration: seconds });
  const samples: Array<[number, TreeRss]> = [];
  let min: TreeRss | undefined;
  let max: TreeRss | undefined;
  const started = performance.now();
  const every = Math.max(5, Math.round(seconds / 12));
  let nextSample = 0;
  const sampler = setInterval(() => {
    const now = treeRss();
    if (!min || now.total < min.total) min = now;
    if (!max || now.total > max.total) max = now;
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= nextSample) {
      samples.push([Math.round(elapsed), now]);
      nextSample += every;
    }
  }, 1000);
  let before = new Map(loadSnapshots({ dataDir }).items.map((i) => [i.id, i]));
  const searchTimes: number[] = [];
  let publishes = 0;
  for (let n = 0; performance.now() - started < seconds * 1000; n++) {
    const fresh = makeSnapshot(count + 100 + n, { kind: 'notice', title: `浸泡测试：第${n}号通知`, publishedAt: new Date().toISOString() });
    writeFileSync(join(snapshotDir(dataDir), `${fresh.id}.json`), JSON.stringify(fresh));
    const report = await updateSite({ ...args, ids: [fresh.id], before });
    before = new Map(report.items.map((i) => [i.id, i]));
    publishes++;
    const t = performance.now();
    await updateSearchIndex({ outDir, items: report.items, ids: [fresh.id] });
    searchTimes.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 3000));
  }
  const result = await load;
  server.close();
  clearInterval(sampler);
  const end = treeRss();
  // the builder exits after LIANXIN_BUILDER_IDLE_MS with nothing to do
  const idleMs = (Number(process.env.LIANXIN_BUILDER_IDLE_MS) || 30_000) + 5_000;
  await new Promise((r) => setTimeout(r, idleMs));
  const afterIdle = treeRss();
  return { samples, min: min ?? end, max: max ?? end, end, afterIdle, idleMs, publishes, searchMs: Math.round(percentile(searchTimes, 50)), reads: result.requests.average };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const phases = (r: BuildReport) => Object.entries(r.ms).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ');

export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_SITE_ITEMS) || 10_000;
  const seconds = Number(process.env.BENCH_SECONDS) || 10;
  console.log(`Site at ${count.toLocaleString('en')} items (figures are noisy when other work shares the 2 cores).`);
  const ours = await lianxinBuilds(count);
  const hugo = await hugoBuild(readSnapshots({ dataDir: ours.dataDir }));
  const rows: Record<string, string | number>[] = [
    { build: 'lianxin, first (no cached cards)', pages: ours.first.result.pages, wall: s(ours.first.ms), 'peak RSS (tree)': composition(ours.first.at), phases: phases(ours.first.result) },
    { build: 'lianxin, warm (cards cached)', pages: ours.warm.result.pages, wall: s(ours.warm.ms), 'peak RSS (tree)': composition(ours.warm.at), phases: phases(ours.warm.result) },
  ];
  if (hugo) rows.push({ build: 'hugo (same items, minimal templates)', pages: hugo.pages, wall: s(hugo.ms), 'peak RSS (tree)': mb(hugo.peak), phases: '' });
  else rows.push({ build: 'hugo: not installed (apt-get install hugo)', pages: '', wall: '', 'peak RSS (tree)': '', phases: '' });
  printTable(rows);
  console.log(`each part's own peak: first build ${parts(ours.first.parts)}; warm ${parts(ours.warm.parts)} (search and cards run alongside the Astro render: their phase times overlap it)`);
  if (hugo) console.log(`warm build / hugo: ${(ours.warm.ms / hugo.ms).toFixed(2)}× (target ≤ 2×); first / warm: ${(ours.first.ms / ours.warm.ms).toFixed(2)}× (target ≤ 2×); peak tree memory target ≤ 1 GB`);

  const search = await searchAlone(readSnapshots({ dataDir: ours.dataDir }), ours.outDir);
  console.log('');
  printTable([{ 'search index': `${count} items`, build: s(search.ms), 'peak RSS over start (main)': mb(search.peakDelta), 'on disk': mb(search.bytes), files: search.files, 'query from disk p50': `${search.query.toFixed(1)} ms`, 'query max': `${search.queryMax.toFixed(1)} ms` }]);

  const publish = await publishLatency(ours.dataDir, ours.outDir, count);
  console.log('');
  printTable([{ 'publish → page served': `${count} items`, p50: s(publish.p50), p95: s(publish.p95), target: 'p50 ≤ 2 s, p95 ≤ 3 s', 'pages re-rendered': publish.paths, 'warm renders': `${publish.warm}/7`, 'first, cold builder': s(publish.cold), served: publish.served ? 'yes' : 'NO', 'last phases (ms)': JSON.stringify(publish.phases) }]);
  printTable([{ 'publish → searchable': `${count} items`, p50: s(publish.searchable.p50), p95: s(publish.searchable.p95), 'index update after the page (p50)': `${Math.round(publish.searchable.afterPage)} ms`, 'term files rewritten (p50)': publish.searchable.shards, 'longest event-loop stall': `${Math.round(publish.searchable.blocked)} ms`, found: publish.searchable.found ? 'yes' : 'NO' }]);

  const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS) || (process.env.LIANXIN_BENCH_QUICK ? 60 : 600);
  const soaked = await soak(ours.dataDir, ours.outDir, count, soakSeconds);
  console.log(`\nSoak: ${soaked.publishes} publishes (each followed by its search index update: ${soaked.searchMs} ms p50) and ${Math.round(soaked.reads)} page reads/s over ${soakSeconds} s; tree RSS (this process · builder) over time:`);
  console.log(soaked.samples.map(([t, rss]) => `${t}s ${composition(rss)}`).join('\n'));
  console.log(`min ${composition(soaked.min)}; max ${composition(soaked.max)}; end of load ${composition(soaked.end)}`);
  console.log(`after ${Math.round(soaked.idleMs / 1000)} s idle: ${composition(soaked.afterIdle)} (target ≤ 500 MB at 10k items); JS heap of this process ${mb(process.memoryUsage().heapUsed)}`);
  stopAstroBuilder();

  console.log('');
  printTable(staticRows(await compareStatic({ dataDir: ours.dataDir, siteDir: ours.outDir, paths: ['/notices/item-3/'], seconds })));
  rmSync(ours.dataDir, { recursive: true, force: true });
}
