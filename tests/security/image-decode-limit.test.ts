import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IMAGE_QUEUE, IMAGE_SLOTS, MAX_INPUT_PIXELS } from '../../server/media/service.ts';
import { startServer, type ServerChild } from './server-child.ts';
import { bombPng, pngChunk as chunk } from './png.ts';

// Decompression bombs and near-limit images sent all at once to a real `lianxin serve`: bombs are
// refused from the header, near-limit images are decoded two at a time with a bounded queue, the
// excess is told the server is busy (503, Retry-After), and the server stays up.
const MB = 1024 * 1024;
let server: ServerChild;

const tagged = (png: Buffer, n: number) => Buffer.concat([png.subarray(0, png.length - 12), chunk('tEXt', Buffer.from(`Comment\0copy ${n}`)), png.subarray(png.length - 12)]);

const upload = async (png: Buffer, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), name);
  const res = await fetch(`${server.base}/api/media`, { method: 'POST', headers: { cookie: server.cookie, 'x-csrf-token': server.csrf }, body: form });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error?: { code: string; message: string } } };
};

beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(() => server?.stop());

describe('image decoding under a flood', () => {
  test('limits are set: 50 megapixels per image, two decodes at once, a bounded queue', () => {
    expect(MAX_INPUT_PIXELS).toBe(50_000_000);
    expect(IMAGE_SLOTS).toBe(2);
    expect(IMAGE_QUEUE).toBeGreaterThan(0);
    expect(IMAGE_QUEUE).toBeLessThan(64);
  });

  test('40 concurrent 16000×16000 bombs are all refused from the header (422 naming file); the server stays up and small', async () => {
    const before = server.memory('VmRSS');
    server.resetPeak();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => upload(tagged(bombPng(16000, 16000), i), `bomb-${i}.png`)));
    for (const r of results) {
      expect(r.status).toBe(422);
      expect(r.body.error?.message).toMatch(/^file: .*像素过多/);
    }
    // 40 decodes of 256 MP would need 10 GB
    expect(server.memory('VmHWM') - before).toBeLessThan(300 * MB);
    expect((await fetch(`${server.base}/api/session`)).status).toBeLessThan(500);
  }, 120_000);

  test('near-limit images sent at once: two are decoded at a time, a few wait, the excess get 503 busy with Retry-After; all the rest are stored', async () => {
    // 7000×7000 = 49 MP of grey, ≈ 160 KB of PNG each; distinct bytes so none is a duplicate of another
    const base = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#777' } }).greyscale().png().toBuffer();
    const count = IMAGE_SLOTS + IMAGE_QUEUE + 6;
    const before = server.memory('VmRSS');
    server.resetPeak();
    const results = await Promise.all(Array.from({ length: count }, (_, i) => upload(tagged(base, i), `big-${i}.png`)));
    const stored = results.filter((r) => r.status === 201);
    const busy = results.filter((r) => r.status === 503);
    expect(stored.length + busy.length, JSON.stringify(results.filter((r) => r.status !== 201 && r.status !== 503))).toBe(count);
    expect(busy.length).toBeGreaterThan(0);
    expect(stored.length).toBeGreaterThanOrEqual(IMAGE_SLOTS);
    for (const r of busy) {
      expect(r.body.error?.code).toBe('busy');
      expect(r.body.error?.message).toMatch(/^file: 图片处理繁忙/);
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
    // each decode of 49 MP costs ≈ 120 MB; all of them at once would be well over 1 GB
    const grew = server.memory('VmHWM') - before;
    console.log(`${count} near-limit images at once: ${stored.length} stored, ${busy.length} busy; peak RSS +${Math.round(grew / MB)} MB`);
    expect(grew).toBeLessThan(900 * MB);
    // and it still answers, and takes the next one
    const next = await upload(tagged(base, 999), 'next.png');
    expect(next.status).toBe(201);
  }, 300_000);
});
