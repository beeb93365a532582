import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer } from '../../server/main.ts';
import { SITE_CSP } from '../../server/security/headers.ts';
import { ffmpegPath } from '../../server/video/ffmpeg.ts';
import { launchBrowser } from '../browser/launch.ts';
import { createTestEnv, type TestEnv } from '../helpers.ts';
import { comparable, rawRequest as raw, type Raw } from './raw.ts';

// Byte ranges (RFC 9110 §14) on site files and media: iOS Safari and WeChat's browser only play a video
// whose server answers Range requests with 206. Every answer goes through the real server (node:http fast
// path) and through Hono (app.request), and both must agree to the byte.

let env: TestEnv;
let server: Awaited<ReturnType<typeof startServer>>;
/** ≤ 256 KB: answered from memory */
const small = Buffer.from('<!doctype html><html lang="zh-CN"><title>公告</title><p>积水已排除，道路恢复通行。</p></html>');
/** > 256 KB: streamed from disk */
const big = randomBytes(700 * 1024 + 13);
let clip: Buffer;

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

beforeAll(async () => {
  env = await createTestEnv({ config: { port: 0, host: '127.0.0.1' } });
  const site = join(env.dir, 'site');
  mkdirSync(join(site, 'notices', 'a'), { recursive: true });
  mkdirSync(join(site, 'videos', 'v'), { recursive: true });
  mkdirSync(join(env.dir, 'media', 'cd'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>首页</title>');
  writeFileSync(join(site, '404.html'), '<!doctype html><title>页面未找到</title>');
  writeFileSync(join(site, 'notices', 'a', 'index.html'), small);
  writeFileSync(join(env.dir, 'media', 'cd', 'big.bin'), big);
  // a real 微视频-like MP4: H.264 + AAC, moov first, bigger than the in-memory limit
  const mp4 = join(env.dir, 'media', 'cd', 'clip.mp4');
  await promisify(execFile)(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', mp4]);
  clip = readFileSync(mp4);
  writeFileSync(join(site, 'videos', 'v', 'index.html'), '<!doctype html><html lang="zh-CN"><title>微视频</title><video src="/media/cd/clip.mp4" preload="metadata" controls></video></html>');
  server = await startServer(env.deps, { schedulerIntervalMs: 3_600_000 });
});

afterAll(async () => {
  await server?.close();
  await env?.close();
});

describe('Range on site files and media', () => {
  test('whole files say they accept byte ranges', async () => {
    for (const path of ['/notices/a/', '/media/cd/big.bin', '/media/cd/clip.mp4']) {
      const res = await both(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['accept-ranges'], path).toBe('bytes');
    }
    // the 404 page is no file to take parts of
    const missing = await both('/nope/', { range: 'bytes=0-3' });
    expect(missing.status).toBe(404);
    expect(missing.headers['accept-ranges']).toBeUndefined();
  });

  test('bytes=a-b, a- and -n answer 206 with the part, its Content-Range and Content-Length', async () => {
    for (const [path, file] of [['/notices/a/', small], ['/media/cd/big.bin', big]] as const) {
      const size = file.length;
      const cases: Array<[string, number, number]> = [
        ['bytes=0-9', 0, 9],
        ['bytes=10-19', 10, 19],
        [`bytes=${size - 1}-${size - 1}`, size - 1, size - 1],
        ['bytes=20-', 20, size - 1],
        ['bytes=-7', size - 7, size - 1],
        // past the end: up to the end; a suffix longer than the file: all of it
        [`bytes=5-${size + 1000}`, 5, size - 1],
        [`bytes=-${size + 50}`, 0, size - 1],
        ['BYTES=3-4', 3, 4],
      ];
      const whole = await both(path);
      for (const [range, start, end] of cases) {
        const label = `${path} ${range}`;
        const res = await both(path, { range });
        expect(res.status, label).toBe(206);
        expect(res.headers['content-range'], label).toBe(`bytes ${start}-${end}/${size}`);
        expect(res.headers['content-length'], label).toBe(String(end - start + 1));
        expect(res.body.equals(file.subarray(start, end + 1)), label).toBe(true);
        // the same cache, validator and security headers as the whole file
        for (const name of ['cache-control', 'etag', 'last-modified', 'content-type', 'accept-ranges', 'content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy']) {
          expect(res.headers[name], `${label} ${name}`).toBe(whole.headers[name]);
        }
      }
      expect(whole.headers['content-security-policy']).toBe(SITE_CSP);
    }
  });

  test('a range beyond the end answers 416 with Content-Range: bytes */size', async () => {
    for (const [path, size] of [['/notices/a/', small.length], ['/media/cd/big.bin', big.length]] as const) {
      for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=-0']) {
        const res = await both(path, { range });
        expect(res.status, `${path} ${range}`).toBe(416);
        expect(res.headers['content-range'], `${path} ${range}`).toBe(`bytes */${size}`);
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.body.length).toBe(0);
      }
    }
  });

  test('malformed and multiple ranges are ignored: 200 with the whole file', async () => {
    for (const range of ['bytes=abc', 'bytes=9-3', 'bytes=-', 'bytes=', 'items=0-9', 'bytes 0-9', 'bytes=0-9,20-29', 'bytes=0-1, -5', 'bytes=1.5-3']) {
      const res = await both('/media/cd/big.bin', { range });
      expect(res.status, range).toBe(200);
      expect(res.headers['content-range'], range).toBeUndefined();
      expect(res.body.equals(big), range).toBe(true);
    }
  });

  test('If-Range: the current ETag or Last-Modified date honours the range, anything else gets the whole file', async () => {
    const file = join(env.dir, 'media', 'cd', 'big.bin');
    // a Last-Modified date is a strong validator once its second is over
    const past = new Date(Date.now() - 60_000);
    utimesSync(file, past, past);
    for (const path of ['/notices/a/', '/media/cd/big.bin']) {
      if (path === '/notices/a/') utimesSync(join(env.dir, 'site', 'notices', 'a', 'index.html'), past, past);
      const whole = await both(path);
      const etag = whole.headers.etag!;
      const date = whole.headers['last-modified']!;
      expect(etag.startsWith('"'), `${path}: a strong ETag, else If-Range could never match`).toBe(true);
      for (const ifRange of [etag, date]) {
        const res = await both(path, { range: 'bytes=0-99', 'if-range': ifRange });
        expect(res.status, `${path} If-Range ${ifRange}`).toBe(206);
        expect(res.body.length).toBe(100);
      }
      for (const ifRange of ['"stale"', `W/${etag}`, new Date(past.getTime() - 5_000).toUTCString(), 'yesterday']) {
        const res = await both(path, { range: 'bytes=0-99', 'if-range': ifRange });
        expect(res.status, `${path} If-Range ${ifRange}`).toBe(200);
        expect(res.body.length).toBe(whole.body.length);
      }
    }
    // a file changed just now: its date may cover two versions, so only the ETag resumes it
    writeFileSync(join(env.dir, 'site', 'notices', 'a', 'index.html'), small);
    const fresh = await both('/notices/a/');
    expect((await both('/notices/a/', { range: 'bytes=0-9', 'if-range': fresh.headers['last-modified']! })).status).toBe(200);
    expect((await both('/notices/a/', { range: 'bytes=0-9', 'if-range': fresh.headers.etag! })).status).toBe(206);
  });

  test('HEAD with Range answers like GET without the body; If-None-Match still wins with 304', async () => {
    for (const path of ['/notices/a/', '/media/cd/big.bin']) {
      const res = await both(path, { range: 'bytes=5-14' }, 'HEAD');
      expect(res.status, path).toBe(206);
      expect(res.headers['content-range'], path).toMatch(/^bytes 5-14\/\d+$/);
      expect(res.headers['content-length'], path).toBe('10');
      expect(res.body.length).toBe(0);
      const etag = (await both(path)).headers.etag!;
      const cached = await both(path, { range: 'bytes=5-14', 'if-none-match': etag });
      expect(cached.status, path).toBe(304);
      expect(cached.body.length).toBe(0);
    }
  });

  test('a real MP4 fetched in ranges, as a video player does, reassembles byte for byte', async () => {
    const size = clip.length;
    expect(size).toBeGreaterThan(256 * 1024);
    const head = await both('/media/cd/clip.mp4', {}, 'HEAD');
    expect(head.headers['content-type']).toBe('video/mp4');
    expect(head.headers['content-length']).toBe(String(size));
    // Safari's probe first, then parts of uneven sizes, the last one open-ended
    const probe = await both('/media/cd/clip.mp4', { range: 'bytes=0-1' });
    expect(probe.status).toBe(206);
    expect(probe.headers['content-range']).toBe(`bytes 0-1/${size}`);
    const parts: Buffer[] = [];
    let at = 0;
    for (const step of [65_536, 100_003, 262_144, 7]) {
      const res = await both('/media/cd/clip.mp4', { range: `bytes=${at}-${at + step - 1}`, 'if-range': head.headers.etag! });
      expect(res.status).toBe(206);
      parts.push(res.body);
      at += step;
    }
    const rest = await both('/media/cd/clip.mp4', { range: `bytes=${at}-` });
    expect(rest.headers['content-range']).toBe(`bytes ${at}-${size - 1}/${size}`);
    parts.push(rest.body);
    expect(Buffer.concat(parts).equals(clip)).toBe(true);
  });

  test('Chromium reads a site video’s duration through the server', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const statuses: number[] = [];
      page.on('response', (res) => {
        if (res.url().endsWith('/media/cd/clip.mp4')) statuses.push(res.status());
      });
      await page.goto(`${server.url}/videos/v/`);
      const duration = await page.$eval('video', (v: HTMLVideoElement) =>
        v.readyState >= 1 ? v.duration : new Promise<number>((resolve, reject) => {
          v.addEventListener('loadedmetadata', () => resolve(v.duration));
          v.addEventListener('error', () => reject(new Error(`video error ${v.error?.code}`)));
        }));
      expect(duration).toBeGreaterThan(1.9);
      expect(duration).toBeLessThan(2.2);
      // the media stack asks for ranges (Range: bytes=0-) and got a partial answer
      expect(statuses).toContain(206);
    } finally {
      await browser.close();
    }
  });
});
