import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, formBody, loginAs, type Client, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let editor: Client;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
});
afterAll(() => env.close());

const get = (path: string, from?: Response) => {
  // the flash message travels in a cookie set by the redirect
  const flash = from?.headers.get('set-cookie')?.split(';')[0];
  return env.app.request(path, { headers: { cookie: flash ? `${editor.cookie}; ${flash}` : editor.cookie } });
};
const post = (path: string, fields: Record<string, string | string[]>) => env.app.request(path, { method: 'POST', headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: formBody({ _csrf: editor.csrf, ...fields }) });

describe('series pages', () => {
  test('create a series, add three items and move the last one up with the arrows', async () => {
    const ids: string[] = [];
    for (const t of ['甲篇', '乙篇', '丙篇']) ids.push((await (await editor.request('POST', '/api/items', { kind: 'notice', title: `系列页测试${t}`, body: doc(t) })).json()).id);
    const created = await post('/workbench/series', { title: '系列页测试', description: '用来测试' });
    expect(created.status).toBe(303);
    const at = created.headers.get('location')!;
    expect(at).toMatch(/^\/workbench\/series\/se_/);
    const id = at.split('/').pop()!;
    for (const itemId of ids) {
      const version = String((await (await editor.request('GET', `/api/series/${id}`)).json()).version);
      expect((await post(`${at}/members`, { op: 'add', itemId, version })).status).toBe(303);
    }
    let series = await (await editor.request('GET', `/api/series/${id}`)).json();
    expect(series.items.map((i: { id: string }) => i.id)).toEqual(ids);
    await post(`${at}/members`, { op: 'up', itemId: ids[2]!, version: String(series.version) });
    series = await (await editor.request('GET', `/api/series/${id}`)).json();
    expect(series.items.map((i: { id: string }) => i.id)).toEqual([ids[0], ids[2], ids[1]]);
    // a stale form (old version) changes nothing and says why
    const stale = await post(`${at}/members`, { op: 'down', itemId: ids[0]!, version: String(series.version - 1) });
    expect(stale.status).toBe(303);
    expect((await (await editor.request('GET', `/api/series/${id}`)).json()).items.map((i: { id: string }) => i.id)).toEqual([ids[0], ids[2], ids[1]]);
    const page = await (await get(at)).text();
    expect(page).toContain('上移「系列页测试丙篇」');
    expect(page).toMatch(/版本 \d+/);
    expect(await (await get('/workbench/series')).text()).toContain('系列页测试');
  });

  test('an empty title is refused with the field named', async () => {
    const res = await post('/workbench/series', { title: ' ' });
    expect(res.status).toBe(303);
    const flash = await (await get(res.headers.get('location')!, res)).text();
    expect(flash).toContain('title: 标题不能为空');
  });
});

describe('question bank pages', () => {
  test('an upload lists imported questions and the bad rows with their line numbers', async () => {
    const csv = '题型,题目,选项,答案,解析\n单选,入党誓词中要求党员“随时准备为党和人民牺牲一切”吗？,是|否,A,入党誓词原文。\n单选,坏行,甲|乙,丙,解析\n';
    const form = new FormData();
    form.set('_csrf', editor.csrf);
    form.set('file', new File([new TextEncoder().encode(csv)], '题库.csv', { type: 'text/csv' }));
    const res = await env.app.request('/workbench/quiz-bank/import', { method: 'POST', headers: { cookie: editor.cookie }, body: form });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/导入 <strong data-imported="true">1<\/strong> 题/);
    expect(html).toContain('第 3 行：answer: 单选题的答案必须是选项之一');
    expect(await (await get('/workbench/quiz-bank')).text()).toContain('入党誓词中要求党员');
  });

  test('adding a question through the form stores it; a wrong answer letter is refused', async () => {
    const ok = await post('/workbench/quiz-bank', { type: 'multiple', text: '下列属于党员义务的是？', options: '认真学习\n按规定交纳党费\n享受特权', answer: 'AB', explanation: '党章规定的义务。', sources: '', bankId: '', tags: '党章' });
    expect(ok.status).toBe(303);
    const bank = (await (await editor.request('GET', '/api/quiz-bank?q=党员义务')).json()).questions;
    expect(bank[0]).toMatchObject({ type: 'multiple', answer: ['认真学习', '按规定交纳党费'], tags: ['党章'] });
    const before = (await (await editor.request('GET', '/api/quiz-bank')).json()).total;
    const bad = await post('/workbench/quiz-bank', { type: 'single', text: '错答案', options: '甲\n乙', answer: 'D', explanation: '解析', sources: '', bankId: '', tags: '' });
    const page = await (await get(bad.headers.get('location')!, bad)).text();
    expect(page).toContain('answer: 单选题的答案必须是选项之一');
    expect((await (await editor.request('GET', '/api/quiz-bank')).json()).total).toBe(before);
  });
});
