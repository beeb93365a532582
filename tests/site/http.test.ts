import { mkdirSync, mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import sharp from 'sharp';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { seedDemo, DEMO_PASSWORD } from '../../scripts/seed/demo.ts';
import { readSnapshots } from '../../server/publish/snapshots.ts';
import { SITE_URL } from './helpers.ts';

let deps: Deps;
let app: ReturnType<typeof createApp>;
let auth: Record<string, string> = {};

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-http-'));
  deps = createDeps({ store: createStore({ adapter: 'memory' }), config: loadConfig({}, { dataDir, siteUrl: SITE_URL }) });
  await seedDemo(deps);
  app = createApp(deps);
  const res = await app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'chen.editor', password: DEMO_PASSWORD }) });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  auth = { cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken };
});

const mediaFiles = () => (existsSync(join(deps.config.dataDir, 'media')) ? (readdirSync(join(deps.config.dataDir, 'media'), { recursive: true }) as string[]).filter((f) => f.includes('.')) : []);
const upload = (data: Uint8Array, name: string, headers = auth) => {
  const form = new FormData();
  form.append('file', new File([data as Uint8Array<ArrayBuffer>], name));
  return app.request('/api/media', { method: 'POST', headers, body: form });
};

describe('POST /api/media', () => {
  test('stores a photo once by content hash, EXIF and GPS stripped, with WebP and JPEG widths', async () => {
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#88aa22' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'TestCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '33/1 23/1 0/1' } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const res = await upload(photo, 'named-wrong.png');
    expect(res.status).toBe(201);
    const image = (await res.json()) as { sha256: string; format: string; src: string; variants: Array<{ width: number; webp: string; jpeg: string }> };
    expect(image.format).toBe('jpeg');
    expect(image.variants.map((v) => v.width)).toEqual([480, 960, 1200]);
    for (const path of [image.src, ...image.variants.flatMap((v) => [v.webp, v.jpeg])]) {
      const meta = await sharp(readFileSync(join(deps.config.dataDir, path))).metadata();
      expect(meta.exif, path).toBeUndefined();
    }
    expect((await sharp(readFileSync(join(deps.config.dataDir, image.variants[0]!.webp))).metadata()).format).toBe('webp');
    const before = mediaFiles().length;
    const again = await upload(photo, 'again.jpg');
    expect(again.status).toBe(200);
    expect(((await again.json()) as { sha256: string }).sha256).toBe(image.sha256);
    expect(mediaFiles().length).toBe(before);
    const served = await app.request(image.variants[0]!.webp);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('cache-control')).toContain('immutable');
  });

  test('answers 415 for a file that only claims to be an image, storing nothing', async () => {
    const before = mediaFiles().length;
    const res = await upload(new TextEncoder().encode('#!/bin/sh\necho not an image\n'), 'cute-cat.jpg');
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^file: “cute-cat\.jpg”不是受支持的图片/);
    expect(mediaFiles().length).toBe(before);
  });

  test('answers 422 for a corrupt image, storing nothing', async () => {
    const before = mediaFiles().length;
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } }).png().toBuffer();
    const res = await upload(png.subarray(0, 60), 'broken.png');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('损坏');
    expect(mediaFiles().length).toBe(before);
  });

  test('answers 413 above the size limit and 401 without a session', async () => {
    expect((await upload(new Uint8Array(11 * 1024 * 1024), 'huge.jpg')).status).toBe(413);
    expect((await upload(new Uint8Array([0xff, 0xd8, 0xff]), 'x.jpg', {})).status).toBe(401);
  });
});

describe('GET /api/items/:id/export/*', () => {
  test('returns the WeChat and Weibo packages of a published item', async () => {
    const item = readSnapshots({ dataDir: deps.config.dataDir }).find((i) => i.status === 'published')!;
    const wechat = await app.request(`/api/items/${item.id}/export/wechat`, { headers: auth });
    expect(wechat.status).toBe(200);
    const pkg = (await wechat.json()) as { articles: Array<{ content_source_url: string; thumb: { url: string } }> };
    expect(pkg.articles[0]!.content_source_url).toBe(`${SITE_URL}${item.url}`);
    const weibo = await app.request(`/api/items/${item.id}/export/weibo`, { headers: auth });
    expect(((await weibo.json()) as { text: string }).text).toContain(`${SITE_URL}${item.url}`);
  });

  test('answers 404 for an item that was never published', async () => {
    const res = await app.request('/api/items/it_nope/export/weibo', { headers: auth });
    expect(res.status).toBe(404);
  });
});

describe('serving the built site', () => {
  beforeAll(() => {
    const site = join(deps.config.dataDir, 'site');
    mkdirSync(join(site, 'notices', 'a'), { recursive: true });
    mkdirSync(join(site, '_astro'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>首页</title>');
    writeFileSync(join(site, '404.html'), '<!doctype html><title>页面未找到</title>');
    writeFileSync(join(site, 'notices', 'a', 'index.html'), '<!doctype html><title>公告</title>');
    writeFileSync(join(site, '_astro', 'site.abc123.css'), 'body{}');
    mkdirSync(join(site, 'feeds'), { recursive: true });
    writeFileSync(join(site, 'feeds', 'all.xml'), '<rss/>');
  });

  test('serves pages with no-cache and an ETag, answering 304 when it matches', async () => {
    const res = await app.request('/notices/a/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const etag = res.headers.get('etag')!;
    expect((await app.request('/notices/a/', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await app.request('/')).status).toBe(200);
  });

  test('marks hashed assets immutable and types feeds as XML', async () => {
    expect((await app.request('/_astro/site.abc123.css')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request('/feeds/all.xml')).headers.get('content-type')).toBe('application/xml; charset=utf-8');
  });

  test('redirects a directory without its slash and answers 404 with the site page, never leaving the folder', async () => {
    const redirect = await app.request('/notices/a');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/notices/a/');
    for (const path of ['/nope/', '/..%2f..%2f..%2fetc%2fpasswd', '/media/..%2f..%2fpublished']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('页面未找到');
    }
    expect((await app.request('/api/nope')).headers.get('content-type')).toContain('application/json');
  });
});
