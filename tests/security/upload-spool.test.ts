import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers.ts';

// Uploads are streamed to a temp file with a byte cap (server/http/spool.ts): checked against a real
// `lianxin serve` process, whose memory is read from /proc, with its own TMPDIR to look for leftovers.
const ROOT = join(import.meta.dirname, '..', '..');
const PASSWORD = 'spool-admin-password';
const MB = 1024 * 1024;

let child: ChildProcess;
let base: string;
let data: ReturnType<typeof tempDir>;
let tmp: ReturnType<typeof tempDir>;
let cookie = '';
let csrf = '';

beforeAll(async () => {
  data = tempDir();
  tmp = tempDir('lianxin-spool-tmp-');
  child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'cli.ts'), 'serve', '--port', '0', '--no-demo'], {
    cwd: ROOT,
    env: { ...process.env, LIANXIN_DATA: data.dir, TMPDIR: tmp.dir, HOST: '127.0.0.1', LIANXIN_ADMIN_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /工作台 (http:\/\/[^/\s]+)\/workbench/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  expect(res.status).toBe(200);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
}, 120_000);

afterAll(() => {
  child?.kill('SIGKILL');
  data?.cleanup();
  tmp?.cleanup();
});

const status = (field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024;
/** Resets the peak RSS of the server (Linux: clear_refs 5), so VmHWM measures the upload alone. */
const resetPeak = () => writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
const leftovers = () => readdirSync(tmp.dir).filter((name) => name.startsWith('lianxin-upload-'));

interface Sent {
  status: number;
  body: string;
  written: number;
}

/**
 * Streams `total` bytes of a multipart file part (or a raw body) to the server, chunked, without a
 * Content-Length, and stops writing as soon as the answer comes.
 */
function send(path: string, total: number, options: { multipart: boolean; headers?: Record<string, string> }): Promise<Sent> {
  const boundary = 'spoolboundary';
  const head = options.multipart ? Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.png"\r\ncontent-type: image/png\r\n\r\n`) : Buffer.alloc(0);
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    let answered = false;
    let written = 0;
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': options.multipart ? `multipart/form-data; boundary=${boundary}` : 'text/csv', 'transfer-encoding': 'chunked', ...options.headers },
    });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, body, written });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end(options.multipart ? `\r\n--${boundary}--\r\n` : undefined);
    };
    req.write(head);
    pump();
  });
}

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
