import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let editor: Client;
const ids: string[] = [];
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
  for (const title of ['青年故事汇（一）：返乡创业的90后', '青年故事汇（二）：海边的护林员', '青年故事汇（三）：社区里的志愿者']) {
    const res = await editor.request('POST', '/api/items', { kind: 'notice', title, body: doc(title) });
    ids.push((await res.json()).id);
  }
});
afterAll(() => env.close());

describe('POST /api/series', () => {
  test('creates a series with a pinyin slug and puts the listed items in order', async () => {
    const res = await editor.request('POST', '/api/series', { title: '大丰青年故事汇', description: '讲述大丰青年故事的系列', itemIds: [ids[1], ids[0]] });
    expect(res.status).toBe(201);
    const series = await res.json();
    expect(series).toMatchObject({ title: '大丰青年故事汇', slug: 'da-feng-qing-nian-gu-shi-hui', orgId: 'tinghu', version: 1 });
    expect(series.items.map((i: { id: string; seriesOrder: number }) => [i.id, i.seriesOrder])).toEqual([[ids[1], 1], [ids[0], 2]]);
    const item = (await (await editor.request('GET', `/api/items/${ids[1]}`)).json()).item;
    expect(item).toMatchObject({ seriesId: series.id, seriesOrder: 1 });
    // the site reads the public part from the snapshot
    const snap = JSON.parse(readFileSync(join(env.dir, 'published', 'series', `${series.id}.json`), 'utf8'));
    expect(snap).toMatchObject({ title: '大丰青年故事汇', url: '/series/da-feng-qing-nian-gu-shi-hui/', orgName: '亭湖区' });
  });

  test('refuses a missing title, an unknown item and an anonymous caller, changing nothing', async () => {
    const before = (await (await editor.request('GET', '/api/series')).json()).series.length;
    const noTitle = await editor.request('POST', '/api/series', { title: '  ' });
    expect(noTitle.status).toBe(400);
    expect((await noTitle.json()).error.message).toMatch(/^title: /);
    const badItem = await editor.request('POST', '/api/series', { title: '青年故事汇', itemIds: ['it_nope'] });
    expect(badItem.status).toBe(400);
    expect((await badItem.json()).error.message).toMatch(/^itemIds\.0: 稿件 it_nope 不存在/);
    const dup = await editor.request('POST', '/api/series', { title: '青年故事汇', itemIds: [ids[2], ids[2]] });
    expect(dup.status).toBe(400);
    const anon = await env.app.request('/api/series', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x' }) });
    expect(anon.status).toBe(401);
    expect((await (await editor.request('GET', '/api/series')).json()).series.length).toBe(before);
  });

  test('an item already in another series cannot join a second one (409)', async () => {
    const res = await editor.request('POST', '/api/series', { title: '另一个系列', itemIds: [ids[0]] });
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/^itemIds\.0: .*已属于系列「大丰青年故事汇」/);
  });

  test('an editor of another org cannot create a series for this org (403)', async () => {
    const other = await loginAs(env.app, 'wang.editor');
    const res = await other.request('POST', '/api/series', { title: '别的', orgId: 'tinghu' });
    expect(res.status).toBe(403);
  });
});

describe('GET and PATCH /api/series/:id', () => {
  test('reorders, adds and removes members; a stale version is 409 and changes nothing', async () => {
    const list = (await (await editor.request('GET', '/api/series')).json()).series;
    const series = list.find((s: { title: string }) => s.title === '大丰青年故事汇');
    expect(series.itemCount).toBe(2);
    const got = await editor.request('GET', `/api/series/${series.id}`);
    expect(got.status).toBe(200);

    const patched = await editor.request('PATCH', `/api/series/${series.id}`, { version: series.version, itemIds: [ids[0], ids[2]], description: '新的简介' });
    expect(patched.status).toBe(200);
    const after = await patched.json();
    expect(after.version).toBe(series.version + 1);
    expect(after.description).toBe('新的简介');
    expect(after.items.map((i: { id: string }) => i.id)).toEqual([ids[0], ids[2]]);
    const removed = (await (await editor.request('GET', `/api/items/${ids[1]}`)).json()).item;
    expect(removed.seriesId).toBeUndefined();
    expect(removed.seriesOrder).toBeUndefined();

    const stale = await editor.request('PATCH', `/api/series/${series.id}`, { version: series.version, itemIds: [ids[2], ids[0]], title: '改名' });
    expect(stale.status).toBe(409);
    const still = await (await editor.request('GET', `/api/series/${series.id}`)).json();
    expect(still.title).toBe('大丰青年故事汇');
    expect(still.items.map((i: { id: string }) => i.id)).toEqual([ids[0], ids[2]]);
  });

  test('bad input names the field; unknown ids are 404', async () => {
    const series = (await (await editor.request('GET', '/api/series')).json()).series[0];
    const noVersion = await editor.request('PATCH', `/api/series/${series.id}`, { title: '没有版本' });
    expect(noVersion.status).toBe(400);
    expect((await noVersion.json()).error.message).toMatch(/^version: /);
    const badSlug = await editor.request('PATCH', `/api/series/${series.id}`, { version: series.version, slug: '../etc' });
    expect(badSlug.status).toBe(400);
    expect((await badSlug.json()).error.message).toMatch(/^slug: /);
    expect((await editor.request('GET', '/api/series/se_missing')).status).toBe(404);
    expect((await editor.request('PATCH', '/api/series/se_missing', { version: 1 })).status).toBe(404);
    expect(existsSync(join(env.dir, 'published', 'series'))).toBe(true);
  });
});

describe('PATCH /api/items/:id with seriesId and seriesOrder', () => {
  test('joins a series at the end, moves within it, and leaves it with null; bad series ids are 400', async () => {
    const series = (await (await editor.request('GET', '/api/series')).json()).series.find((s: { title: string }) => s.title === '大丰青年故事汇');
    const fresh = await (await editor.request('POST', '/api/items', { kind: 'notice', title: '青年故事汇（四）：新来的村官', body: doc('新来的村官') })).json();
    const joined = await editor.request('PATCH', `/api/items/${fresh.id}`, { version: fresh.version, seriesId: series.id });
    expect(joined.status).toBe(200);
    const j = await joined.json();
    expect(j).toMatchObject({ seriesId: series.id, seriesOrder: 3 });
    const members = (await (await editor.request('GET', `/api/series/${series.id}`)).json()).items.map((i: { id: string }) => i.id);
    expect(members.at(-1)).toBe(fresh.id);

    const unknown = await editor.request('PATCH', `/api/items/${fresh.id}`, { version: j.version, seriesId: 'se_nope' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toMatch(/^seriesId: 系列 se_nope 不存在/);
    const badOrder = await editor.request('PATCH', `/api/items/${fresh.id}`, { version: j.version, seriesOrder: 0 });
    expect(badOrder.status).toBe(400);
    expect((await badOrder.json()).error.message).toMatch(/^seriesOrder: /);

    const left = await (await editor.request('PATCH', `/api/items/${fresh.id}`, { version: j.version, seriesId: null })).json();
    expect(left.seriesId).toBeUndefined();
    expect(left.seriesOrder).toBeUndefined();
  });
});
