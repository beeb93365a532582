import { randomBytes } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer } from '../../server/main.ts';
import { launchBrowser } from '../browser/launch.ts';
import { createTestEnv, type TestEnv } from '../helpers.ts';
import { comparable, rawRequest as raw, type Raw } from './raw.ts';

// Content codings (RFC 9110 §8.4, §12.5.3) on site files: text in br or gzip when the client takes it,
// compressed types never. Every answer goes through the real server (node:http fast path) and through
// Hono (app.request), and both must agree to the byte.

let env: TestEnv;
let server: Awaited<ReturnType<typeof startServer>>;

const para = (n: number) => `<p>第${n}号通告：受强降雨影响，盐城市区部分路段出现积水，请市民绕行。志愿者在路口引导车辆，热线 12345 全天受理。</p>\n`;
const page = Buffer.from(`<!doctype html><html lang="zh-CN"><head><title>公告</title></head><body>${Array.from({ length: 40 }, (_, i) => para(i)).join('')}</body></html>`);
/** like a search term file: above the in-memory size, compressed on zlib's thread pool */
const terms = Buffer.from(JSON.stringify(Object.fromEntries(Array.from({ length: 9_000 }, (_, i) => [`词${i.toString(36)}`, Array.from({ length: 12 }, (_, j) => ((i * 7 + j * 13) % 997).toString(36)).join(',')]))));
const css = Buffer.from(Array.from({ length: 60 }, (_, i) => `.item-${i}{margin:0 auto;padding:${i}px;color:#333}`).join('\n'));
const js = Buffer.from(Array.from({ length: 60 }, (_, i) => `export const notice${i} = () => document.querySelector('#n${i}')?.classList.add('read');`).join('\n'));
const feed = Buffer.from(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>${Array.from({ length: 30 }, (_, i) => `<item><title>第${i}号通告</title><link>https://lianxin.example.cn/notices/item-${i}/</link></item>`).join('')}</channel></rss>`);
const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">${Array.from({ length: 40 }, (_, i) => `<circle cx="${i}" cy="${i}" r="3" fill="#c00"/>`).join('')}</svg>`);
const photo = randomBytes(40 * 1024);
const tiny = Buffer.from('{"updates":[]}');

/** The same request on both paths; their answers must be identical. Returns the node:http one. */
async function both(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  const ours = await raw(server.url, path, headers, method);
  const hono = await env.app.request(path, { method, headers });
  const label = `${method} ${path} ${JSON.stringify(headers)}`;
  expect(ours.status, label).toBe(hono.status);
  expect(comparable(ours.headers), label).toEqual(comparable(hono.headers));
  expect(ours.body.equals(Buffer.from(await hono.arrayBuffer())), label).toBe(true);
  return ours;
}

const decoded = (res: Raw) => {
  const coding = res.headers['content-encoding'];
  return coding === 'br' ? brotliDecompressSync(res.body) : coding === 'gzip' ? gunzipSync(res.body) : res.body;
};

const TEXT: Array<[string, Buffer, string]> = [
  ['/notices/a/', page, 'text/html'],
  ['/search-index/t17.0123456789ab.json', terms, 'application/json'],
  ['/_astro/site.abc123.css', css, 'text/css'],
  ['/_astro/page.abc123.js', js, 'text/javascript'],
  ['/feeds/rss.xml', feed, 'application/xml'],
  ['/logo.svg', svg, 'image/svg+xml'],
];

beforeAll(async () => {
  env = await createTestEnv({ config: { port: 0, host: '127.0.0.1' } });
  const site = join(env.dir, 'site');
  for (const dir of ['notices/a', 'search-index', '_astro', 'feeds', 'live/storm/updates']) mkdirSync(join(site, dir), { recursive: true });
  mkdirSync(join(env.dir, 'media', 'ab'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>首页</title>');
  writeFileSync(join(site, '404.html'), `<!doctype html><title>页面未找到</title>${para(404).repeat(10)}`);
  writeFileSync(join(site, 'notices', 'a', 'index.html'), page);
  writeFileSync(join(site, 'search-index', 't17.0123456789ab.json'), terms);
  writeFileSync(join(site, '_astro', 'site.abc123.css'), css);
  writeFileSync(join(site, '_astro', 'page.abc123.js'), js);
  writeFileSync(join(site, 'feeds', 'rss.xml'), feed);
  writeFileSync(join(site, 'logo.svg'), svg);
  writeFileSync(join(site, 'tiny.json'), tiny);
  writeFileSync(join(env.dir, 'media', 'ab', 'photo.jpg'), photo);
  server = await startServer(env.deps, { schedulerIntervalMs: 3_600_000 });
});

afterAll(async () => {
  await server?.close();
  await env?.close();
});

describe('content codings on site files', () => {
  test('text files come in br or gzip as asked, decompress to the file, with their Content-Length, a per-coding ETag and Vary', async () => {
    expect(terms.length).toBeGreaterThan(256 * 1024);
    for (const [path, file, type] of TEXT) {
      const plain = await both(path);
      expect(plain.headers['content-encoding'], path).toBeUndefined();
      expect(plain.headers.vary, path).toBe('Accept-Encoding');
      expect(plain.body.equals(file), path).toBe(true);
      for (const [accept, coding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br', 'br'], ['deflate, gzip;q=0.8', 'gzip']] as const) {
        const label = `${path} ${accept}`;
        const res = await both(path, { 'accept-encoding': accept });
        expect(res.status, label).toBe(200);
        expect(res.headers['content-type'], label).toContain(type);
        expect(res.headers['content-encoding'], label).toBe(coding);
        expect(res.headers.vary, label).toBe('Accept-Encoding');
        expect(res.headers['content-length'], label).toBe(String(res.body.length));
        expect(res.body.length, label).toBeLessThan(file.length);
        expect(decoded(res).equals(file), label).toBe(true);
        expect(res.headers.etag, label).toBe(`${plain.headers.etag!.slice(0, -1)}-${coding}"`);
        expect(res.headers['cache-control'], label).toBe(plain.headers['cache-control']);
      }
    }
  });

  test('the first requests for a large file while it is being compressed all get the compressed bytes', async () => {
    writeFileSync(join(env.dir, 'site', 'search-index', 't18.0123456789ab.json'), terms);
    const answers = await Promise.all(Array.from({ length: 6 }, () => raw(server.url, '/search-index/t18.0123456789ab.json', { 'accept-encoding': 'br' })));
    for (const res of answers) {
      expect(res.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(res.body).equals(terms)).toBe(true);
    }
    expect(new Set(answers.map((a) => a.body.toString('base64'))).size).toBe(1);
  });

  test('q=0 refuses a coding; the highest q wins; br on a tie; nothing acceptable means identity', async () => {
    const cases: Array<[string, string | undefined]> = [
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=0', undefined],
      ['br;q=0, gzip;q=0', undefined],
      ['*;q=0', undefined],
      ['br;q=0, gzip;q=0, *', undefined],
      ['*', 'br'],
      ['gzip;q=1.0, br;q=0.5', 'gzip'],
      ['gzip;q=0.5, br;q=0.5', 'br'],
      ['GZIP', 'gzip'],
      ['x-gzip', 'gzip'],
      ['identity', undefined],
      ['deflate', undefined],
      ['', undefined],
    ];
    for (const [accept, coding] of cases) {
      const res = await both('/notices/a/', { 'accept-encoding': accept });
      expect(res.headers['content-encoding'], accept).toBe(coding);
      expect(res.headers.vary, accept).toBe('Accept-Encoding');
      expect(decoded(res).equals(page), accept).toBe(true);
    }
  });

  test('If-None-Match answers 304 for the tag of the coding asked for, and 200 when the tag is another coding’s', async () => {
    for (const [path] of TEXT) {
      const br = await both(path, { 'accept-encoding': 'br' });
      const gzip = await both(path, { 'accept-encoding': 'gzip' });
      const plain = await both(path);
      const cached = await both(path, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! });
      expect(cached.status, path).toBe(304);
      expect(cached.headers.etag, path).toBe(br.headers.etag);
      expect(cached.headers.vary, path).toBe('Accept-Encoding');
      expect(cached.body.length, path).toBe(0);
      expect((await both(path, { 'accept-encoding': 'gzip', 'if-none-match': gzip.headers.etag! })).status, path).toBe(304);
      expect((await both(path, { 'if-none-match': plain.headers.etag! })).status, path).toBe(304);
      // a tag of another representation: the one asked for is sent whole
      const other = await both(path, { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag! });
      expect(other.status, path).toBe(200);
      expect(other.headers['content-encoding'], path).toBe('gzip');
      const identity = await both(path, { 'if-none-match': br.headers.etag! });
      expect(identity.status, path).toBe(200);
      expect(identity.headers['content-encoding'], path).toBeUndefined();
    }
  });

  test('a Range request gets a part of the identity bytes, whatever Accept-Encoding says', async () => {
    for (const [path, file] of TEXT) {
      const res = await both(path, { 'accept-encoding': 'gzip, deflate, br', range: 'bytes=10-109' });
      expect(res.status, path).toBe(206);
      expect(res.headers['content-encoding'], path).toBeUndefined();
      expect(res.headers['content-range'], path).toBe(`bytes 10-109/${file.length}`);
      expect(res.headers.vary, path).toBe('Accept-Encoding');
      expect(res.body.equals(file.subarray(10, 110)), path).toBe(true);
    }
  });

  test('HEAD answers the coded representation’s headers without a body', async () => {
    for (const [path] of TEXT) {
      const get = await both(path, { 'accept-encoding': 'br' });
      const head = await both(path, { 'accept-encoding': 'br' }, 'HEAD');
      expect(head.status, path).toBe(200);
      expect(head.headers['content-encoding'], path).toBe('br');
      expect(head.headers['content-length'], path).toBe(get.headers['content-length']);
      expect(head.headers.etag, path).toBe(get.headers.etag);
      expect(head.body.length, path).toBe(0);
    }
  });

  test('compressed types are never encoded and do not vary; a tiny text file goes as it is, still with Vary', async () => {
    const jpg = await both('/media/ab/photo.jpg', { 'accept-encoding': 'gzip, deflate, br' });
    expect(jpg.status).toBe(200);
    expect(jpg.headers['content-type']).toBe('image/jpeg');
    expect(jpg.headers['content-encoding']).toBeUndefined();
    expect(jpg.headers.vary).toBeUndefined();
    expect(jpg.body.equals(photo)).toBe(true);
    const small = await both('/tiny.json', { 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers.vary).toBe('Accept-Encoding');
    expect(small.body.equals(tiny)).toBe(true);
  });

  test('the site’s 404 page is compressed too and keeps its status', async () => {
    const res = await both('/nope/', { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(404);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).toString()).toContain('页面未找到');
  });

  test('a file rewritten is compressed again from its new bytes', async () => {
    const path = join(env.dir, 'site', 'notices', 'a', 'index.html');
    const first = await both('/notices/a/', { 'accept-encoding': 'br' });
    const next = Buffer.from(page.toString().replace('第0号通告', '第0号通告（更新）'));
    writeFileSync(path, next);
    const later = new Date(Date.now() + 2_000);
    utimesSync(path, later, later);
    const second = await both('/notices/a/', { 'accept-encoding': 'br' });
    expect(second.headers.etag).not.toBe(first.headers.etag);
    expect(brotliDecompressSync(second.body).equals(next)).toBe(true);
    writeFileSync(path, page);
  });

  test('Chromium (what WeChat’s browser is built on) gets the page in br and reads it whole', async () => {
    const browser = await launchBrowser();
    try {
      const browserPage = await browser.newPage();
      const coding = new Promise<string | undefined>((resolve) => browserPage.on('response', (res) => res.url().endsWith('/notices/a/') && resolve(res.headers()['content-encoding'])));
      await browserPage.goto(`${server.url}/notices/a/`);
      expect(await coding).toBe('br');
      expect(await browserPage.$$eval('p', (ps) => ps.length)).toBe(40);
      expect(await browserPage.$eval('p:last-of-type', (p) => p.textContent)).toContain('第39号通告');
    } finally {
      await browser.close();
    }
  });
});
