// Store write latency at 1k / 10k / 100k records (sharded lowdb vs. one lowdb file with the same durable write), and the server's memory at 100k.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { shardOf } from '../../server/store/collection.ts';
import { DurableJsonFile } from '../../server/store/durable-file.ts';
import { createStore } from '../../server/store/index.ts';
import type { Item } from '../../server/content/schema.ts';
import { docFromParagraphs } from '../../server/content/tiptap.ts';
import { mb, ms, percentile, printTable } from './_format.ts';
import { startBenchServer } from './_server.ts';

const SIZES = [1_000, 10_000, 100_000];
const WRITES = 200;

/** An item as the workbench stores it: a notice with a few paragraphs and a history. */
export function makeItem(n: number): Item {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  return {
    id: `it_${n.toString(16).padStart(16, '0')}`,
    kind: 'notice',
    slug: `bench-item-${n}`,
    title: `第 ${n} 条：关于城区校车安全与上下学交通组织的回应`,
    summary: '本周网友集中反映校车超载、接送点拥堵，区教育局和交警大队已逐条核实并作出安排。',
    body: docFromParagraphs('本周共收到 37 条关于校车的留言，集中在车辆超载和放学时段接送点拥堵。', '区教育局新增 12 辆校车，12 月 1 日起投入运营；交警大队在 6 所学校门口设立上下学护学岗。'),
    tags: ['校车安全', '教育'],
    groupIds: [],
    variants: {},
    orgId: 'tinghu',
    authorId: 'u_bench',
    lastEditorId: 'u_bench',
    status: 'published',
    version: 1,
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
    corrections: [],
    history: [{ at, actorId: 'u_bench', from: null, to: 'draft' }],
  };
}

/** Writes N records straight into shard files (the bench measures writes after the load, not the load itself). */
export function bulkLoad(dir: string, n: number): void {
  const shards = new Map<string, Record<string, Item>>();
  for (let i = 0; i < n; i++) {
    const item = makeItem(i);
    const key = shardOf(item.id);
    const shard = shards.get(key) ?? {};
    shard[item.id] = item;
    shards.set(key, shard);
  }
  mkdirSync(join(dir, 'db', 'items'), { recursive: true });
  for (const [key, records] of shards) writeFileSync(join(dir, 'db', 'items', `${key}.json`), JSON.stringify(records));
}

/** Runs `op` `count` times in a row; the milliseconds of each. */
export async function timeEach(count: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await op(i);
    times.push(performance.now() - t);
  }
  return times;
}

async function shardedLatency(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-'));
  bulkLoad(dir, n);
  const store = createStore({ adapter: 'lowdb', dir });
  const items = store.collection<Item>('items');
  const loadStart = performance.now();
  await items.count();
  const load = performance.now() - loadStart;
  const updates = await timeEach(WRITES, (i) => items.update(makeItem((i * 7919) % n).id, undefined, (r) => ({ ...r, title: `${r.title}!` })));
  const inserts = await timeEach(WRITES, (i) => items.insert({ ...makeItem(n + i), id: `it_new_${i}` }));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { load, updates, inserts, dir };
}

async function singleFileLatency(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-single-'));
  const records: Record<string, Item> = {};
  for (let i = 0; i < n; i++) records[makeItem(i).id] = makeItem(i);
  const db = new Low<Record<string, Item>>(new DurableJsonFile(join(dir, 'items.json')), records);
  const writes = Math.min(WRITES, n >= 100_000 ? 20 : WRITES);
  const updates = await timeEach(writes, async (i) => {
    const id = makeItem((i * 7919) % n).id;
    db.data[id] = { ...db.data[id]!, title: `${db.data[id]!.title}!`, version: db.data[id]!.version + 1 };
    await db.write();
  });
  rmSync(dir, { recursive: true, force: true });
  return updates;
}

/** Starts the real server over a 100k-record data dir, makes it load the items, and reads its resident memory. */
async function serverMemory(n: number): Promise<{ rss: number; hwm: number; firstList: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-bench-rss-'));
  bulkLoad(dir, n);
  const server = await startBenchServer(dir);
  try {
    const { base, cookie } = server;
    const t = performance.now();
    const list = (await (await fetch(`${base}/api/items?pageSize=1`, { headers: { cookie } })).json()) as { total: number };
    const firstList = performance.now() - t;
    if (list.total !== n) throw new Error(`server sees ${list.total} items, expected ${n}`);
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), firstList };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const rows = [];
  for (const n of SIZES) {
    const sharded = await shardedLatency(n);
    const single = await singleFileLatency(n);
    rows.push({
      records: n.toLocaleString('en'),
      'load (sharded)': ms(sharded.load),
      'update p50': ms(percentile(sharded.updates, 50)),
      'update p95': ms(percentile(sharded.updates, 95)),
      'insert p50': ms(percentile(sharded.inserts, 50)),
      'insert p95': ms(percentile(sharded.inserts, 95)),
      'one-file update p50': ms(percentile(single, 50)),
      'one-file update p95': ms(percentile(single, 95)),
    });
  }
  console.log(`Durable writes (temp file + fsync + rename + dir fsync), ${WRITES} sequential writes per cell; "one-file" = the same lowdb adapter on a single JSON file.`);
  printTable(rows);
  const memory = await serverMemory(100_000);
  console.log('');
  printTable([{ 'server at 100k items': 'lianxin serve', 'RSS': mb(memory.rss), 'peak RSS': mb(memory.hwm), target: '≤ 400 MB', 'first list (loads all shards)': ms(memory.firstList) }]);
}
