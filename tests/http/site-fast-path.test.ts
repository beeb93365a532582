import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer } from '../../server/main.ts';
import { writeSiteFile } from '../../server/publish/site-files.ts';
import { answeredByApp } from '../../server/http/site-fast-path.ts';
import { createSiteApp } from '../../server/security/site-app.ts';
import { SITE_CSP } from '../../server/security/headers.ts';
import { createTestEnv, type TestEnv } from '../helpers.ts';
import { comparable, rawRequest as get } from './raw.ts';

// `lianxin serve` answers site files on node:http ahead of Hono (server/http/site-fast-path.ts). These
// tests go through the real server with raw HTTP (paths sent as written, no client normalisation) and
// hold its answers to Hono's own for the same requests.

const PAGE = '<!doctype html><title>公告</title><p>积水已排除</p>';
/** A live column's index as readers poll it: a few updates, long enough to be worth compressing. */
const LIVE_INDEX = JSON.stringify({ total: 3, updates: [1, 2, 3].map((seq) => ({ seq, kind: 'update', at: `2026-06-23T1${seq}:00:00+08:00`, html: `<p>阜宁县陈良镇第${seq}批救援队已抵达，安置点设在镇中学，请需要帮助的群众拨打 0515-87212345。</p>` })) });
let env: TestEnv;
let server: Awaited<ReturnType<typeof startServer>>;
let site: string;

beforeAll(async () => {
  env = await createTestEnv({ config: { port: 0, host: '127.0.0.1', sitePort: 0 } });
  site = join(env.dir, 'site');
  mkdirSync(join(site, 'notices', 'a'), { recursive: true });
  mkdirSync(join(site, 'tags', '防汛'), { recursive: true });
  mkdirSync(join(site, '_astro'), { recursive: true });
  mkdirSync(join(site, 'live', 'storm', 'updates'), { recursive: true });
  mkdirSync(join(env.dir, 'media', 'ab'), { recursive: true });
  // index.html present: the publisher does not start a build
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>首页</title>');
  writeFileSync(join(site, '404.html'), '<!doctype html><title>页面未找到</title>');
  writeFileSync(join(site, 'notices', 'a', 'index.html'), PAGE);
  writeFileSync(join(site, 'tags', '防汛', 'index.html'), '<!doctype html><title>#防汛#</title>');
  writeFileSync(join(site, '_astro', 'site.abc123.css'), 'body{}');
  writeFileSync(join(site, 'reach.js'), 'void 0;');
  writeFileSync(join(site, 'live', 'storm', 'updates', 'latest.json'), '{"updates":[]}');
  mkdirSync(join(site, 'live', 'flood', 'updates'), { recursive: true });
  writeFileSync(join(site, 'live', 'flood', 'updates', 'latest.json'), LIVE_INDEX);
  writeFileSync(join(env.dir, 'media', 'ab', 'photo.jpg'), 'jpeg bytes');
  writeFileSync(join(env.dir, 'media', 'big.mp4'), Buffer.alloc(600 * 1024, 7));
  symlinkSync('../db', join(env.dir, 'media', 'dbl'));
  server = await startServer(env.deps, { schedulerIntervalMs: 3_600_000 });
});

afterAll(async () => {
  await server?.close();
  await env?.close();
});

describe('site files on node:http', () => {
  test('answer as Hono does: status, headers (security headers included) and bytes', async () => {
    const cases: Array<[string, Record<string, string>?, string?]> = [
      ['/notices/a/'],
      ['/notices/a/?from=wechat'],
      ['/notices/a'],
      ['/notices/a/index.html'],
      [`/tags/${encodeURIComponent('防汛')}/`],
      [`/tags/${encodeURIComponent('防汛')}`],
      ['/_astro/site.abc123.css'],
      ['/reach.js'],
      ['/media/ab/photo.jpg'],
      ['/media/big.mp4'],
      ['/media/big.mp4', {}, 'HEAD'],
      ['/media/big.mp4', { range: 'bytes=1000-299999' }],
      ['/media/big.mp4', { range: 'bytes=-10' }, 'HEAD'],
      ['/media/big.mp4', { range: 'bytes=700000-' }],
      ['/notices/a/', { range: 'bytes=3-' }],
      ['/notices/a/', {}, 'HEAD'],
      ['/nope/'],
      ['/nope/', {}, 'HEAD'],
      ['/live/storm/updates/latest.json'],
      ['/live/flood/updates/latest.json'],
      ['/live/flood/updates/latest.json', { 'accept-encoding': 'gzip, deflate, br' }],
      ['/live/flood/updates/latest.json', { 'accept-encoding': 'gzip' }],
      ['/api/health'],
      ['/workbench/login'],
      ['/r/abcd'],
    ];
    for (const [path, headers = {}, method = 'GET'] of cases) {
      const ours = await get(server.url, path, headers, method);
      const hono = await env.app.request(path, { method, headers });
      const label = `${method} ${path}`;
      expect(ours.status, label).toBe(hono.status);
      expect(ours.headers['content-security-policy'], label).toBe(hono.headers.get('content-security-policy'));
      expect(ours.headers['x-frame-options'], label).toBe('DENY');
      // the app's own pages carry a clock or a token: status and policy are what must agree
      if (answeredByApp(path)) continue;
      expect(comparable(ours.headers), label).toEqual(comparable(hono.headers));
      expect(ours.body.equals(Buffer.from(await hono.arrayBuffer())), label).toBe(true);
    }
    const page = await get(server.url, '/notices/a/');
    expect(page.body.toString()).toBe(PAGE);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toBe(SITE_CSP);
    expect(page.headers['last-modified']).toMatch(/GMT$/);
    expect((await get(server.url, '/_astro/site.abc123.css')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get(server.url, '/live/storm/updates/latest.json')).headers['cache-control']).toBe('public, max-age=5, must-revalidate');
    // a directory reached through a doubled slash redirects on this site, never to a host named like the folder
    for (const path of ['//notices/a', '/%2Fnotices/a', '///notices/a']) {
      const odd = await get(server.url, path);
      expect(odd.status, path).toBe(301);
      expect(odd.headers.location, path).toMatch(/^\/[^/\\]/);
    }
    const moved = await get(server.url, `/tags/${encodeURIComponent('防汛')}`);
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe(`/tags/${encodeURIComponent('防汛')}/`);
    // the app's own routes still answer (JSON, the login page), not the site's 404 page
    expect((await get(server.url, '/api/health')).headers['content-type']).toContain('application/json');
    expect((await get(server.url, '/workbench/login')).body.toString()).toContain('<form');
    // a live index polled by phones every few seconds goes compressed, with its own ETag, and decompresses to the file
    const plainLive = await get(server.url, '/live/flood/updates/latest.json');
    const brLive = await get(server.url, '/live/flood/updates/latest.json', { 'accept-encoding': 'gzip, br' });
    expect(brLive.headers['content-encoding']).toBe('br');
    expect(brLive.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(brLive.body).toString()).toBe(LIVE_INDEX);
    expect(brLive.body.length).toBeLessThan(Buffer.byteLength(LIVE_INDEX) / 2);
    expect(brLive.headers.etag).not.toBe(plainLive.headers.etag);
    expect((await get(server.url, '/live/flood/updates/latest.json', { 'accept-encoding': 'gzip, br', 'if-none-match': brLive.headers.etag! })).status).toBe(304);
    expect((await get(server.url, '/live/flood/updates/latest.json', { 'accept-encoding': 'br;q=0, gzip;q=0' })).headers['content-encoding']).toBeUndefined();
    const big = await get(server.url, '/media/big.mp4');
    expect(big.body.length).toBe(600 * 1024);
    expect(big.headers['content-length']).toBe(String(600 * 1024));
  });

  test('answer 304 to a matching If-None-Match (alone, weak or in a list) and 200 to a stale one', async () => {
    const first = await get(server.url, '/notices/a/');
    const etag = first.headers.etag!;
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const res = await get(server.url, '/notices/a/', { 'if-none-match': inm });
      expect(res.status, inm).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['content-security-policy']).toBe(SITE_CSP);
    }
    expect((await get(server.url, '/notices/a/', { 'if-none-match': '"stale"' })).status).toBe(200);
    // the 404 page keeps its status whatever the client holds
    const missing = await get(server.url, '/nope/');
    expect((await get(server.url, '/nope/', { 'if-none-match': missing.headers.etag! })).status).toBe(404);
  });

  test('never leave the site or media folder: encoded dots and slashes, NUL, bad encoding, symlinks', async () => {
    writeFileSync(join(env.dir, 'secret.txt'), 'password hash');
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/notices/..%2f..%2f..%2fsecret.txt', '/media/..%2fsecret.txt', '/media/%2e%2e/secret.txt', '/media/dbl/users/10.json', '/notices/a/%00', '/notices/a%00/', '/%E9%98', '/..%5csecret.txt']) {
      const res = await get(server.url, path);
      expect(res.status, path).toBe(404);
      expect(res.body.toString(), path).not.toContain('password');
      expect(res.body.toString(), path).not.toContain('scrypt');
    }
  });

  test('the media storage’s own dot folders (.tmp: renders and uploads in progress) are never served', async () => {
    mkdirSync(join(env.dir, 'media', '.tmp'), { recursive: true });
    writeFileSync(join(env.dir, 'media', '.tmp', 'render-1.mp4'), 'half a render');
    writeFileSync(join(env.dir, 'media', 'ab', '.hidden.jpg'), 'not public');
    for (const path of ['/media/.tmp/render-1.mp4', '/media/%2etmp/render-1.mp4', '/media/%2Etmp/render-1.mp4', '/media/ab/.hidden.jpg']) {
      expect((await get(server.url, path)).status, path).toBe(404);
      expect((await env.app.request(path)).status, `${path} (Hono)`).toBe(404);
    }
    expect((await get(server.url, '/media/ab/photo.jpg')).status).toBe(200);
  });

  test('a freshly published page is served at once, with a new ETag; the old one no longer matches', async () => {
    const before = await get(server.url, '/notices/a/');
    expect(before.body.toString()).toBe(PAGE);
    // the publisher's write (temp + rename), same length, same second: only the content differs
    const next = PAGE.replace('积水已排除', '积水已更正');
    expect(Buffer.byteLength(next)).toBe(Buffer.byteLength(PAGE));
    writeSiteFile(site, '/notices/a/index.html', next);
    const after = await get(server.url, '/notices/a/');
    expect(after.body.toString()).toBe(next);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((await get(server.url, '/notices/a/', { 'if-none-match': before.headers.etag! })).status).toBe(200);
    // a page that did not exist a moment ago (cached as missing nowhere)
    expect((await get(server.url, '/notices/b/')).status).toBe(404);
    writeSiteFile(site, '/notices/b/index.html', '<p>新页面</p>');
    expect((await get(server.url, '/notices/b/')).body.toString()).toBe('<p>新页面</p>');
    // and one that was retracted (removed) is gone at once
    writeSiteFile(site, '/notices/c/index.html', '<p>将撤回</p>');
    expect((await get(server.url, '/notices/c/')).status).toBe(200);
    rmSync(join(site, 'notices', 'c'), { recursive: true });
    expect((await get(server.url, '/notices/c/')).status).toBe(404);
  });

  test('the site port answers the same files with the same headers, live files by the live rules', async () => {
    const siteApp = createSiteApp(env.deps);
    for (const path of ['/notices/a/', '/live/storm/updates/latest.json', '/nope/', '/media/ab/photo.jpg']) {
      const ours = await get(server.siteUrl!, path);
      const hono = await siteApp.request(path);
      expect(ours.status, path).toBe(hono.status);
      expect(comparable(ours.headers), path).toEqual(comparable(hono.headers));
      expect(ours.body.equals(Buffer.from(await hono.arrayBuffer())), path).toBe(true);
    }
    expect((await get(server.siteUrl!, '/live/storm/updates/latest.json')).headers['cache-control']).toBe('public, max-age=5, must-revalidate');
    expect((await get(server.siteUrl!, '/api/health')).status).toBe(404);
    expect((await get(server.siteUrl!, '/workbench/login')).status).toBe(404);
  });
});

describe('answeredByApp', () => {
  test('covers every GET route the app has besides the site catch-all and the live files', () => {
    const routes = env.app.routes.filter((r) => ['GET', 'HEAD', 'ALL'].includes(r.method) && !['*', '/*', '/live/:slug/updates/:file'].includes(r.path));
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) {
      const sample = r.path.replace(/:[^/]+/g, 'x').replace(/\*/g, 'x');
      expect(answeredByApp(sample), `${r.method} ${r.path}`).toBe(true);
    }
    expect(answeredByApp('/notices/a/')).toBe(false);
  });
});

describe('with LIANXIN_SITE_ORIGIN', () => {
  test('the workbench origin still sends site pages to the site origin; the site origin gets the files', async () => {
    const split = await createTestEnv({ config: { port: 0, host: '127.0.0.1', siteOrigin: 'http://site.lianxin.test' } });
    mkdirSync(join(split.dir, 'site', 'notices', 'a'), { recursive: true });
    writeFileSync(join(split.dir, 'site', 'index.html'), '<title>首页</title>');
    writeFileSync(join(split.dir, 'site', 'notices', 'a', 'index.html'), PAGE);
    mkdirSync(join(split.dir, 'media', 'ab'), { recursive: true });
    writeFileSync(join(split.dir, 'media', 'ab', 'photo.jpg'), 'jpeg bytes');
    const running = await startServer(split.deps, { schedulerIntervalMs: 3_600_000 });
    try {
      const moved = await get(running.url, '/notices/a/?page=2', { host: 'work.lianxin.test' });
      expect(moved.status).toBe(301);
      expect(moved.headers.location).toBe('http://site.lianxin.test/notices/a/?page=2');
      const page = await get(running.url, '/notices/a/', { host: 'site.lianxin.test' });
      expect(page.status).toBe(200);
      expect(page.body.toString()).toBe(PAGE);
      expect((await get(running.url, '/workbench/login', { host: 'site.lianxin.test' })).status).toBe(404);
      expect((await get(running.url, '/media/ab/photo.jpg', { host: 'work.lianxin.test' })).body.toString()).toBe('jpeg bytes');
    } finally {
      await running.close();
      await split.close();
    }
  });
});
