import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Concern, ImportResult } from '../../server/concerns/schema.ts';
import { DEMO_PASSWORD } from '../../scripts/seed/demo.ts';
import { createUser } from '../../server/users/service.ts';
import { setupApp, type Client } from './setup.ts';

const CSV = [
  'text,platform,url,category,district,capturedAt,author',
  '盐渎路片区自来水发黄，不敢喝,weibo,https://weibo.example/1,城建,亭湖区,2026-11-24T09:00:00+08:00,水友',
  '开放大道路灯坏了一个多月,微信,,城建,亭湖区,2026-11-24T10:00:00+08:00,',
  ',weibo,,城建,亭湖区,2026-11-24T10:00:00+08:00,',
  '市一院儿科号太难挂,tiktok,,医疗,亭湖区,2026-11-24T11:00:00+08:00,',
  '市三院挂号排队太长,weibo,ftp://x,医疗,亭湖区,2026-11-24T11:00:00+08:00,',
  '小区停车难,weibo,,停车,亭湖区,2026-11-24T11:00:00+08:00,',
  '菜场门口占道经营,weibo,,城建,火星区,2026-11-24T11:00:00+08:00,',
  '公交太少,weibo,,交通,亭湖区,24/11/2026,',
  '转：盐渎路片区自来水发黄，不敢喝！！,wechat,,城建,亭湖区,2026-11-25T09:00:00+08:00,',
].join('\n');

describe('concerns API', () => {
  let ctx: Awaited<ReturnType<typeof setupApp>>;
  let reporter: Client;
  let editor: Client;
  beforeAll(async () => {
    ctx = await setupApp();
    reporter = await ctx.as('xu.reporter');
    editor = await ctx.as('chen.editor');
  });
  afterAll(() => ctx.close());

  test('imports a CSV with bad rows: good rows kept, each bad row listed with its line and field', async () => {
    const res = await reporter('/api/concerns/import', { body: CSV, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    const result = (await res.json()) as ImportResult;
    expect(result.imported).toBe(3);
    expect(result.skipped).toBe(0);
    expect(result.duplicates).toBe(1);
    expect(result.errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [4, 'text'],
      [5, 'platform'],
      [6, 'url'],
      [7, 'category'],
      [8, 'district'],
      [9, 'capturedAt'],
    ]);
  });

  test('re-importing the same file adds nothing', async () => {
    const form = new FormData();
    form.set('file', new File([CSV], 'concerns.csv', { type: 'text/csv' }));
    const res = await reporter('/api/concerns/import', { body: form });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 0, skipped: 3 });
  });

  test('links the same-week repost to the original and shows it in the list', async () => {
    const res = await reporter('/api/concerns?week=2026-W48&category=城建');
    const { concerns } = (await res.json()) as { concerns: Concern[] };
    const original = concerns.find((c) => c.text === '盐渎路片区自来水发黄，不敢喝')!;
    const repost = concerns.find((c) => c.text.startsWith('转：盐渎路'))!;
    expect(repost.duplicateOf).toBe(original.id);
    expect(original.district).toBe('亭湖区');
    expect(original.orgId).toBe('tinghu-wuxing');
  });

  test('the quick form logs one concern and refuses a URL already logged (409)', async () => {
    const input = { text: '希望大道红绿灯一直闪黄灯', platform: 'hotline', category: '交通', capturedAt: '2026-11-25T08:00:00+08:00' };
    const res = await reporter('/api/concerns', { json: input });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'received', week: '2026-W48', source: { platform: 'hotline' } });
    const again = await reporter('/api/concerns', { json: { ...input, platform: 'weibo', url: 'https://weibo.example/1' } });
    expect(again.status).toBe(409);
  });

  test('bad input gets 400 naming the field and changes nothing', async () => {
    const before = ((await (await reporter('/api/concerns')).json()) as { total: number }).total;
    const cases: [string, Parameters<Client>[1], string][] = [
      ['/api/concerns', { json: { text: '', platform: 'weibo' } }, 'text'],
      ['/api/concerns', { json: { text: '路灯不亮', platform: 'tiktok' } }, 'platform'],
      ['/api/concerns', { json: { text: '路灯不亮', platform: 'weibo', category: '天气' } }, 'category'],
      ['/api/concerns', { json: { text: '路灯不亮', platform: 'weibo', capturedAt: 'yesterday' } }, 'capturedAt'],
      ['/api/concerns/import', { body: '', headers: { 'content-type': 'text/csv' } }, 'file'],
      ['/api/concerns?week=2026-48', undefined, 'query.week'],
    ];
    for (const [path, init, field] of cases) {
      const res = await reporter(path, init);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message.startsWith(`${field}:`), body.error.message).toBe(true);
    }
    expect(((await (await reporter('/api/concerns')).json()) as { total: number }).total).toBe(before);
  });

  test('moves through 答—办—复 with timestamps, needs who/what/when to handle and a reason to go back', async () => {
    const { concerns } = (await (await editor('/api/concerns?week=2026-W48&category=城建')).json()) as { concerns: Concern[] };
    const id = concerns.find((c) => c.text.startsWith('开放大道路灯'))!.id;
    const go = (json: unknown) => editor(`/api/concerns/${id}/transitions`, { json });
    expect((await go({ to: 'handled' })).status).toBe(400);
    expect((await go({ to: 'answered', comment: '已在原帖回复：路灯所已派人' })).status).toBe(200);
    const handled = await go({ to: 'handled', action: { who: '市路灯管理所', what: '更换 12 盏路灯', when: '2026-11-26T10:00:00+08:00' } });
    expect(await handled.json()).toMatchObject({ status: 'handled', handling: { who: '市路灯管理所' } });
    const back = await go({ to: 'received' });
    expect(back.status).toBe(400);
    expect(((await back.json()) as { error: { message: string } }).error.message).toMatch(/^comment:/);
    const replied = (await (await go({ to: 'replied', comment: '已告知网友路灯修好了' })).json()) as Concern;
    expect(replied.history.map((h) => h.to)).toEqual(['received', 'answered', 'handled', 'replied']);
    expect(Object.keys(replied.steps).sort()).toEqual(['answeredAt', 'handledAt', 'receivedAt', 'repliedAt']);
  });

  test('reporters cannot change status; an org outside the user scope is 403', async () => {
    const { concerns } = (await (await editor('/api/concerns?week=2026-W48')).json()) as { concerns: Concern[] };
    expect((await reporter(`/api/concerns/${concerns[0]!.id}/transitions`, { json: { to: 'closed', comment: '重复' } })).status).toBe(403);
    expect((await reporter('/api/concerns?org=funing')).status).toBe(403);
  });

  test('forget removes the author handle and keeps the text', async () => {
    const { concerns } = (await (await editor('/api/concerns?week=2026-W48')).json()) as { concerns: Concern[] };
    const withAuthor = concerns.find((c) => c.source.author === '水友')!;
    const res = await editor(`/api/concerns/${withAuthor.id}/forget`, { method: 'POST' });
    expect(res.status).toBe(200);
    const after = (await res.json()) as Concern;
    expect(after.source.author).toBeUndefined();
    expect(after.text).toBe(withAuthor.text);
    const audit = JSON.stringify(await ctx.deps.store.audit.list({ targetId: withAuthor.id }));
    expect(audit).not.toContain('水友');
  });

  test('admins edit categories; others get 403; a list without 其他 is refused', async () => {
    await createUser({ deps: ctx.deps, actor: 'system', input: { username: 'root.admin', displayName: '管理员', orgId: 'yc', roles: ['admin'], password: DEMO_PASSWORD } });
    const admin = await ctx.as('root.admin');
    expect((await editor('/api/concerns/settings', { method: 'PUT', json: { categories: ['教育', '其他'] } })).status).toBe(403);
    const bad = await admin('/api/concerns/settings', { method: 'PUT', json: { categories: ['教育'] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^categories:/);
    expect((await admin('/api/concerns/settings', { method: 'PUT', json: { categories: ['教育', '文旅', '其他'] } })).status).toBe(200);
    expect((await reporter('/api/concerns', { json: { text: '大洋湾景区门票太贵', platform: 'weibo', category: '文旅' } })).status).toBe(201);
  });
});
