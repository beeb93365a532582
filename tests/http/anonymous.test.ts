import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, type TestEnv } from '../helpers.ts';

// Authentication comes before validation: an anonymous caller learns nothing about a protected route's
// schema — any body, id or query gets 401, and nothing changes.
let env: TestEnv;
let routes: { method: string; path: string; open: boolean }[];

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  const spec = (await (await env.app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
  routes = Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, open: Array.isArray(op.security) && op.security.length === 0 })));
});
afterAll(() => env.close());

const BODIES: Array<string | undefined> = [undefined, '{', '[]', 'null', '{}', JSON.stringify({ version: 'x', to: 42, title: ['a'], kind: { a: 1 }, body: { type: 'doc', content: 'x' } })];

async function anonymous(method: string, url: string, body?: string) {
  return env.app.request(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) });
}

describe('anonymous callers', () => {
  test('get 401 with the error shape from every protected route, whatever the body, id or query', async () => {
    const protectedRoutes = routes.filter((r) => !r.open);
    expect(protectedRoutes.length).toBeGreaterThan(25);
    const wrong: string[] = [];
    for (const { method, path } of protectedRoutes) {
      for (const id of path.includes('{') ? ['x', 'a'.repeat(300), '%00'] : ['']) {
        const url = path.replace(/\{[^}]+\}/g, id) + (method === 'GET' ? '?page=-1&pageSize=abc&week=2026-W99' : '');
        for (const body of method === 'GET' || method === 'HEAD' ? [undefined] : BODIES) {
          const res = await anonymous(method, url, body);
          const json = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
          if (res.status !== 401 || json.error?.code !== 'unauthorized' || !json.error.message) wrong.push(`${method} ${url} ${body?.slice(0, 30) ?? ''} → ${res.status} ${json.error?.code ?? ''}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  test('a multipart upload and a form post are refused with 401 before the body is read', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }), 'x.jpg');
    expect((await env.app.request('/api/media', { method: 'POST', body: form })).status).toBe(401);
    expect((await env.app.request('/api/concerns/import', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'text,platform\n坏,weibo' })).status).toBe(401);
  });

  test('still reach the open routes: logging in validates the body (400), health answers', async () => {
    const open = routes.filter((r) => r.open).map((r) => `${r.method} ${r.path}`);
    expect(open).toContain('POST /api/session');
    const res = await anonymous('POST', '/api/session', '{}');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^username/);
    expect((await env.app.request('/api/health')).status).toBe(200);
    expect((await env.app.request('/api/openapi.json')).status).toBe(200);
  });

  test('an unknown API path is still a 404, not a 401', async () => {
    expect((await anonymous('POST', '/api/nowhere', '{}')).status).toBe(404);
  });
});
