import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let chen: Client; // editor, tinghu
let zhao: Client; // reviewer, tinghu
let wang: Client; // editor, funing
let li: Client; // reviewer + editor, yc (city, parent of every district)
let xu: Client; // reporter
let admin: Client;

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  chen = await loginAs(env.app, 'chen.editor');
  zhao = await loginAs(env.app, 'zhao.reviewer');
  wang = await loginAs(env.app, 'wang.editor');
  li = await loginAs(env.app, 'li.reviewer');
  xu = await loginAs(env.app, 'xu.reporter');
  admin = await loginAs(env.app, 'admin');
});
afterAll(() => env.close());

async function newItem(by: Client, status: 'draft' | 'in-review' = 'draft') {
  const item = await (await by.request('POST', '/api/items', { kind: 'notice', title: `矩阵 ${Math.random()}`, body: doc('x') })).json();
  if (status === 'in-review') await by.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' });
  return (await (await by.request('GET', `/api/items/${item.id}`)).json()).item;
}

describe('403 matrix: every denied action says why and changes nothing', () => {
  test.each([
    ['a reporter creates an item', () => xu, async () => ({ method: 'POST', path: '/api/items', body: { kind: 'notice', title: 't', body: doc('x') } }), /编辑/],
    ['an editor creates an item for another org', () => chen, async () => ({ method: 'POST', path: '/api/items', body: { kind: 'notice', orgId: 'funing', title: 't', body: doc('x') } }), /本组织/],
    ['an editor edits another org’s item', () => wang, async () => { const i = await newItem(chen); return { method: 'PATCH', path: `/api/items/${i.id}`, body: { version: i.version, title: '越权' } }; }, /本组织/],
    ['an editor deletes another org’s draft', () => wang, async () => { const i = await newItem(chen); return { method: 'DELETE', path: `/api/items/${i.id}`, body: { version: i.version } }; }, /本组织/],
    ['an editor approves (no reviewer role)', () => chen, async () => { const i = await newItem(chen, 'in-review'); return { method: 'POST', path: `/api/items/${i.id}/transitions`, body: { to: 'approved' } }; }, /审核/],
    ['a reviewer approves an item outside their org subtree', () => zhao, async () => { const i = await newItem(wang, 'in-review'); return { method: 'POST', path: `/api/items/${i.id}/transitions`, body: { to: 'approved' } }; }, /不在你所在组织/],
    ['a reviewer submits an item (editor step)', () => zhao, async () => { const i = await newItem(chen); return { method: 'POST', path: `/api/items/${i.id}/transitions`, body: { to: 'in-review' } }; }, /编辑/],
    ['a non-admin lists users', () => li, async () => ({ method: 'GET', path: '/api/users' }), /管理员/],
    ['a non-admin creates a user', () => chen, async () => ({ method: 'POST', path: '/api/users', body: { username: 'evil', displayName: 'x', orgId: 'yc', roles: ['admin'], password: '12345678' } }), /管理员/],
    ['a non-admin creates an org', () => zhao, async () => ({ method: 'POST', path: '/api/orgs', body: { name: '新组织', parentId: 'yc', kind: 'district' } }), /管理员/],
    ['a non-admin reads the audit log', () => zhao, async () => ({ method: 'GET', path: '/api/audit' }), /管理员/],
  ] as const)('%s → 403', async (_name, who, setup, reason) => {
    const { method, path, body } = (await setup()) as { method: string; path: string; body?: unknown };
    const before = await env.deps.store.audit.list({ limit: 1 });
    const itemsBefore = await env.deps.store.collection('items').list();
    const res = await who().request(method, path, body);
    expect(res.status).toBe(403);
    const json = await res.json();
    expect(json.error.code).toBe('forbidden');
    expect(json.error.message).toMatch(reason);
    expect(await env.deps.store.audit.list({ limit: 1 })).toEqual(before);
    expect(await env.deps.store.collection('items').list()).toEqual(itemsBefore);
  });

  test('a city reviewer reviews a district item (org subtree)', async () => {
    const item = await newItem(wang, 'in-review');
    expect((await li.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' })).status).toBe(200);
  });
});

describe('sessions, CSRF and rate limits', () => {
  test('no session → 401 on the API', async () => {
    const res = await env.app.request('/api/items');
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });

  test('the session cookie is HttpOnly and SameSite', async () => {
    const res = await env.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.9.9.9' }, body: JSON.stringify({ username: 'chen.editor', password: 'lianxin-demo' }) });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  test('a cookie write without the CSRF token is refused and changes nothing', async () => {
    const count = (await env.deps.store.collection('items').list()).length;
    const res = await env.app.request('/api/items', { method: 'POST', headers: { cookie: chen.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'notice', title: 't', body: doc('x') }) });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/CSRF/);
    expect((await env.deps.store.collection('items').list()).length).toBe(count);
  });

  test('login failures are rate-limited per user', async () => {
    const attempt = (password: string, ip: string) => env.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': ip }, body: JSON.stringify({ username: 'wang.editor', password }) });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password', `10.1.1.${i}`)).status).toBe(401);
    const limited = await attempt('lianxin-demo', '10.1.1.99');
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.message).toMatch(/失败次数过多/);
  });

  test('login failures are rate-limited per IP across users', async () => {
    const attempt = (username: string) => env.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.2.2.2' }, body: JSON.stringify({ username, password: 'wrong-password' }) });
    const statuses = [];
    for (let i = 0; i < 32; i++) statuses.push((await attempt(`nobody${i}`)).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  test('logout ends the session', async () => {
    const me = await loginAs(env.app, 'sun.reviewer');
    expect((await me.request('DELETE', '/api/session')).status).toBe(204);
    expect((await me.request('GET', '/api/session')).status).toBe(401);
  });
});

describe('admin manages users and orgs', () => {
  test('creates a user who can log in; deactivating ends their sessions and blocks login', async () => {
    const created = await admin.request('POST', '/api/users', { username: 'new.editor', displayName: '新编辑', orgId: 'dafeng', roles: ['editor'], password: 'password-123' });
    expect(created.status).toBe(201);
    const user = await created.json();
    expect(user).not.toHaveProperty('passwordHash');
    const session = await loginAs(env.app, 'new.editor', 'password-123');
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { version: user.version, active: false })).status).toBe(200);
    expect((await session.request('GET', '/api/session')).status).toBe(401);
    await expect(loginAs(env.app, 'new.editor', 'password-123')).rejects.toThrow(/401/);
  });

  test('duplicate usernames are 409; unknown orgs are 400 naming orgId', async () => {
    const dup = await admin.request('POST', '/api/users', { username: 'chen.editor', displayName: 'x', orgId: 'yc', roles: ['editor'], password: 'password-123' });
    expect(dup.status).toBe(409);
    const badOrg = await admin.request('POST', '/api/users', { username: 'someone', displayName: 'x', orgId: 'nowhere', roles: ['editor'], password: 'password-123' });
    expect(badOrg.status).toBe(400);
    expect((await badOrg.json()).error.issues[0].path).toBe('orgId');
  });

  test('creates an org under a parent and refuses a cycle', async () => {
    const res = await admin.request('POST', '/api/orgs', { name: '大丰区新丰镇团委', parentId: 'dafeng', kind: 'grassroots' });
    expect(res.status).toBe(201);
    const org = await res.json();
    expect(org.id).toBe('da-feng-qu-xin-feng-zhen-tuan-wei');
    const yc = (await (await admin.request('GET', '/api/orgs')).json()).orgs.find((o: { id: string }) => o.id === 'yc');
    const cycle = await admin.request('PATCH', '/api/orgs/yc', { version: yc.version, parentId: org.id });
    expect(cycle.status).toBe(400);
  });
});
