import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';
import { storeImage } from '../../server/media/service.ts';
import { getItem, itemsOf } from '../../server/content/service.ts';
import { readPublishSnapshot } from '../../server/content/snapshot.ts';
import { exportWechat, readPublished } from '../../server/exports/service.ts';

// The cover crop and focal point (`coverCrop`) through the hostile corpus: every route that takes it
// answers 400 naming the field, stores nothing, never 500; what a record brings (from before these
// rules) never reaches the published snapshot or the WeChat cover.
let env: TestEnv;
let chen: Client;
let zhao: Client;
let cover = '';
let other = '';

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  [chen, zhao] = (await Promise.all(['chen.editor', 'zhao.reviewer'].map((u) => loginAs(env.app, u)))) as [Client, Client];
  cover = (await storeImage({ dataDir: env.dir, data: await sharp({ create: { width: 1600, height: 800, channels: 3, background: '#c00' } }).png().toBuffer(), fileName: 'red.png' })).image.src;
  other = (await storeImage({ dataDir: env.dir, data: await sharp({ create: { width: 1600, height: 800, channels: 3, background: '#00c' } }).png().toBuffer(), fileName: 'blue.png' })).image.src;
}, 120_000);
afterAll(() => env?.close());

const GOOD = { aspect: 'free', x: 0, y: 0, width: 800, height: 400, focusX: 0.5, focusY: 0.5 };
/** Hostile values as JSON text (1e999 parses to Infinity; NaN cannot be written in JSON and arrives as null). */
const VALUES = ['null', '-1', '1.5', '1e999', '-1e999', '9007199254740993', '1e308', '"0"', '"NaN"', '"Infinity"', '"1e3"', '{}', '[]', '[1]', 'true', '{"__proto__":{"polluted":1}}', '"<script>alert(1)</script>"', '"\\u202e1"'];
const FIELDS = ['x', 'y', 'width', 'height', 'focusX', 'focusY', 'aspect'];

/** Every hostile coverCrop, as JSON text: each field set to each value, then whole hostile objects. */
function hostileCrops(): string[] {
  const out: string[] = [];
  for (const field of FIELDS) {
    for (const value of VALUES) {
      // in range for the field is not hostile: 1.5 is fine for nothing, -1 for nothing, "0" for nothing
      out.push(JSON.stringify(GOOD).replace(new RegExp(`"${field}":[^,}]+`), `"${field}":${value}`));
    }
  }
  out.push('"x"', '1', '[]', '[1,2,3,4]', 'true', '{}');
  out.push(`{"__proto__":${JSON.stringify(GOOD)}}`);
  out.push(`{"constructor":{"prototype":{"polluted":1}},${JSON.stringify(GOOD).slice(1)}`);
  out.push(`{"__proto__":{"polluted":1},${JSON.stringify(GOOD).slice(1)}`);
  out.push(JSON.stringify({ ...GOOD, source: other }));
  out.push(JSON.stringify({ ...GOOD, source: '"><script>alert(1)</script>' }));
  out.push(JSON.stringify({ ...GOOD, x: 1500 })); // past the right edge of the 1600 px cover
  return out;
}

const raw = (client: Client, method: string, path: string, json: string) =>
  env.app.request(path, { method, headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': 'application/json' }, body: json });

describe('coverCrop under hostile values', () => {
  test('PATCH /api/items/:id: each answers 400 naming coverCrop, the item does not change', async () => {
    const created = (await (await chen.request('POST', '/api/items', { kind: 'notice', title: '裁剪注入', body: doc('正文。'), cover })).json()) as { id: string; version: number };
    const failures: string[] = [];
    for (const crop of hostileCrops()) {
      const res = await raw(chen, 'PATCH', `/api/items/${created.id}`, `{"version":${created.version},"coverCrop":${crop}}`);
      const message = res.status === 400 ? ((await res.json()) as { error: { message: string } }).error.message : await res.text();
      if (res.status !== 400 || !/^coverCrop(\.[\w]+)?: /.test(message)) failures.push(`${crop} → ${res.status} ${message.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
    const item = await getItem({ deps: env.deps, id: created.id });
    expect(item.version).toBe(created.version);
    expect(item.coverCrop).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('POST /api/items (every kind takes it): each answers 400 naming coverCrop, nothing is created', async () => {
    const before = (await itemsOf(env.deps).list()).length;
    const failures: string[] = [];
    const body = JSON.stringify(doc('正文。'));
    for (const crop of hostileCrops()) {
      const res = await raw(chen, 'POST', '/api/items', `{"kind":"notice","title":"新建裁剪注入","body":${body},"cover":"${cover}","coverCrop":${crop}}`);
      const message = res.status === 400 ? ((await res.json()) as { error: { message: string } }).error.message : await res.text();
      if (res.status !== 400 || !/^coverCrop(\.[\w]+)?: /.test(message)) failures.push(`${crop} → ${res.status} ${message.slice(0, 120)}`);
    }
    // a crop needs an uploaded cover to cut, on create as on edit
    const bare = await chen.request('POST', '/api/items', { kind: 'notice', title: '无封面裁剪', body: doc('正文。'), coverCrop: GOOD });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toMatch(/^coverCrop: /);
    expect(failures).toEqual([]);
    expect((await itemsOf(env.deps).list()).length).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a record that brings a foreign crop source: the editor shows it escaped, the snapshot and WeChat cover ignore it', async () => {
    const created = (await (await chen.request('POST', '/api/items', { kind: 'notice', title: '旧记录裁剪', body: doc('正文。'), cover })).json()) as { id: string; version: number };
    // as an old record (or a restored backup) could hold it: a crop whose source is another image, and markup
    await itemsOf(env.deps).update(created.id, undefined, (item) => ({ ...item, coverCrop: { ...GOOD, source: `${other}"><script>alert(1)</script>` } }) as typeof item);
    const page = await env.app.request(`/workbench/items/${created.id}/edit`, { headers: { cookie: chen.cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toMatch(/data-crop="[^"]*"><script>/);

    let item = (await getItem({ deps: env.deps, id: created.id })) as { version: number };
    for (const [who, to] of [[chen, 'in-review'], [zhao, 'approved'], [zhao, 'published']] as const) {
      const res = await who.request('POST', `/api/items/${created.id}/transitions`, { to, version: item.version });
      expect(res.status, await res.clone().text()).toBe(200);
      item = (await res.json()) as { version: number };
    }
    const snapshot = (await readPublishSnapshot(env.deps, created.id))!;
    // the crop was cut from the approved cover, and its source names that cover, not what the record said
    expect(snapshot.coverCrop?.source).toBe(cover);
    expect(JSON.stringify(snapshot)).not.toContain('<script>');
    const pkg = await exportWechat({ dataDir: env.dir, siteDir: join(env.dir, 'site'), siteUrl: 'https://lianxin.example.cn', item: readPublished({ dataDir: env.dir, id: created.id }) });
    const dir = join(env.dir, 'site', 'exports', 'wechat', created.id);
    const thumb = readFileSync(join(dir, pkg.articles[0]!.thumb.file));
    const { data } = await sharp(thumb).raw().toBuffer({ resolveWithObject: true });
    // red (the approved cover), not blue (the image the record pointed at)
    expect(data[0]!).toBeGreaterThan(150);
    expect(data[2]!).toBeLessThan(100);
    for (const file of ['package.json', 'preview.html']) expect(readFileSync(join(dir, file), 'utf8')).not.toContain('<script>alert(1)');
  }, 120_000);

  test('a crop source on a record whose cover is not an upload does not make another image the WeChat cover', async () => {
    const created = (await (await chen.request('POST', '/api/items', { kind: 'notice', title: '外链封面', body: doc('正文。'), cover: 'https://img.example.cn/a.jpg' })).json()) as { id: string };
    await itemsOf(env.deps).update(created.id, undefined, (item) => ({ ...item, coverCrop: { ...GOOD, source: other } }) as typeof item);
    let item = (await getItem({ deps: env.deps, id: created.id })) as { version: number };
    for (const [who, to] of [[chen, 'in-review'], [zhao, 'approved'], [zhao, 'published']] as const) {
      const res = await who.request('POST', `/api/items/${created.id}/transitions`, { to, version: item.version });
      expect(res.status, await res.clone().text()).toBe(200);
      item = (await res.json()) as { version: number };
    }
    expect((await readPublishSnapshot(env.deps, created.id))!.coverCrop?.source).toBeUndefined();
    const pkg = await exportWechat({ dataDir: env.dir, siteDir: join(env.dir, 'site'), siteUrl: 'https://lianxin.example.cn', item: readPublished({ dataDir: env.dir, id: created.id }) });
    const thumb = readFileSync(join(env.dir, 'site', 'exports', 'wechat', created.id, pkg.articles[0]!.thumb.file));
    const { data } = await sharp(thumb).resize(1, 1).raw().toBuffer({ resolveWithObject: true });
    // the share card, not the blue image the record pointed at
    expect(data[2]! > 150 && data[0]! < 60 && data[1]! < 60).toBe(false);
  }, 120_000);
});
