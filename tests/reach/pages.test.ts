import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Item } from '../../server/content/schema.ts';
import type { Summary } from '../../server/reach/schema.ts';
import { createTestEnv, formBody, loginAs, type Client, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let editor: Client;
let published: Item[];

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
  published = await env.deps.store.collection<Item>('items').list((i) => i.status === 'published');
});
afterAll(() => env.close());

const page = async (path: string, client: Client = editor) => {
  const res = await env.app.request(path, { headers: { cookie: client.cookie } });
  return { status: res.status, html: await res.text(), res };
};
const post = (path: string, body: BodyInit, client: Client = editor, type?: string) =>
  env.app.request(path, { method: 'POST', headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, ...(type ? { 'content-type': type } : {}) }, body });
// the flash cookie holds URI-encoded JSON, encoded once more by the cookie writer
const flash = (res: Response) => decodeURIComponent(decodeURIComponent(/lx_flash=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? ''));

describe('the reach dashboard page', () => {
  test('shows the demo figures, charts as inline SVG and a CSV link for every table', async () => {
    const { status, html } = await page('/workbench/reach');
    expect(status).toBe(200);
    expect(html).toContain('传播看板');
    expect((html.match(/<figure class="chart"[^>]*data-chart/g) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(html).toMatch(/<svg[^>]*viewBox/);
    for (const table of ['items', 'channels', 'orgs', 'columns', 'days']) expect(html).toContain(`data-csv="${table}"`);
    expect(html).toContain('网民关切回应率');
  });

  test('CSV exports carry a BOM and the same totals as the summary API', async () => {
    const res = await env.app.request('/workbench/reach/export.csv?table=channels&from=2026-01-01&to=2026-12-31', { headers: { cookie: editor.cookie } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = new TextDecoder().decode(bytes).trim().split('\r\n').slice(1).map((l) => l.split(','));
    const s = (await (await editor.request('GET', '/api/reach/summary?org=tinghu&from=2026-01-01&to=2026-12-31')).json()) as Summary;
    expect(rows.reduce((sum, r) => sum + Number(r[1]), 0)).toBe(s.views);
    expect((await page('/workbench/reach/export.csv?table=secrets')).status).toBe(400);
    expect((await page('/workbench/reach?from=2026-13-01')).status).toBe(400);
  });

  test('an XLSX upload through the form imports and reports in the flash; a hand match works from the page', async () => {
    const form = new FormData();
    form.append('_csrf', editor.csrf);
    form.append('platform', 'wechat');
    form.append('file', new File([readFileSync(join(import.meta.dirname, 'fixtures', 'wechat.xlsx'))], 'wechat.xlsx'));
    const res = await post('/workbench/reach/import', form);
    expect(res.status).toBe(303);
    expect(flash(res)).toContain('匹配 2 行');
    const { html } = await page('/workbench/reach');
    expect(html).toContain('青年志愿者冬季送温暖活动报名开始啦');
    const id = /\/workbench\/reach\/unmatched\/([0-9a-f]+)\/match/.exec(html)![1]!;
    const matched = await post(`/workbench/reach/unmatched/${id}/match`, formBody({ _csrf: editor.csrf, itemId: published[0]!.id }), editor, 'application/x-www-form-urlencoded');
    expect(flash(matched)).toContain('已匹配');
    expect((await page('/workbench/reach')).html).not.toContain('青年志愿者冬季送温暖活动报名开始啦');
  });

  test('manual entry from the form, with a bad number sent back naming the field', async () => {
    const ok = await post('/workbench/reach/manual', formBody({ _csrf: editor.csrf, itemId: published[0]!.id, day: '2025-03-01', channel: 'weibo', views: '880', reposts: '12' }), editor, 'application/x-www-form-urlencoded');
    expect(flash(ok)).toContain('已保存');
    const s = (await (await editor.request('GET', `/api/reach/summary?itemId=${published[0]!.id}&from=2025-03-01&to=2025-03-01`)).json()) as Summary;
    expect(s.views).toBe(880);
    const bad = await post('/workbench/reach/manual', formBody({ _csrf: editor.csrf, itemId: published[0]!.id, day: '2025-03-01', channel: 'weibo', views: '-5' }), editor, 'application/x-www-form-urlencoded');
    expect(flash(bad)).toMatch(/^\{"kind":"error","text":"views: /);
  });

  test('a published item page shows the reach panel; a draft does not', async () => {
    expect((await page(`/workbench/items/${published[0]!.id}/edit`)).html).toContain('data-reach-panel');
    const draft = (await env.deps.store.collection<Item>('items').list((i) => i.status === 'draft'))[0]!;
    expect((await page(`/workbench/items/${draft.id}/edit`)).html).not.toContain('data-reach-panel');
    const link = await post('/workbench/reach/links', formBody({ _csrf: editor.csrf, itemId: published[0]!.id, channel: 'weibo' }), editor, 'application/x-www-form-urlencoded');
    expect(flash(link)).toMatch(/\/r\/[A-Za-z0-9]+/);
    const code = /\/r\/([A-Za-z0-9]+)/.exec(flash(link))![1]!;
    const qr = await page(`/workbench/reach/links/${code}/qr.svg`);
    expect(qr.res.headers.get('content-type')).toBe('image/svg+xml');
    expect(qr.html).toContain('<svg');
  });
});

describe('the evaluation page', () => {
  test('shows the rankings; only admins see the weights and commend buttons', async () => {
    const city = await loginAs(env.app, 'li.reviewer');
    const { status, html } = await page('/workbench/evaluation', city);
    expect(status).toBe(200);
    expect(html).toContain('data-org-ranking');
    expect(html).toContain('亭湖区');
    expect(html).not.toContain('评分权重');
    const admin = await loginAs(env.app, 'admin');
    const adminPage = await page('/workbench/evaluation', admin);
    expect(adminPage.html).toContain('评分权重');
    expect(adminPage.html).toContain('>表彰</button>');
    expect((await page('/workbench/evaluation?period=2026-99', city)).status).toBe(400);
  });

  test('a member logs a comment from the form; a bad link is refused with the field named', async () => {
    const xu = await loginAs(env.app, 'xu.reporter');
    const ok = await post('/workbench/evaluation/comments', formBody({ _csrf: xu.csrf, url: 'https://weibo.com/7788/QxYz1', platform: 'weibo', note: '回应#校车安全#' }), xu, 'application/x-www-form-urlencoded');
    expect(flash(ok)).toContain('已登记');
    const bad = await post('/workbench/evaluation/comments', formBody({ _csrf: xu.csrf, url: 'javascript:alert(1)' }), xu, 'application/x-www-form-urlencoded');
    expect(flash(bad)).toMatch(/"text":"url: /);
  });
});
