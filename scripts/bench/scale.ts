// lowdb vs PostgreSQL store writes at 1k / 10k / 100k records, and GET /api/items req/s with one and two
// `lianxin serve` instances on one PostgreSQL database. LIANXIN_BENCH_QUICK=1: 1k / 10k only, fewer requests.
// The database: LIANXIN_BENCH_DATABASE_URL, else LIANXIN_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Item } from '../../server/content/schema.ts';
import { createStore, postgresOf } from '../../server/store/index.ts';
import { ensureCollectionTable } from '../../server/store/migrations.ts';
import { bulkLoad, makeItem, timeEach } from './store.ts';
import { startBenchServer } from './_server.ts';
import { ms, percentile, printTable } from './_format.ts';

const QUICK = process.env.LIANXIN_BENCH_QUICK === '1';
const SIZES = QUICK ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const WRITES = QUICK ? 50 : 200;
const URL = process.env.LIANXIN_BENCH_DATABASE_URL || process.env.LIANXIN_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function dropSchema(schema: string) {
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

/** Loads n items into a fresh schema with multi-row INSERTs (the load is not what is measured). */
async function pgLoad(n: number, schema: string) {
  const store = createStore({ adapter: 'postgres', url: URL, schema });
  const { sql, ready } = postgresOf(store)!;
  await ready();
  await ensureCollectionTable(sql, 'items');
  for (let i = 0; i < n; i += 1000) {
    const params: unknown[] = [];
    const rows: string[] = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const item = makeItem(j);
      params.push(item.id, item.createdAt, JSON.stringify(item));
      rows.push(`($${params.length - 2}, 1, $${params.length - 1}, $${params.length - 1}, $${params.length}::json)`);
    }
    await sql.query(`INSERT INTO rec_items (id, version, created_at, updated_at, data) VALUES ${rows.join(',')}`, params);
  }
  await sql.query('ANALYZE rec_items');
  return store;
}

async function storeWrites(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-scale-'));
  bulkLoad(dir, n);
  const low = createStore({ adapter: 'lowdb', dir });
  const lowItems = low.collection<Item>('items');
  await lowItems.count();
  const lowUpdates = await timeEach(WRITES, (i) => lowItems.update(makeItem((i * 7919) % n).id, undefined, (r) => ({ ...r, title: `${r.title}!` })));
  const lowInserts = await timeEach(WRITES, (i) => lowItems.insert({ ...makeItem(n + i), id: `it_new_${i}` }));
  await low.close();
  rmSync(dir, { recursive: true, force: true });

  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const store = await pgLoad(n, schema);
  try {
    const items = store.collection<Item>('items');
    const pgUpdates = await timeEach(WRITES, (i) => items.update(makeItem((i * 7919) % n).id, i % 2 ? undefined : 1 + Math.floor(i / (2 * n)), (r) => ({ ...r, title: `${r.title}!` })).catch(() => items.update(makeItem((i * 7919) % n).id, undefined, (r) => r)));
    const pgInserts = await timeEach(WRITES, (i) => items.insert({ ...makeItem(n + i), id: `it_new_${i}` }));
    const pgAudited = await timeEach(WRITES, (i) =>
      store.transaction(async () => {
        const next = await items.update(makeItem((i * 104729) % n).id, undefined, (r) => ({ ...r, summary: `${r.summary}.` }));
        await store.audit.append({ actor: 'bench', action: 'item.update', target: { type: 'item', id: next.id }, afterVersion: next.version });
      }),
    );
    return { lowUpdates, lowInserts, pgUpdates, pgInserts, pgAudited };
  } finally {
    await store.close();
    await dropSchema(schema);
  }
}

/** Fixed number of GET /api/items requests, `concurrency` in flight, spread round-robin over the instances. */
async function load(urls: string[], cookie: string, total: number, concurrency: number): Promise<{ rps: number; p50: number; p95: number }> {
  let next = 0;
  const times: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        const res = await fetch(`${urls[i % urls.length]}/api/items?status=published&page=${1 + (i % 5)}&pageSize=20`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`GET /api/items → ${res.status}`);
        await res.arrayBuffer();
        times.push(performance.now() - t);
      }
    }),
  );
  return { rps: (total / (performance.now() - t0)) * 1000, p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function requestsPerSecond(n: number) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-http-'));
  const store = await pgLoad(n, schema);
  await store.close();
  const env = { LIANXIN_DATABASE_URL: URL, LIANXIN_DATABASE_SCHEMA: schema };
  const servers: Array<{ stop: () => Promise<void> }> = [];
  try {
    const one = await startBenchServer(dir, env);
    servers.push(one);
    const two = await startBenchServer(dir, env);
    servers.push(two);
    // the site leader's first build runs once at start; measure after it, not against it
    const built = () => [...one.output, ...two.output].some((o) => /站点已构建|站点构建失败/.test(o));
    for (let i = 0; i < 600 && !built(); i++) await new Promise((r) => setTimeout(r, 500));
    const total = QUICK ? 100 : 400;
    await load([one.base], one.cookie, 20, 4); // warm both
    await load([two.base], one.cookie, 20, 4);
    const single = await load([one.base], one.cookie, total, 8);
    const double = await load([one.base, two.base], one.cookie, total, 8);
    // the embedded store on the same machine, for reference
    const lowDir = mkdtempSync(join(tmpdir(), 'lianxin-bench-http-low-'));
    bulkLoad(lowDir, n);
    const low = await startBenchServer(lowDir, { LIANXIN_DATABASE_URL: '' });
    servers.push(low);
    await load([low.base], low.cookie, 20, 4);
    const lowdb = await load([low.base], low.cookie, total, 8);
    await low.stop();
    rmSync(lowDir, { recursive: true, force: true });
    return { single, double, lowdb };
  } finally {
    for (const server of servers) await server.stop();
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  if (!(await reachable())) {
    console.log(`PostgreSQL at ${URL} is not reachable: the scale benchmark is skipped.`);
    return;
  }
  const rows = [];
  for (const n of SIZES) {
    const r = await storeWrites(n);
    rows.push({
      records: n.toLocaleString('en'),
      'lowdb update p50/p95': `${ms(percentile(r.lowUpdates, 50))} / ${ms(percentile(r.lowUpdates, 95))}`,
      'PG update p50/p95': `${ms(percentile(r.pgUpdates, 50))} / ${ms(percentile(r.pgUpdates, 95))}`,
      'lowdb insert p50/p95': `${ms(percentile(r.lowInserts, 50))} / ${ms(percentile(r.lowInserts, 95))}`,
      'PG insert p50/p95': `${ms(percentile(r.pgInserts, 50))} / ${ms(percentile(r.pgInserts, 95))}`,
      'PG update+audit tx p50/p95': `${ms(percentile(r.pgAudited, 50))} / ${ms(percentile(r.pgAudited, 95))}`,
    });
  }
  console.log(`Store writes, ${WRITES} sequential per cell (lowdb: sharded files, fsync; PostgreSQL: ${URL.replace(/\/\/[^@]*@/, '//')}, synchronous_commit as configured).`);
  printTable(rows);
  const http = [];
  for (const n of QUICK ? [2_000] : [10_000]) {
    const r = await requestsPerSecond(n);
    http.push({ items: n.toLocaleString('en'), store: 'PostgreSQL', instances: '1', 'req/s': r.single.rps.toFixed(0), p50: ms(r.single.p50), p95: ms(r.single.p95) });
    http.push({ items: n.toLocaleString('en'), store: 'PostgreSQL', instances: '2', 'req/s': r.double.rps.toFixed(0), p50: ms(r.double.p50), p95: ms(r.double.p95) });
    http.push({ items: n.toLocaleString('en'), store: 'lowdb', instances: '1', 'req/s': r.lowdb.rps.toFixed(0), p50: ms(r.lowdb.p50), p95: ms(r.lowdb.p95) });
  }
  console.log('\nGET /api/items?status=published (20 per page), 8 requests in flight, round-robin over the instances (all on this one 2-core machine with the database):');
  printTable(http);
}
