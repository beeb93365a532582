import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { doc, tempDir } from '../helpers.ts';
import { dropSchema, freshSchema, serviceAvailable, TEST_DATABASE_URL, TEST_REDIS_URL } from '../services.ts';
import { killProc as kill, login, SERVE_READY, startProc, stopAll, until, type Proc } from './procs.ts';

// The proof that the same code runs as several processes: two `lianxin serve` instances on one
// PostgreSQL database and one shared data dir, and `lianxin worker` processes on Redis.
const enabled = serviceAvailable('database', TEST_DATABASE_URL) && serviceAvailable('redis', TEST_REDIS_URL);

const procs: Proc[] = [];
let dir: string;
let cleanupDir: () => void;
const schema = freshSchema('instances');
const prefix = `lianxin-test-${randomBytes(5).toString('hex')}`;

const start = (args: string[], ready: RegExp) =>
  startProc(procs, args, ready, {
    LIANXIN_DATA: dir,
    LIANXIN_DATABASE_URL: TEST_DATABASE_URL,
    LIANXIN_DATABASE_SCHEMA: schema,
    LIANXIN_REDIS_URL: TEST_REDIS_URL,
    LIANXIN_REDIS_PREFIX: prefix,
    LIANXIN_ADMIN_PASSWORD: 'admin-test-password',
    LIANXIN_WORKER_LOCK_MS: '3000',
  });

const serve = () => start(['serve'], SERVE_READY);
const worker = () => start(['worker', '--concurrency', '1'], /连心 worker 已启动/);

/** Final media files (not the private temp dir of renders in progress). */
const mediaFiles = () =>
  readdirSync(join(dir, 'media'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[0-9a-f]{2}$/.test(d.name))
    .flatMap((d) => readdirSync(join(dir, 'media', d.name)).map((f) => `${d.name}/${f}`))
    .sort();

let a: Proc;
let b: Proc;

beforeAll(async () => {
  if (!enabled) return;
  ({ dir, cleanup: cleanupDir } = tempDir('lianxin-scale-'));
  // both start at once on an empty database: one seeds the demo, the other waits and finds it done
  [a, b] = await Promise.all([serve(), serve()]);
}, 600_000);

afterAll(async () => {
  if (!enabled) return;
  await stopAll(procs);
  await dropSchema(TEST_DATABASE_URL!, schema);
  const redis = new Redis(TEST_REDIS_URL!);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  cleanupDir();
}, 120_000);

describe.skipIf(!enabled)('two server instances on one PostgreSQL, workers on Redis', () => {
  test('the demo was seeded once although both instances started on the empty database', async () => {
    const seeded = [...a.out, ...b.out].filter((l) => l.includes('正在写入演示数据'));
    expect(seeded).toHaveLength(1);
    const list = await (await login(a.url!, 'chen.editor'))(`${b.url}/api/items?pageSize=100`);
    const titles = ((await list.json()) as { items: Array<{ title: string }> }).items.map((i) => i.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  test('edited on one, published on the other: on the site once; a stale version is refused on either', { timeout: 400_000 }, async () => {
    const editorA = await login(a.url!, 'chen.editor');
    const reviewerB = await login(b.url!, 'zhao.reviewer');
    const created = await editorA(`${a.url}/api/items`, 'POST', { kind: 'notice', title: '两台服务器共同发布的公告', body: doc('这条公告在甲实例编辑，在乙实例发布。'), tags: ['集群'] });
    expect(created.status).toBe(201);
    const item = (await created.json()) as { id: string; slug: string };

    // the session made on A works on B: sessions are in the database
    expect((await editorA(`${b.url}/api/items/${item.id}`, 'PATCH', { version: 1, summary: '乙实例上的修改' })).status).toBe(200);
    const staleOnA = await editorA(`${a.url}/api/items/${item.id}`, 'PATCH', { version: 1, summary: '甲实例上的过期修改' });
    expect(staleOnA.status).toBe(409);
    const staleOnB = await editorA(`${b.url}/api/items/${item.id}`, 'PATCH', { version: 1, summary: '乙实例上的过期修改' });
    expect(staleOnB.status).toBe(409);

    expect((await editorA(`${a.url}/api/items/${item.id}/transitions`, 'POST', { to: 'in-review' })).status).toBe(200);
    expect((await reviewerB(`${b.url}/api/items/${item.id}/transitions`, 'POST', { to: 'approved' })).status).toBe(200);
    expect((await reviewerB(`${b.url}/api/items/${item.id}/transitions`, 'POST', { to: 'published' })).status).toBe(200);

    // the page appears in the one shared site dir, served by both instances
    const page = `/notices/${item.slug}/`;
    const html = await until('the published page', async () => {
      const res = await fetch(`${a.url}${page}`);
      return res.status === 200 ? res.text() : undefined;
    });
    expect(html).toContain('两台服务器共同发布的公告');
    expect((await fetch(`${b.url}${page}`)).status).toBe(200);
    const inFeed = await until('the item in the feed', async () => {
      const res = await fetch(`${b.url}/feeds/all.json`);
      if (res.status !== 200) return undefined;
      const feed = (await res.json()) as { items: Array<{ id: string; url: string }> };
      const found = feed.items.filter((i) => i.url.endsWith(page));
      return found.length ? found : undefined;
    }, 60_000);
    expect(inFeed).toHaveLength(1);

    // built once: exactly one instance (the leader) rendered this change
    await new Promise((r) => setTimeout(r, 3000));
    const builds = [...a.out, ...b.out].filter((l) => l.includes('站点已更新') && l.includes(item.id));
    expect(builds).toHaveLength(1);
    expect([...a.out, ...b.out].filter((l) => l.includes('负责构建公开网站'))).toHaveLength(1);
  });

  test('a render queued on one instance is done by a worker and seen from the other; a worker killed mid-render leaves no file and the job is retried', { timeout: 400_000 }, async () => {
    const editorA = await login(a.url!, 'chen.editor');
    const board = (seconds: number, title: string) => ({
      titleCard: { title, seconds: 1 },
      endCard: { orgName: '亭湖区团委', date: '2026年12月', seconds: 1 },
      scenes: [
        { text: '本周收到校车相关留言 37 条', seconds },
        { text: '新增 12 辆校车，12 月起运营', seconds },
      ],
      transition: 'cut',
    });
    const created = await editorA(`${a.url}/api/items`, 'POST', { kind: 'video', title: '集群渲染测试视频', body: doc('视频说明'), storyboard: board(1, '校车安全') });
    expect(created.status).toBe(201);
    const item = (await created.json()) as { id: string };

    const w1 = await worker();
    const queued = await editorA(`${a.url}/api/items/${item.id}/render`, 'POST', {});
    expect(queued.status).toBe(202);
    const job = (await queued.json()) as { id: string };
    const done = await until('the first render', async () => {
      const j = (await (await editorA(`${b.url}/api/jobs/${job.id}`)).json()) as { status: string; result?: { file: string } };
      return ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    });
    expect(done.status).toBe('succeeded');
    const seen = (await (await editorA(`${b.url}/api/items/${item.id}`)).json()) as { item: { render?: { file: string } } };
    expect(seen.item.render?.file).toBe(done.result!.file);
    expect(existsSync(join(dir, done.result!.file))).toBe(true);
    const before = mediaFiles();

    // a longer storyboard, so the render is still running when its worker dies
    const current = (await (await editorA(`${a.url}/api/items/${item.id}`)).json()) as { item: { version: number } };
    expect((await editorA(`${a.url}/api/items/${item.id}`, 'PATCH', { version: current.item.version, storyboard: board(12, '校车安全（完整版）') })).status).toBe(200);
    const second = (await (await editorA(`${b.url}/api/items/${item.id}/render`, 'POST', {})).json()) as { id: string };
    await until('the second render to run', async () => {
      const j = (await (await editorA(`${a.url}/api/jobs/${second.id}`)).json()) as { status: string };
      return j.status === 'running' ? j : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    kill(w1, 'SIGKILL');
    await new Promise((r) => w1.child.once('exit', r));
    expect(mediaFiles()).toEqual(before);
    const afterKill = (await (await editorA(`${a.url}/api/jobs/${second.id}`)).json()) as { status: string };
    expect(['running', 'queued']).toContain(afterKill.status);

    // a new worker takes the stalled job over and finishes it
    const w2 = await worker();
    const retried = await until('the retried render', async () => {
      const j = (await (await editorA(`${b.url}/api/jobs/${second.id}`)).json()) as { status: string; result?: { file: string; duration: number } };
      return ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    });
    expect(retried.status).toBe('succeeded');
    expect(retried.result!.duration).toBeGreaterThan(20);
    expect(w2.out.some((l) => l.includes(second.id) && l.includes('第 2 次'))).toBe(true);
    const after = (await (await editorA(`${a.url}/api/items/${item.id}`)).json()) as { item: { render?: { file: string } } };
    expect(after.item.render?.file).toBe(retried.result!.file);
    expect(mediaFiles().filter((f) => !before.includes(f)).length).toBeGreaterThan(0);
  });
});
