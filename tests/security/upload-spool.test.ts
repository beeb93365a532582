import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sendForm, startServer, type ServerChild } from './server-child.ts';

// Uploads are streamed to a temp file with a byte cap (server/http/spool.ts): checked against a real
// `lianxin serve` process, whose memory is read from /proc, with its own TMPDIR to look for leftovers.
const MB = 1024 * 1024;

let server: ServerChild;
let base: string;
let cookie = '';
let csrf = '';

beforeAll(async () => {
  server = await startServer('spool-admin-password');
  ({ base, cookie, csrf } = server);
}, 120_000);

afterAll(() => server?.stop());

const status = (field: 'VmRSS' | 'VmHWM') => server.memory(field);
const resetPeak = () => server.resetPeak();
const leftovers = () => server.leftovers();
/** Streams `total` bytes as a multipart file part (or a raw body), stopping as soon as the answer comes. */
const send = (path: string, total: number, options: { multipart: boolean; headers?: Record<string, string> }) =>
  sendForm(`${base}${path}`, { total, raw: !options.multipart, fileName: 'big.png', headers: options.headers });

describe('uploads are spooled to a temp file with a cap (real server)', () => {
  const BODY = 256 * MB;

  test('a 256 MB image upload is refused with 413 naming `file`, memory does not grow by the body, no temp file is left', async () => {
    const before = status('VmRSS');
    resetPeak();
    const res = await send('/api/media', BODY, { multipart: true, headers: { cookie, 'x-csrf-token': csrf } });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toMatch(/^file: /);
    // loose on purpose: the cap is 10 MB, the body 256 MB; a buffering server grows by the body
    expect(status('VmHWM') - before).toBeLessThan(BODY / 2);
    expect(res.written).toBeLessThan(BODY);
    await expect.poll(leftovers).toEqual([]);
  }, 120_000);

  test('a 256 MB raw question-bank import is refused the same way', async () => {
    const before = status('VmRSS');
    resetPeak();
    const res = await send('/api/quiz-bank/import', BODY, { multipart: false, headers: { cookie, 'x-csrf-token': csrf } });
    expect(res.status).toBe(413);
    expect(status('VmHWM') - before).toBeLessThan(BODY / 2);
    await expect.poll(leftovers).toEqual([]);
  }, 120_000);

  test('without the CSRF header the upload is refused before the body is read', async () => {
    const res = await send('/api/media', 64 * MB, { multipart: true, headers: { cookie } });
    expect(res.status).toBe(403);
    expect(leftovers()).toEqual([]);
  }, 120_000);

  test('anonymous uploads get 401 and nothing is spooled', async () => {
    const res = await send('/api/concerns/import', 64 * MB, { multipart: true });
    expect(res.status).toBe(401);
    expect(leftovers()).toEqual([]);
  }, 120_000);

  test('a file just over the cap inside the route body limit is cut off by the spool itself (413 naming file)', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(10 * MB + 1000)]), 'x.png');
    const res = await fetch(`${base}/api/media`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf }, body: form });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^file: 图片超过 10 MB/);
    await expect.poll(leftovers).toEqual([]);
  }, 60_000);

  test('a good upload is stored and its temp file removed; a form without the field names it', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } }).png().toBuffer();
    const form = new FormData();
    form.append('note', 'x');
    form.append('file', new Blob([png], { type: 'image/png' }), 'red.png');
    const res = await fetch(`${base}/api/media`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf }, body: form });
    expect(res.status).toBe(201);
    expect(leftovers()).toEqual([]);

    const empty = new FormData();
    empty.append('other', new Blob([png]), 'red.png');
    const missing = await fetch(`${base}/api/media`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf }, body: empty });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/^file: /);
    expect(leftovers()).toEqual([]);
  }, 60_000);
});
