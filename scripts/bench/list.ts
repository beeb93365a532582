// GET /api/items at 100k items: a filtered, sorted page of 50 through the real server (lowdb data dir), under autocannon.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { shardOf } from '../../server/store/collection.ts';
import type { Item } from '../../server/content/schema.ts';
import { docFromParagraphs } from '../../server/content/tiptap.ts';
import { printTable } from './_format.ts';
import { startBenchServer } from './_server.ts';

const KINDS = ['notice', 'rumor-guide', 'notice', 'notice'] as const;
const STATUSES = ['published', 'draft', 'in-review', 'published', 'approved'] as const;
const ORGS = ['tinghu', 'yandu', 'dafeng', 'dongtai'];

function makeItem(n: number): Item {
  const at = new Date(Date.UTC(2026, 0, 1) + ((n * 7919) % 1_000_003) * 30_000).toISOString();
  const kind = KINDS[n % KINDS.length]!;
  return {
    id: `it_${n.toString(16).padStart(16, '0')}`,
    kind,
    slug: `bench-item-${n}`,
    title: `第 ${n} 条：关于城区校车安全与上下学交通组织的回应`,
    summary: '本周网友集中反映校车超载、接送点拥堵，区教育局和交警大队已逐条核实并作出安排。',
    body: docFromParagraphs('本周共收到 37 条关于校车的留言，集中在车辆超载和放学时段接送点拥堵。', '区教育局新增 12 辆校车，12 月 1 日起投入运营。'),
    tags: ['校车安全', '教育'],
    groupIds: [],
    variants: {},
    orgId: ORGS[n % ORGS.length]!,
    authorId: 'u_bench',
    lastEditorId: 'u_bench',
    status: STATUSES[n % STATUSES.length]!,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...(n % 5 === 0 || n % 5 === 3 ? { publishedAt: at } : {}),
    corrections: [],
    history: [{ at, actorId: 'u_bench', from: null, to: 'draft' }],
    ...(kind === 'rumor-guide' ? { claims: [{ claim: '网传校车停运', verdict: 'false', evidence: '教育局通报', sources: [] }], tips: [] } : {}),
  } as unknown as Item;
}

export function loadItems(dir: string, n: number): void {
  const shards = new Map<string, Record<string, Item>>();
  for (let i = 0; i < n; i++) {
    const item = makeItem(i);
    const shard = shards.get(shardOf(item.id)) ?? {};
    shard[item.id] = item;
    shards.set(shardOf(item.id), shard);
  }
  mkdirSync(join(dir, 'db', 'items'), { recursive: true });
  for (const [key, records] of shards) writeFileSync(join(dir, 'db', 'items', `${key}.json`), JSON.stringify(records));
}

async function cannon(url: string, cookie: string, seconds: number) {
  const result = await autocannon({ url, connections: 16, duration: seconds, headers: { cookie } });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

export async function run(): Promise<void> {
  const n = Number(process.env.BENCH_LIST_ITEMS) || 100_000;
  const seconds = Number(process.env.BENCH_SECONDS) || 15;
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-list-'));
  loadItems(dir, n);
  const server = await startBenchServer(dir);
  try {
    const { base, cookie } = server;
    const first = (await (await fetch(`${base}/api/items?pageSize=1`, { headers: { cookie } })).json()) as { total: number };
    if (first.total !== n) throw new Error(`server sees ${first.total} items, expected ${n}`);
    // let the start-up site build finish (the home page answers) before loading the server
    for (let tries = 0; tries < 240 && (await fetch(`${base}/`).then((r) => r.status, () => 0)) !== 200; tries++) await new Promise((r) => setTimeout(r, 500));
    const rows = [];
    for (const [label, path] of [
      ['page 1, no filter', '/api/items?pageSize=50'],
      ['kind+status filter, page 1', '/api/items?pageSize=50&kind=notice&status=published'],
      ['org filter, page 40', '/api/items?pageSize=50&org=yandu&page=40'],
    ] as const) {
      const r = await cannon(base + path, cookie, seconds);
      rows.push({ query: label, 'requests/s': Math.round(r.rps), p50: `${r.p50} ms`, p99: `${r.p99} ms`, errors: r.errors, target: '≥ 1,000/s, p99 ≤ 50 ms' });
    }
    console.log(`GET /api/items on ${n.toLocaleString('en')} items (lowdb, real server, autocannon 16 connections × ${seconds} s each)`);
    printTable(rows);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
