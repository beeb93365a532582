import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { doc, tempDir } from '../helpers.ts';
import { dropSchema, freshSchema, serviceAvailable, TEST_DATABASE_URL } from '../services.ts';
import { killProc, login, SERVE_READY, startProc, stopAll, until, type Proc } from './procs.ts';

// Once-per-cluster work across real `lianxin serve` processes on one PostgreSQL database: the
// scheduler runs in one instance only, a change made while no instance builds the site is built
// by the next leader, and media live in one shared directory (LIANXIN_MEDIA_DIR) every instance serves.
const enabled = serviceAvailable('database', TEST_DATABASE_URL);

const procs: Proc[] = [];
let dir: string;
let media: string;
const cleanups: Array<() => void> = [];
const schema = freshSchema('leadership');

const serve = (retryMs: number) =>
  startProc(procs, ['serve'], SERVE_READY, {
    LIANXIN_DATA: dir,
    LIANXIN_MEDIA_DIR: media,
    LIANXIN_DATABASE_URL: TEST_DATABASE_URL,
    LIANXIN_DATABASE_SCHEMA: schema,
    LIANXIN_REDIS_URL: '',
    LIANXIN_ADMIN_PASSWORD: 'admin-test-password',
    LIANXIN_SCHEDULER_MS: '300',
    LIANXIN_LEADER_RETRY_MS: String(retryMs),
  });

const roleHolders = (role: string) => procs.filter((p) => p.out.some((l) => l.includes(role)));

let a: Proc;
let b: Proc;

beforeAll(async () => {
  if (!enabled) return;
  let cleanup: () => void;
  ({ dir, cleanup } = tempDir('lianxin-lead-'));
  cleanups.push(cleanup);
  ({ dir: media, cleanup } = tempDir('lianxin-lead-media-'));
  cleanups.push(cleanup);
  a = await serve(300);
  await until('A to lead', async () => (roleHolders('负责构建公开网站').length && roleHolders('负责定时发布').length ? true : undefined), 60_000);
  // B competes once at start and then not for an hour: while A is down, nobody leads
  b = await serve(3_600_000);
}, 600_000);

afterAll(async () => {
  if (!enabled) return;
  await stopAll(procs);
  await dropSchema(TEST_DATABASE_URL!, schema);
  cleanups.forEach((c) => c());
}, 120_000);

async function newNotice(base: string, title: string) {
  const editor = await login(base, 'chen.editor');
  const reviewer = await login(base, 'zhao.reviewer');
  const created = await editor(`${base}/api/items`, 'POST', { kind: 'notice', title, body: doc(`${title}的正文。`), tags: ['集群'] });
  expect(created.status).toBe(201);
  const item = (await created.json()) as { id: string; slug: string };
  expect((await editor(`${base}/api/items/${item.id}/transitions`, 'POST', { to: 'in-review' })).status).toBe(200);
  const approved = await reviewer(`${base}/api/items/${item.id}/transitions`, 'POST', { to: 'approved' });
  expect(approved.status).toBe(200);
  return { item, reviewer, version: ((await approved.json()) as { version: number }).version };
}

describe.skipIf(!enabled)('leadership and shared media across instances on one PostgreSQL', () => {
  test('media uploaded on one instance are stored in the shared media dir and served by the other', async () => {
    const editorA = await login(a.url!, 'chen.editor');
    const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#2e7d32' } }).png().toBuffer();
    const form = new FormData();
    form.set('file', new File([png], 'green.png', { type: 'image/png' }));
    const res = await editorA(`${a.url}/api/media`, 'POST', form);
    expect(res.status).toBe(201);
    const image = (await res.json()) as { src: string; sha256: string; variants: Array<{ webp: string }> };
    const fromB = await fetch(`${b.url}${image.src}`);
    expect(fromB.status).toBe(200);
    expect(fromB.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await fromB.arrayBuffer())).metadata()).width).toBe(320);
    expect((await fetch(`${b.url}${image.variants[0]!.webp}`)).status).toBe(200);
    const key = image.src.slice('/media/'.length);
    expect(existsSync(join(media, key))).toBe(true);
    expect(existsSync(join(media, `${image.sha256.slice(0, 2)}/${image.sha256}.json`))).toBe(true);
    expect(existsSync(join(dir, 'media', key))).toBe(false);
  });

  test('the scheduler runs in one instance: a due item is published exactly once', { timeout: 120_000 }, async () => {
    expect(roleHolders('负责定时发布')).toEqual([a]);
    const { item, reviewer, version } = await newNotice(b.url!, '定时发布只发一次');
    const at = new Date(Date.now() + 5000).toISOString();
    expect((await reviewer(`${b.url}/api/items/${item.id}/schedule`, 'PUT', { at, version })).status).toBe(200);
    await until('the scheduled publish', async () => {
      const got = (await (await reviewer(`${a.url}/api/items/${item.id}`)).json()) as { item: { status: string } };
      return got.item.status === 'published' ? true : undefined;
    }, 60_000);
    // a few more ticks of both instances' timers: still one publish in the audit
    await new Promise((r) => setTimeout(r, 2000));
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.lianxin_audit WHERE target_id = $1 AND action = 'item.transition' AND (entry::jsonb -> 'data' ->> 'to') = 'published'`,
        [item.id],
      );
      expect(Number(rows[0]!.n)).toBe(1);
    } finally {
      await client.end();
    }
    expect(roleHolders('负责定时发布')).toEqual([a]);
    // the leader (A) has built the site, this item included: from here on a page appears only through an update
    await until('the scheduled item on the site', async () => ((await fetch(`${b.url}/notices/${item.slug}/`)).status === 200 ? true : undefined));
  });

  test('a publish while no instance builds the site is built when a new leader is elected', { timeout: 400_000 }, async () => {
    killProc(a, 'SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    const { item, reviewer } = await newNotice(b.url!, '无人构建时发布的公告');
    expect((await reviewer(`${b.url}/api/items/${item.id}/transitions`, 'POST', { to: 'published' })).status).toBe(200);
    const page = `/notices/${item.slug}/`;
    await new Promise((r) => setTimeout(r, 3000));
    expect((await fetch(`${b.url}${page}`)).status).toBe(404);
    expect(roleHolders('负责构建公开网站')).toEqual([a]);

    const c = await serve(300);
    const html = await until('the page built by the new leader', async () => {
      const res = await fetch(`${b.url}${page}`);
      return res.status === 200 ? res.text() : undefined;
    });
    expect(html).toContain('无人构建时发布的公告');
    expect(roleHolders('负责构建公开网站')).toEqual([a, c]);
    // the log line follows the files; then a little longer, to see that no second build comes
    const built = () => procs.flatMap((p) => p.out).filter((l) => l.includes('站点已更新') && l.includes(item.id));
    await until('the build log line', async () => (built().length ? true : undefined));
    await new Promise((r) => setTimeout(r, 2000));
    expect(built()).toHaveLength(1);
    expect(c.out.some((l) => l.includes('站点已更新') && l.includes(item.id))).toBe(true);
    expect(c.out.some((l) => l.includes('站点已构建'))).toBe(false); // the site was there: the page came from the catch-up, not a full build
  });
});
