import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, type Client, type TestEnv } from '../helpers.ts';

// Every route in the OpenAPI document, fed malformed input: the answer is a 4xx with our error shape, never a 500.
let env: TestEnv;
let admin: Client;
let editor: Client;
let routes: { method: string; path: string }[];

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  admin = await loginAs(env.app, 'admin');
  editor = await loginAs(env.app, 'li.reviewer');
  const spec = (await (await env.app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  // logging out would end the sessions the sweep runs under
  routes = Object.entries(spec.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })))
    .filter((r) => !(r.method === 'DELETE' && r.path === '/api/session'));
});
afterAll(() => env.close());

const BODIES: unknown[] = [undefined, '{', '[]', 'null', '"text"', '{}', { version: 'x', to: 42, title: ['a'], kind: { a: 1 } }, { version: -1, body: { type: 'doc', content: 'x' } }, { ['__proto__']: { admin: true }, constructor: { prototype: 1 } }];
const IDS = ['x', '..%2F..%2Fetc%2Fpasswd', '%00', 'it_0000000000000000', 'a'.repeat(300)];
const QUERIES = ['', '?page=-1&pageSize=abc', '?week=2026-W99&org=../x&format=exe&limit=1e9', '?status=%E2%98%83&kind[]=1'];

describe('no route answers bad input with a 500', () => {
  test('every route × malformed ids, queries and bodies, as admin and as a reviewer-editor', async () => {
    expect(routes.length).toBeGreaterThan(25);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const { method, path } of routes) {
      for (const who of [admin, editor]) {
        for (const id of path.includes('{') ? IDS : ['']) {
          const url = `${path.replace(/\{[^}]+\}/g, id)}`;
          for (const query of method === 'GET' ? QUERIES : ['']) {
            for (const body of method === 'GET' || method === 'HEAD' ? [undefined] : BODIES) {
              const res = await who.request(method, url + query, body);
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              if (res.status >= 500) failures.push(`${method} ${url}${query} ${JSON.stringify(body)?.slice(0, 60)} → ${res.status} ${(await res.text()).slice(0, 120)}`);
              else if (res.status >= 400 && (res.headers.get('content-type') ?? '').includes('json')) {
                const json = (await res.json()) as { error?: { code?: string; message?: string } };
                if (!json.error?.code || !json.error.message) failures.push(`${method} ${url} → ${res.status} without the error shape`);
              }
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // the sweep reached the handlers: mostly validation answers, and the sessions held throughout
    expect(statuses.get(400) ?? 0).toBeGreaterThan(500);
    expect(statuses.get(401) ?? 0).toBe(0);
  }, 240_000);
});
