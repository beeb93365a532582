import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';
import type { Group } from '../../server/groups/schema.ts';

const NOW = new Date('2026-11-26T04:00:00Z');
const WEEK = '2026-W48';

let env: TestEnv;
let chen: Client; // editor, 亭湖区
let zhao: Client; // reviewer, 亭湖区
let li: Client; // reviewer + editor, city
let sun: Client; // reviewer, city
let wang: Client; // editor, 阜宁县
let xu: Client; // reporter
beforeAll(async () => {
  env = await createTestEnv({ demo: true, clock: () => NOW });
  [chen, zhao, li, sun, wang, xu] = (await Promise.all(['chen.editor', 'zhao.reviewer', 'li.reviewer', 'sun.reviewer', 'wang.editor', 'xu.reporter'].map((u) => loginAs(env.app, u)))) as [Client, Client, Client, Client, Client, Client];
});
afterAll(() => env.close());

async function publish(title: string, by = chen, reviewer = zhao) {
  const item = (await (await by.request('POST', '/api/items', { kind: 'notice', title, body: doc('原文：明日停课。') })).json()) as { id: string };
  for (const [who, to] of [[by, 'in-review'], [reviewer, 'approved'], [reviewer, 'published']] as const) expect((await who.request('POST', `/api/items/${item.id}/transitions`, { to })).status).toBe(200);
  return item.id;
}
const get = async (who: Client, id: string) => ((await (await who.request('GET', `/api/items/${id}`)).json()) as { item: { version: number; title: string; status: string; pendingCorrection?: unknown; editorsSinceApproval?: string[] }; transitions: { to: string }[] });
const snapshot = (id: string) => JSON.parse(readFileSync(join(env.dir, 'published', 'items', `${id}.json`), 'utf8')) as { title: string; bodyHtml: string; corrections: unknown[] };

describe('corrections go through review', () => {
  test('a correction stays off the site until a reviewer approves it; then the snapshot changes', async () => {
    const id = await publish('停课通知（更正审核）');
    const { item } = await get(chen, id);
    const res = await chen.request('PATCH', `/api/items/${id}`, { version: item.version, title: '恶意改写的标题', body: doc('恶意改写的正文'), correction: '小改动' });
    expect(res.status).toBe(200);
    expect(snapshot(id).title).toBe('停课通知（更正审核）');
    expect(snapshot(id).bodyHtml).toContain('原文');
    expect(snapshot(id).bodyHtml).not.toContain('恶意');
    expect((await get(chen, id)).item.pendingCorrection).toBeTruthy();
    // the editor who made it cannot approve it, nor can a reviewer-editor who touched it
    expect((await chen.request('POST', `/api/items/${id}/transitions`, { to: 'published' })).status).toBe(403);
    expect((await zhao.request('POST', `/api/items/${id}/transitions`, { to: 'published' })).status).toBe(200);
    expect(snapshot(id).title).toBe('恶意改写的标题');
    expect(snapshot(id).corrections).toHaveLength(1);
    expect((await get(chen, id)).item.pendingCorrection).toBeUndefined();
    // nothing pending: the approve step is not offered and answers 409
    expect((await zhao.request('POST', `/api/items/${id}/transitions`, { to: 'published' })).status).toBe(409);
  });

  test('four-eyes excludes everyone who changed the content since the last approval, not only the last editor', async () => {
    // li (reviewer + editor, city) cannot edit 亭湖区 items; use a city item edited by li and then by another city editor
    const item = (await (await li.request('POST', '/api/items', { kind: 'notice', title: '市级通知', body: doc('v1') })).json()) as { id: string; version: number };
    // li edits, then sun (not an editor) cannot edit; a second city editor is needed: li edits twice, admin edits? admin is not an editor.
    const edited = (await (await li.request('PATCH', `/api/items/${item.id}`, { version: item.version, body: doc('li 改过') })).json()) as { version: number };
    expect(edited.version).toBeGreaterThan(item.version);
    expect((await li.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' })).status).toBe(200);
    expect((await li.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' })).status).toBe(403);
    expect((await sun.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' })).status).toBe(200);
    expect((await get(li, item.id)).item.editorsSinceApproval).toEqual([]);
  });

  test('an editor who changed the content earlier in the round, but is neither author nor last editor, cannot approve', async () => {
    // zhao is made an editor too, edits chen's draft, then chen edits last: zhao is not the last editor but changed the content
    const admin = await loginAs(env.app, 'admin');
    const users = (await (await admin.request('GET', '/api/users')).json()) as { users?: Array<{ id: string; username: string; version: number; roles: string[] }> } | Array<{ id: string; username: string; version: number; roles: string[] }>;
    const list = Array.isArray(users) ? users : users.users!;
    const z = list.find((u) => u.username === 'zhao.reviewer')!;
    const made = await admin.request('PATCH', `/api/users/${z.id}`, { version: z.version, roles: ['reviewer', 'editor'] });
    expect(made.status).toBe(200);
    const zhaoEd = await loginAs(env.app, 'zhao.reviewer');
    const item = (await (await chen.request('POST', '/api/items', { kind: 'notice', title: '多人修改', body: doc('v1') })).json()) as { id: string; version: number };
    const v2 = (await (await zhaoEd.request('PATCH', `/api/items/${item.id}`, { version: item.version, body: doc('zhao 的改动') })).json()) as { version: number };
    const v3 = (await (await chen.request('PATCH', `/api/items/${item.id}`, { version: v2.version, title: '多人修改（定稿）' })).json()) as { version: number };
    expect(v3.version).toBeGreaterThan(v2.version);
    expect((await chen.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' })).status).toBe(200);
    const denied = await zhaoEd.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { message: string } }).error.message).toContain('四眼原则');
    expect((await li.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' })).status).toBe(200);
    await admin.request('PATCH', `/api/users/${z.id}`, { version: z.version + 1, roles: ['reviewer'] });
  });
});

describe('groupIds, jobs and drafts are scoped to the org', () => {
  test('an editor cannot link (and so answer) another district\'s group', async () => {
    const { groups } = (await (await li.request('GET', `/api/groups?week=${WEEK}`)).json()) as { groups: Group[] };
    const foreign = groups.find((g) => g.orgId !== 'tinghu' && !g.orgId.startsWith('tinghu'));
    expect(foreign, JSON.stringify(groups.map((g) => g.orgId))).toBeDefined();
    const res = await chen.request('POST', '/api/items', { kind: 'notice', title: '越权回应', body: doc('x'), groupIds: [foreign!.id] });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^groupIds\.0: /);
    const missing = await chen.request('POST', '/api/items', { kind: 'notice', title: '不存在的分组', body: doc('x'), groupIds: ['grp_nope'] });
    expect(missing.status).toBe(400);
  });

  test('drafts and their history are hidden from other orgs and reporters; published items are not', async () => {
    const draft = (await (await chen.request('POST', '/api/items', { kind: 'notice', title: '亭湖草稿', body: doc('内部') })).json()) as { id: string };
    expect((await wang.request('GET', `/api/items/${draft.id}`)).status).toBe(404);
    expect((await wang.request('GET', `/api/items/${draft.id}/history`)).status).toBe(404);
    expect((await xu.request('GET', `/api/items/${draft.id}`)).status).toBe(404);
    expect((await zhao.request('GET', `/api/items/${draft.id}`)).status).toBe(200);
    expect((await li.request('GET', `/api/items/${draft.id}/history`)).status).toBe(200);
    const listed = (await (await wang.request('GET', '/api/items?pageSize=200')).json()) as { items: Array<{ id: string; status: string; orgId: string }> };
    expect(listed.items.some((i) => i.id === draft.id)).toBe(false);
    expect(listed.items.every((i) => i.status === 'published' || i.status === 'retracted' || i.orgId === 'funing' || i.orgId.length > 0)).toBe(true);
    const id = await publish('公开的通知');
    expect((await wang.request('GET', `/api/items/${id}`)).status).toBe(200);
  });

  test('another org cannot read or cancel a render job', async () => {
    const job = env.deps.jobs.enqueue({ kind: 'render', target: (await (await chen.request('POST', '/api/items', { kind: 'notice', title: '带任务的稿件', body: doc('x') })).json()).id, run: () => new Promise(() => undefined) } as never) as { id: string };
    expect((await wang.request('GET', `/api/jobs/${job.id}`)).status).toBe(404);
    expect((await wang.request('DELETE', `/api/jobs/${job.id}`)).status).toBe(404);
    expect((await xu.request('DELETE', `/api/jobs/${job.id}`)).status).toBe(404);
    expect((await chen.request('GET', `/api/jobs/${job.id}`)).status).toBe(200);
    expect((await chen.request('DELETE', `/api/jobs/${job.id}`)).status).toBe(202);
  });
});

describe('concurrent group acceptance', () => {
  test('two editors accepting the same concerns at once: one 201, one 409, each concern in one group', async () => {
    const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ text: `串场河第${i + 1}段河水发黑发臭，附近居民反映强烈 ${i}`, platform: 'hotline', category: '环境', district: '亭湖区', capturedAt: '2026-11-24T10:00:00+08:00' }));
    const imported = await chen.request('POST', '/api/concerns/import?format=jsonl', lines.join('\n'), { 'content-type': 'application/x-ndjson' });
    expect(imported.status).toBe(200);
    const list = (await (await chen.request('GET', `/api/concerns?week=${WEEK}&pageSize=500`)).json()) as { concerns?: Array<{ id: string; text: string; groupId?: string }>; items?: Array<{ id: string; text: string; groupId?: string }> };
    const concerns = (list.concerns ?? list.items ?? []).filter((c) => c.text.startsWith('串场河第') && !c.groupId);
    expect(concerns.length).toBe(6);
    const ids = concerns.map((c) => c.id);
    for (let trial = 0; trial < 1; trial++) {
      const body = (title: string) => ({ week: WEEK, groups: [{ title, concernIds: [...ids].reverse() }] });
      const [a, b] = await Promise.all([chen.request('POST', '/api/groups', body('河水发臭 A')), chen.request('POST', '/api/groups', body('河水发臭 B'))]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const { groups } = (await (await chen.request('GET', `/api/groups?week=${WEEK}`)).json()) as { groups: Group[] };
      const holding = groups.filter((g) => g.concernIds.some((c) => ids.includes(c)));
      expect(holding).toHaveLength(1);
    }
  });
});
