import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
});
afterAll(() => env.close());

describe('the review flow through the API', () => {
  test('editor creates, submits, cannot approve (403); reviewer approves; publish; history and audit show every step', async () => {
    const editor = await loginAs(env.app, 'chen.editor');
    const reviewer = await loginAs(env.app, 'zhao.reviewer');
    const admin = await loginAs(env.app, 'admin');

    const created = await editor.request('POST', '/api/items', { kind: 'notice', title: '关于暴雨天气停课的通知', summary: '明日停课', body: doc('因暴雨，全区中小学明日停课一天。'), tags: ['灾害'] });
    expect(created.status).toBe(201);
    const item = await created.json();
    expect(item).toMatchObject({ status: 'draft', version: 1, slug: 'guan-yu-bao-yu-tian-qi-ting-ke-de-tong-zhi', orgId: 'tinghu' });

    const submitted = await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' });
    expect(submitted.status).toBe(200);

    const selfApprove = await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' });
    expect(selfApprove.status).toBe(403);
    expect((await selfApprove.json()).error.message).toMatch(/审核/);
    expect((await (await editor.request('GET', `/api/items/${item.id}`)).json()).item.status).toBe('in-review');

    const approved = await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved', comment: '同意' });
    expect(approved.status).toBe(200);
    const published = await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'published' });
    expect(published.status).toBe(200);
    const final = await published.json();
    expect(final).toMatchObject({ status: 'published' });
    expect(final.publishedAt).toBeTruthy();

    const snapshotFile = join(env.dir, 'published', 'items', `${item.id}.json`);
    expect(existsSync(snapshotFile)).toBe(true);
    const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8'));
    expect(snapshot).toMatchObject({ url: `/notices/${item.slug}/`, orgName: '亭湖区' });
    expect(snapshot.bodyHtml).toContain('<p>因暴雨，全区中小学明日停课一天。</p>');

    const history = await (await editor.request('GET', `/api/items/${item.id}/history`)).json();
    expect(history.transitions.map((t: { to: string }) => t.to)).toEqual(['draft', 'in-review', 'approved', 'published']);
    expect(history.revisions.length).toBe(4);

    const audit = await (await admin.request('GET', `/api/audit?target=${item.id}`)).json();
    expect(audit.entries.map((e: { action: string; data?: { to?: string } }) => `${e.action}${e.data?.to ? `:${e.data.to}` : ''}`).reverse()).toEqual([
      'item.create',
      'item.transition:in-review',
      'item.transition:approved',
      'item.transition:published',
    ]);
    expect(audit.entries[0]).toMatchObject({ actor: reviewer.userId, beforeVersion: 3, afterVersion: 4 });
  });

  test('nobody approves what they last edited, even a reviewer who is also an editor', async () => {
    const li = await loginAs(env.app, 'li.reviewer'); // reviewer + editor at the city org
    const sun = await loginAs(env.app, 'sun.reviewer');
    const item = await (await li.request('POST', '/api/items', { kind: 'notice', title: '市级通知', body: doc('正文') })).json();
    await li.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' });
    const own = await li.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' });
    expect(own.status).toBe(403);
    expect((await own.json()).error.message).toContain('四眼原则');
    expect((await sun.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' })).status).toBe(200);
  });

  test('a published item is corrected only with a public note; retracting needs one too', async () => {
    const editor = await loginAs(env.app, 'chen.editor');
    const reviewer = await loginAs(env.app, 'zhao.reviewer');
    const item = await (await editor.request('POST', '/api/items', { kind: 'notice', title: '更正测试', body: doc('原文') })).json();
    for (const [who, to] of [[editor, 'in-review'], [reviewer, 'approved'], [reviewer, 'published']] as const) {
      expect((await who.request('POST', `/api/items/${item.id}/transitions`, { to })).status).toBe(200);
    }
    const current = (await (await editor.request('GET', `/api/items/${item.id}`)).json()).item;
    const noNote = await editor.request('PATCH', `/api/items/${item.id}`, { version: current.version, body: doc('改后') });
    expect(noNote.status).toBe(400);
    expect((await noNote.json()).error.issues[0].path).toBe('correction');
    const corrected = await editor.request('PATCH', `/api/items/${item.id}`, { version: current.version, body: doc('改后'), correction: '数字有误，已更正' });
    expect(corrected.status).toBe(200);
    expect((await corrected.json()).corrections).toHaveLength(1);

    const retractNoNote = await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'retracted' });
    expect(retractNoNote.status).toBe(400);
    expect((await retractNoNote.json()).error.message).toMatch(/^comment: /);
    const retracted = await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'retracted', comment: '信息已过时' });
    expect(await retracted.json()).toMatchObject({ status: 'retracted', retraction: { note: '信息已过时' } });
    const snapshot = JSON.parse(readFileSync(join(env.dir, 'published', 'items', `${item.id}.json`), 'utf8'));
    expect(snapshot).toMatchObject({ status: 'retracted', bodyHtml: '' });
  });

  test('list rows are summaries (no body, no history, no channel texts); GET /api/items/:id has the full record', async () => {
    const editor = await loginAs(env.app, 'chen.editor');
    const item = await (await editor.request('POST', '/api/items', { kind: 'notice', title: '列表摘要', summary: '摘要', body: doc('正文第一段'), tags: ['摘要'], variants: { weibo: { text: '微博文字' } } })).json();
    const list = await (await editor.request('GET', '/api/items?tag=摘要')).json();
    const row = list.items.find((i: { id: string }) => i.id === item.id);
    expect(row).toMatchObject({ id: item.id, kind: 'notice', title: '列表摘要', summary: '摘要', tags: ['摘要'], status: 'draft', orgId: 'tinghu', version: 1, excerpt: expect.stringMatching(/^正文第一段/) });
    expect(row).not.toHaveProperty('body');
    expect(row).not.toHaveProperty('history');
    expect(row).not.toHaveProperty('variants');
    const full = (await (await editor.request('GET', `/api/items/${item.id}`)).json()).item;
    expect(full.history).toHaveLength(1);
    expect(full.body).toBeDefined();
    expect(full.variants.weibo.text).toBe('微博文字');
  });

  test('an edit with a stale version gets 409 and changes nothing', async () => {
    const editor = await loginAs(env.app, 'chen.editor');
    const item = await (await editor.request('POST', '/api/items', { kind: 'notice', title: '并发编辑', body: doc('v1') })).json();
    expect((await editor.request('PATCH', `/api/items/${item.id}`, { version: 1, title: '第一次保存' })).status).toBe(200);
    const stale = await editor.request('PATCH', `/api/items/${item.id}`, { version: 1, title: '过期的保存' });
    expect(stale.status).toBe(409);
    const body = await stale.json();
    expect(body.error).toMatchObject({ code: 'conflict', data: { currentVersion: 2 } });
    expect((await (await editor.request('GET', `/api/items/${item.id}`)).json()).item).toMatchObject({ title: '第一次保存', version: 2 });
    const staleTransition = await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review', version: 1 });
    expect(staleTransition.status).toBe(409);
  });

  test('states that do not allow a step answer 409', async () => {
    const editor = await loginAs(env.app, 'chen.editor');
    const reviewer = await loginAs(env.app, 'zhao.reviewer');
    const item = await (await editor.request('POST', '/api/items', { kind: 'notice', title: '跳步', body: doc('x') })).json();
    const skip = await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'published' });
    expect(skip.status).toBe(409);
    await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' });
    const editInReview = await editor.request('PATCH', `/api/items/${item.id}`, { version: 2, title: '审核中修改' });
    expect(editInReview.status).toBe(409);
    const sendBackNoComment = await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'changes-requested' });
    expect(sendBackNoComment.status).toBe(400);
    expect((await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'changes-requested', comment: '补充联系电话' })).status).toBe(200);
    expect((await editor.request('PATCH', `/api/items/${item.id}`, { version: 3, title: '已补充' })).status).toBe(200);
  });

  test('rumor guides carry claims with verdicts and sources', async () => {
    const editor = await loginAs(env.app, 'chen.editor');
    const res = await editor.request('POST', '/api/items', {
      kind: 'rumor-guide',
      title: '“自来水有毒”？',
      body: doc('核实情况'),
      claims: [{ claim: '自来水有毒', verdict: 'false', evidence: '水务公司检测合格', sources: [{ name: '水务集团', url: 'https://example.cn/report' }] }],
      tips: ['看来源'],
    });
    expect(res.status).toBe(201);
    const badVerdict = await editor.request('POST', '/api/items', { kind: 'rumor-guide', title: 't', body: doc('x'), claims: [{ claim: 'c', verdict: 'maybe', evidence: 'e' }] });
    expect(badVerdict.status).toBe(400);
    expect((await badVerdict.json()).error.issues[0].path).toBe('claims.0.verdict');
  });

  test('slugs are readable pinyin and collisions get a suffix', async () => {
    const editor = await loginAs(env.app, 'chen.editor');
    const a = await (await editor.request('POST', '/api/items', { kind: 'notice', title: '校车安全', body: doc('a') })).json();
    const b = await (await editor.request('POST', '/api/items', { kind: 'notice', title: '校车安全', body: doc('b') })).json();
    expect(a.slug).toBe('xiao-che-an-quan');
    expect(b.slug).toBe('xiao-che-an-quan-2');
  });
});
