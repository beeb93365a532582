import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, type Client, type TestEnv } from '../helpers.ts';

/** A lazily generated body of `total` bytes that counts how much of it anyone actually read. */
function countingBody(total: number, prefix = '') {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const head = new TextEncoder().encode(prefix);
  let sent = 0;
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const piece = sent === 0 && head.length ? head : chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += piece.length;
      counter.pulled = sent;
      controller.enqueue(piece);
    },
  }, { highWaterMark: 0 });
  return { stream, counter };
}

const MB = 1024 * 1024;
const HUGE = 450 * MB;

let env: TestEnv;
let editor: Client;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
});
afterAll(() => env.close());

describe('request bodies are limited by route before anything reads them', () => {
  const cases: Array<{ name: string; path: string; type: string; auth: boolean }> = [
    { name: 'workbench login form', path: '/workbench/login', type: 'application/x-www-form-urlencoded', auth: false },
    { name: 'API login', path: '/api/session', type: 'application/json', auth: false },
    { name: 'multipart to /api/media without a CSRF header', path: '/api/media', type: 'multipart/form-data; boundary=x', auth: true },
    { name: 'concern import (raw)', path: '/api/concerns/import', type: 'text/csv', auth: true },
    { name: 'concern import (multipart)', path: '/api/concerns/import', type: 'multipart/form-data; boundary=x', auth: true },
    { name: 'workbench form', path: '/workbench/concerns/import', type: 'multipart/form-data; boundary=x', auth: true },
    { name: 'JSON API', path: '/api/items', type: 'application/json', auth: true },
  ];

  for (const c of cases) {
    test(`${c.name}: a 450 MB Content-Length is refused with 413 and not one byte is read`, async () => {
      const { stream, counter } = countingBody(HUGE);
      const headers: Record<string, string> = { 'content-type': c.type, 'content-length': String(HUGE) };
      if (c.auth) headers.cookie = editor.cookie;
      const res = await env.app.request(c.path, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);
      expect(res.status).toBe(413);
      expect(counter.pulled).toBeLessThanOrEqual(64 * 1024);
      await stream.cancel().catch(() => undefined);
    });

    test(`${c.name}: a chunked 450 MB body is cut off at the route's limit with 413`, async () => {
      const { stream, counter } = countingBody(HUGE, c.type.startsWith('multipart') ? '--x\r\ncontent-disposition: form-data; name="file"; filename="a.csv"\r\n\r\n' : c.type === 'application/json' ? '{"kind":"notice","title":"' : 'username=');
      const headers: Record<string, string> = { 'content-type': c.type };
      if (c.auth) Object.assign(headers, { cookie: editor.cookie, 'x-csrf-token': editor.csrf });
      const res = await env.app.request(c.path, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);
      expect(res.status).toBe(413);
      expect(((await res.json().catch(() => ({ error: { code: 'payload_too_large' } }))) as { error: { code: string } }).error.code).toBe('payload_too_large');
      // at most the largest route limit (audio, 20 MB) plus one chunk: never the whole body
      expect(counter.pulled).toBeLessThan(21 * MB);
      expect(counter.pulled).toBeLessThan(HUGE);
    });
  }

  test('the login form takes at most 16 KB, the JSON API the configured limit', async () => {
    const { stream, counter } = countingBody(10 * MB, 'username=');
    const res = await env.app.request('/workbench/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(counter.pulled).toBeLessThan(16 * 1024 + 2 * 64 * 1024);
  });

  test('a cross-site login post is refused before the body is read', async () => {
    const { stream, counter } = countingBody(1000, 'username=');
    const res = await env.app.request('/workbench/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', host: 'localhost' }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(403);
    expect(counter.pulled).toBe(0);
  });

  test('a logged-in write without the CSRF header is refused before one byte of its body is read', async () => {
    for (const path of ['/api/media', '/api/concerns/import', '/api/items']) {
      const { stream, counter } = countingBody(HUGE);
      const res = await env.app.request(path, { method: 'POST', headers: { cookie: editor.cookie, 'content-type': 'multipart/form-data; boundary=x' }, body: stream, duplex: 'half' } as RequestInit);
      expect(res.status).toBe(403);
      expect(counter.pulled).toBe(0);
    }
  });

  test('multipart API writes need the X-CSRF-Token header: the body is not parsed to look for a _csrf field', async () => {
    const form = new FormData();
    form.append('_csrf', editor.csrf);
    form.append('file', new Blob([new Uint8Array([0xff, 0xd8, 0xff])]), 'x.jpg');
    const res = await env.app.request('/api/media', { method: 'POST', headers: { cookie: editor.cookie }, body: form });
    expect(res.status).toBe(403);
  });
});
