import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, formBody, loginAs, type Client, type TestEnv } from '../helpers.ts';
import { publishedLive, postUpdate } from './setup.ts';
import { updatesOf } from '../../server/kinds/live/service.ts';

let env: TestEnv;
let editor: Client;
let reviewer: Client;
let live: Awaited<ReturnType<typeof publishedLive>>;

const page = async (who: Client, path: string) => {
  const res = await who.request('GET', path);
  return { status: res.status, html: await res.text() };
};
const form = (who: Client, path: string, fields: Record<string, string>) =>
  env.app.request(path, { method: 'POST', headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: formBody({ _csrf: who.csrf, ...fields }) });

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
  reviewer = await loginAs(env.app, 'zhao.reviewer');
  live = await publishedLive(editor, reviewer, { mode: 'event', place: '亭湖区' }, '工作台直播测试');
});
afterAll(() => env.close());

describe('workbench live pages', () => {
  test('the list shows live items in scope with pending counts; an editor creates a live item from it', async () => {
    const { status, html } = await page(editor, '/workbench/live');
    expect(status).toBe(200);
    expect(html).toContain('工作台直播测试');
    expect(html).toContain('创业在线交流');
    expect(html).not.toContain('6·23 龙卷风'); // 阜宁县's column is outside 亭湖区
    const res = await form(editor, '/workbench/live/new', { title: '暴雨直播', mode: 'event', place: '盐都区', summary: '', intro: '第一段\n第二段', pinned: '热线：12345' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/workbench\/live\/it_/);
    const bad = await form(editor, '/workbench/live/new', { title: '', mode: 'event', intro: 'x' });
    expect(bad.headers.get('location')).toBe('/workbench/live');
  });

  test('the console shows a pending update with its age; the poster sees why they cannot publish; a reviewer publishes in one action', async () => {
    const res = await form(editor, `/workbench/live/${live.id}/updates`, { type: 'help', text: '五星街道急需沙袋\n联系 0515-1234', claim: '', verdict: '', guideUrl: '', questionId: '', answeredBy: '', at: '' });
    expect(res.status).toBe(303);
    const [u] = await updatesOf(env.deps).list((x) => x.itemId === live.id && x.state === 'pending');
    expect(u!.body).toEqual(doc('五星街道急需沙袋', '联系 0515-1234'));

    const own = await page(editor, `/workbench/live/${live.id}`);
    expect(own.html).toContain('待发布更新（1）');
    expect(own.html).toMatch(/等待 <span data-age="\d+">\d+ 秒前<\/span>/);
    expect(own.html).not.toContain(`/updates/${u!.id}/publish`);

    const rev = await page(reviewer, `/workbench/live/${live.id}`);
    expect(rev.html).toContain(`/updates/${u!.id}/publish`);
    const published = await form(reviewer, `/workbench/live/${live.id}/updates/${u!.id}/publish`, { version: String(u!.version) });
    expect(published.status).toBe(303);
    expect((await updatesOf(env.deps).get(u!.id))!.state).toBe('published');
    const latest = await (await env.app.request(`/live/${live.slug}/updates/latest.json`)).json();
    expect(latest.updates[0].id).toBe(u!.id);
  });

  test('a bad form (clarification without verdict or guide) is flashed back and stores nothing', async () => {
    const before = (await updatesOf(env.deps).list((x) => x.itemId === live.id)).length;
    const res = await form(editor, `/workbench/live/${live.id}/updates`, { type: 'clarification', text: '不实', claim: '网传停水三天', verdict: '', guideUrl: '', questionId: '', answeredBy: '', at: '' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/workbench/live/${live.id}`);
    const next = await env.app.request(`/workbench/live/${live.id}`, { headers: { cookie: `${editor.cookie}; ${res.headers.get('set-cookie')!.split(';')[0]}` } });
    expect(await next.text()).toContain('clarification.verdict');
    expect((await updatesOf(env.deps).list((x) => x.itemId === live.id)).length).toBe(before);
  });

  test('the pinned block is edited from the console and reaches the reader index', async () => {
    const item = (await (await editor.request('GET', `/api/items/${live.id}`)).json()).item;
    const res = await form(editor, `/workbench/live/${live.id}/pinned`, { version: String(item.version), text: '安置点：亭湖区体育馆\n热线：12345' });
    expect(res.status).toBe(303);
    const latest = await (await env.app.request(`/live/${live.slug}/updates/latest.json`)).json();
    expect(latest.item.pinnedHtml).toContain('亭湖区体育馆');
  });

  test('a guest opens the workbench, sees only their exchange, and gets the answer form with the accepted questions', async () => {
    const guest = await loginAs(env.app, 'liu.mentor');
    expect((await page(guest, '/workbench')).status).toBe(200);
    const list = await page(guest, '/workbench/live');
    expect(list.status).toBe(200);
    expect(list.html).toContain('创业在线交流');
    expect(list.html).not.toContain('工作台直播测试');
    const qaId = /href="\/workbench\/live\/(it_[0-9a-f]+)"/.exec(list.html)![1]!;
    const console_ = await page(guest, `/workbench/live/${qaId}`);
    expect(console_.html).toContain('回答问题');
    expect(console_.html).toContain('在创业园租场地有没有房租补贴'); // accepted, waiting for its answer
    expect(console_.html).not.toContain('日赚三千'); // rejected
    expect((await page(guest, `/workbench/live/${live.id}`)).status).toBe(403);
  });

  test('another org cannot open the console (403 page)', async () => {
    const wang = await loginAs(env.app, 'wang.editor');
    expect((await page(wang, `/workbench/live/${live.id}`)).status).toBe(403);
    expect((await postUpdate(wang, live.id, { type: 'update', body: doc('x') })).status).toBe(403);
  });
});
