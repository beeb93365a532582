import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createDeps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { createTestEnv, doc, loginAs, type TestEnv } from '../helpers.ts';
import { testDatabase } from '../services.ts';

// The same services over PostgreSQL (the real server when LIANXIN_TEST_DATABASE_URL is set, PGlite
// otherwise): nothing in them knows which store they run on.
let env: TestEnv;
let db: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  db = await testDatabase('http');
  env = await createTestEnv({ demo: true, store: createStore({ adapter: 'postgres', client: await db.open() }) });
});
afterAll(async () => {
  await env.close();
  await db.cleanup();
});

describe('the API on the PostgreSQL store', () => {
  test('health names the adapter', async () => {
    expect(await (await env.app.request('/api/health')).json()).toMatchObject({ ok: true, store: 'postgres' });
  });

  test('create, stale edit refused with 409, review, publish; history, audit and list filters agree', async () => {
    const editor = await loginAs(env.app, 'chen.editor');
    const reviewer = await loginAs(env.app, 'zhao.reviewer');
    const created = await editor.request('POST', '/api/items', { kind: 'notice', title: '防汛期间出行提示 #暴雨#', body: doc('请市民减少外出 🌧️'), tags: ['灾害'] });
    expect(created.status).toBe(201);
    const item = await created.json();
    const edited = await editor.request('PATCH', `/api/items/${item.id}`, { version: 1, summary: '第二版' });
    expect(edited.status).toBe(200);
    const stale = await editor.request('PATCH', `/api/items/${item.id}`, { version: 1, summary: '过期的修改' });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.message).toMatch(/^version: /);

    expect((await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' })).status).toBe(200);
    expect((await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' })).status).toBe(403);
    expect((await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' })).status).toBe(200);
    expect((await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'published' })).status).toBe(200);

    const history = await (await editor.request('GET', `/api/items/${item.id}/history`)).json();
    expect(history.transitions.map((t: { to: string }) => t.to)).toEqual(['draft', 'in-review', 'approved', 'published']);
    expect(history.audit.map((e: { action: string }) => e.action)).toEqual(['item.create', 'item.update', 'item.transition', 'item.transition', 'item.transition']);

    const list = await (await editor.request('GET', `/api/items?status=published&kind=notice&pageSize=100`)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(item.id);
    expect(list.items.every((i: { status: string; kind: string }) => i.status === 'published' && i.kind === 'notice')).toBe(true);
    const drafts = await (await editor.request('GET', `/api/items?status=draft&pageSize=100`)).json();
    expect(drafts.items.map((i: { id: string }) => i.id)).not.toContain(item.id);
  });

  test('login failures are counted in the database: a second instance on the same database sees them', async () => {
    const second = createApp(createDeps({ store: createStore({ adapter: 'postgres', client: await db.open() }), config: env.deps.config }));
    const attempt = (app: typeof second) =>
      app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.9.9.9' }, body: JSON.stringify({ username: 'wang.editor', password: 'wrong-password' }) });
    for (let i = 0; i < 5; i++) expect((await attempt(i % 2 ? second : env.app)).status).toBe(401);
    const locked = await attempt(second);
    expect(locked.status).toBe(429);
    expect((await attempt(env.app)).status).toBe(429);
  });
});
