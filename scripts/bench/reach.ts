// Reach import: 4,000 unmatched rows on lowdb, written as one batch, against the same records written one
// insert each (how the import wrote them before).
// Reach hit ingest under load: `lianxin serve` in a child process, autocannon posting beacon hits for 30 s
// (LIANXIN_BENCH_QUICK=1: 5 s), GET /api/health sampled meanwhile; then a graceful stop and a count of what was
// stored against what was answered 202.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createStore } from '../../server/store/index.ts';
import type { ReachRecord } from '../../server/reach/schema.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps } from '../../server/context.ts';
import { ensureAdmin } from '../../server/bootstrap.ts';
import type { User } from '../../server/users/schema.ts';
import { importReach } from '../../server/reach/import.ts';
import { percentile, printTable } from './_format.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PASSWORD = 'bench-admin-password';
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.50';

async function startServe(dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'cli.ts'), 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, LIANXIN_DATA: dir, HOST: '127.0.0.1', LIANXIN_ADMIN_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let out = '';
  const log = () => out;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /工作台 (http:\/\/[^/\s]+)\/workbench/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}):\n${out}`)));
  });
  return { child, url, exited, log };
}

async function storedViews(dir: string, ids: string[]): Promise<number> {
  const store = createStore({ adapter: 'lowdb', dir });
  try {
    const rows = await store.collection<ReachRecord>('reach').list((r) => r.source === 'beacon' && ids.includes(r.itemId));
    return rows.reduce((s, r) => s + r.views, 0);
  } finally {
    await store.close();
  }
}

export async function run(): Promise<void> {
  await importCase(4_000);
  await ingestCase();
}

/** A WeChat export of `rows` posts no item matches (all kept as unmatched posts): 日期, 标题, 阅读次数, 链接. */
const unmatchedCsv = (rows: number, run: number) =>
  ['日期,文章标题,阅读次数,原文链接', ...Array.from({ length: rows }, (_, i) => `2026-11-24,未匹配的文章 ${run}-${i},${i},https://mp.weixin.qq.com/s/bench-${run}-${i}`)].join('\n');

/**
 * A reach import of 4,000 unmatched rows on lowdb (fsync'd writes): the import as it is, a re-import of the
 * same file (every record updated), and the same 4,000 records written one insert each, as the import wrote
 * them before it wrote them as one batch.
 */
async function importCase(rows: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-import-'));
  const store = createStore({ adapter: 'lowdb', dir });
  try {
    const deps = createDeps({ store, config: loadConfig({}, { dataDir: dir, adminPassword: PASSWORD }) });
    await ensureAdmin(deps);
    const admin = (await store.collection<User>('users').list((u) => u.roles.includes('admin')))[0]!;
    const timed = async (task: () => Promise<unknown>) => {
      const t = performance.now();
      await task();
      return Math.round(performance.now() - t);
    };
    const content = new TextEncoder().encode(unmatchedCsv(rows, 1));
    const first = await timed(() => importReach({ deps, actor: admin, content }));
    const again = await timed(() => importReach({ deps, actor: admin, content }));
    const stored = (await store.collection('reach-unmatched').count());
    const perRowCollection = store.collection<ReachRecord & { title: string }>('bench-per-row');
    const perRow = await timed(async () => {
      for (let i = 0; i < rows; i++) await perRowCollection.insert({ id: `row-${i}`, title: `未匹配的文章 ${i}` } as never);
    });
    printTable([
      { case: `import, ${rows} new unmatched rows`, ms: first, 'ms/row': (first / rows).toFixed(2), stored },
      { case: `re-import of the same file (${rows} updates)`, ms: again, 'ms/row': (again / rows).toFixed(2), stored },
      { case: `${rows} records, one insert each (the import before)`, ms: perRow, 'ms/row': (perRow / rows).toFixed(2), stored: await perRowCollection.count() },
    ]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Beacon hits under load against `lianxin serve`. */
async function ingestCase(): Promise<void> {
  const seconds = process.env.LIANXIN_BENCH_QUICK === '1' ? 5 : 30;
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-reach-'));
  // an existing site dir: no Astro build competing with the load
  mkdirSync(join(dir, 'site'), { recursive: true });
  writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html><title>bench</title>');
  let server = await startServe(dir);
  try {
    const login = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const list = (await (await fetch(`${server.url}/api/items?status=published&pageSize=50`, { headers: { cookie } })).json()) as { items: { id: string }[] };
    const ids = list.items.map((i) => i.id);
    server.child.kill('SIGTERM');
    await server.exited;
    const before = await storedViews(dir, ids);
    server = await startServe(dir);

    // sample the health endpoint every 20 ms during the load
    const health: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const t = performance.now();
        await fetch(`${server.url}/api/health`).then((r) => r.arrayBuffer());
        health.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const result = await autocannon({
      url: `${server.url}/api/reach/hit`,
      connections: 64,
      duration: seconds,
      requests: ids.map((id) => ({ method: 'POST' as const, headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA }, body: JSON.stringify({ url: `${server.url}/notices/x/`, itemId: id, ref: 'https://weibo.com/' }) })),
    });
    sampling = false;
    await sampler;
    const acked = (result.statusCodeStats as Record<string, { count: number }>)['202']?.count ?? 0;
    const t0 = performance.now();
    server.child.kill('SIGTERM');
    await server.exited;
    const stopMs = performance.now() - t0;
    const counted = (await storedViews(dir, ids)) - before;
    // the server's own count of hits it answered 202: autocannon stops with requests in flight whose 202 it never
    // reads, so acknowledged ≤ answered ≤ acknowledged + connections
    const answered = Number(/本次运行接收 (\d+) 次/.exec(server.log())?.[1] ?? NaN);
    printTable([
      {
        seconds,
        connections: 64,
        'hits/s (avg)': Math.round(result.requests.average),
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        'acked (client saw 202)': acked,
        'answered 202 (server)': answered,
        'non-202': result.non2xx + result.errors + result.timeouts,
        'counted after SIGTERM': counted,
        'counted = answered': counted === answered ? 'yes' : 'NO',
        'every acked counted': counted >= acked ? 'yes' : 'NO',
        'health p50 ms': percentile(health, 50).toFixed(1),
        'health p99 ms': percentile(health, 99).toFixed(1),
        'graceful stop ms': Math.round(stopMs),
      },
    ]);
  } finally {
    server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
