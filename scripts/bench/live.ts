// Live updates: approve → present in the served JSON (p50/p95) with 1,000 updates already in the
// item, and readers polling the newest chunk under autocannon (304 and 200 paths).
// LIANXIN_BENCH_QUICK=1: 300 prior updates, 10 rounds, 5 s loads (for development; `npm run bench` runs the full one).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { createOrg } from '../../server/orgs/service.ts';
import { createUser } from '../../server/users/service.ts';
import { createItem } from '../../server/content/service.ts';
import { transitionItem } from '../../server/review/service.ts';
import { docFromParagraphs } from '../../server/content/tiptap.ts';
import type { CreateItem } from '../../server/content/schema.ts';
import { parseInput } from '../../server/validate.ts';
import { refreshLiveFiles, updatesOf, type LiveItem } from '../../server/kinds/live/service.ts';
import { renderCached } from '../../server/kinds/live/site-files.ts';
import type { LiveUpdate } from '../../server/kinds/live/updates-schema.ts';
import { ms, percentile, printTable } from './_format.ts';

const QUICK = process.env.LIANXIN_BENCH_QUICK === '1';
const PRIOR = QUICK ? 300 : 1_000;
const ROUNDS = QUICK ? 10 : 50;
const LOAD_SECONDS = QUICK ? 5 : 30;
const PASSWORD = 'bench-password-1';

/** A data dir holding a published live item with `PRIOR` published updates and their reader files. */
async function prepare(dataDir: string): Promise<LiveItem> {
  const deps: Deps = createDeps({ store: createStore({ adapter: 'lowdb', dir: dataDir }), config: loadConfig({}, { dataDir, siteUrl: 'https://lianxin.example.cn' }) });
  await createOrg({ deps, actor: 'system', input: { id: 'funing', name: '阜宁县', parentId: null, kind: 'district' } });
  const editor = await createUser({ deps, actor: 'system', input: { username: 'bench.editor', displayName: '编辑', orgId: 'funing', roles: ['editor'], password: PASSWORD } });
  const reviewer = await createUser({ deps, actor: 'system', input: { username: 'bench.reviewer', displayName: '审核', orgId: 'funing', roles: ['reviewer'], password: PASSWORD } });
  const input = parseInput(deps.kinds.schemas.create, { kind: 'live', title: '压测直播：龙卷风冰雹灾害救援', body: docFromParagraphs('救援进展实时更新。'), live: { mode: 'event', place: '阜宁县', pinned: docFromParagraphs('求助热线：12345') } }) as CreateItem;
  let item = await createItem({ deps, actor: editor, input });
  for (const [to, actor] of [['in-review', editor], ['approved', reviewer], ['published', reviewer]] as const) item = await transitionItem({ deps, actor, id: item.id, input: { to } });
  // prior updates go straight into the collection (their seq set), then the reader files are written once
  const at = Date.now() - PRIOR * 60_000;
  for (let batch = 0; batch < PRIOR; batch += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, PRIOR - batch) }, (_, i) => {
        const n = batch + i + 1;
        const body = docFromParagraphs(`第 ${n} 条：消防、武警在陈良镇五星村继续搜救，已转移群众 ${n * 3} 人，安置点物资充足。`);
        const when = new Date(at + n * 60_000).toISOString();
        return updatesOf(deps).insert({ id: `lu_${n.toString(16).padStart(16, '0')}`, itemId: item.id, type: 'update', at: when, body, html: renderCached(body), authorId: editor.id, authorName: '编辑', lastEditorId: editor.id, state: 'published', seq: n, publishedAt: when, publishedBy: reviewer.id, corrections: [], history: [] } as Omit<LiveUpdate, 'version' | 'createdAt' | 'updatedAt'>);
      }),
    );
  }
  await refreshLiveFiles({ deps, item: item as LiveItem, full: true });
  await deps.store.close();
  return item as LiveItem;
}

function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(new URL('./_live-server.ts', import.meta.url)), [dataDir], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${(m as { port: number }).port}` }));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function login(url: string, username: string) {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (method: string, path: string, body: unknown) => fetch(`${url}${path}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function load(url: string, headers: Record<string, string>): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 50, pipelining: 1, duration: LOAD_SECONDS, headers }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-bench-live-'));
  let child: ChildProcess | undefined;
  try {
    const item = await prepare(dataDir);
    const server = await startServer(dataDir);
    child = server.child;
    const latest = `${server.url}/live/${item.slug}/updates/latest.json`;
    const editor = await login(server.url, 'bench.editor');
    const reviewer = await login(server.url, 'bench.reviewer');

    // approve → in the served JSON, as a polling reader would see it
    const approveMs: number[] = [];
    const servedMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const u = (await (await editor('POST', `/api/items/${item.id}/updates`, { type: 'help', body: docFromParagraphs(`压测第 ${i + 1} 轮：安置点急需饮用水。`) })).json()) as { id: string };
      const t0 = performance.now();
      const res = await reviewer('POST', `/api/items/${item.id}/updates/${u.id}/transitions`, { to: 'published' });
      if (res.status !== 200) throw new Error(`publish failed: ${res.status} ${await res.text()}`);
      approveMs.push(performance.now() - t0);
      for (const deadline = performance.now() + 30_000; ; ) {
        const body = await (await fetch(latest)).text();
        if (body.includes(u.id)) break;
        if (performance.now() > deadline) throw new Error(`update ${u.id} never reached ${latest}`);
      }
      servedMs.push(performance.now() - t0);
    }
    const first = await fetch(latest);
    const size = (await first.arrayBuffer()).byteLength;
    const etag = first.headers.get('etag')!;
    console.log(`Approve → served JSON, ${PRIOR}+ updates in the item (${ROUNDS} rounds; newest chunk ${(size / 1024).toFixed(1)} KB):`);
    printTable([
      { step: 'approve request (publish + files written)', p50: ms(percentile(approveMs, 50)), p95: ms(percentile(approveMs, 95)), max: ms(Math.max(...approveMs)) },
      { step: 'approve → update in latest.json', p50: ms(percentile(servedMs, 50)), p95: ms(percentile(servedMs, 95)), max: ms(Math.max(...servedMs)) },
    ]);
    console.log(`target: p95 ≤ 1,000 ms → ${percentile(servedMs, 95) <= 1000 ? 'met' : 'MISSED'}`);

    console.log(`\nReaders polling the newest chunk: autocannon ${LOAD_SECONDS} s, 50 connections, server in its own process (2 cores shared with the load generator):`);
    const notModified = await load(latest, { 'if-none-match': etag });
    const full = await load(latest, {});
    const row = (path: string, r: autocannon.Result) => ({ path, 'req/s (mean)': Math.round(r.requests.average).toLocaleString('en'), 'p50 latency': `${r.latency.p50} ms`, 'p99 latency': `${r.latency.p99} ms`, errors: r.errors + r.non2xx - (path.startsWith('304') ? r.requests.total : 0) });
    printTable([row('304 (If-None-Match)', notModified), row(`200 (${(size / 1024).toFixed(1)} KB)`, full)]);
    console.log(`target: ≥ 5,000 req/s on the 304 path → ${notModified.requests.average >= 5000 ? 'met' : 'MISSED'}`);
  } finally {
    child?.send('stop');
    await new Promise((r) => setTimeout(r, 300));
    child?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
