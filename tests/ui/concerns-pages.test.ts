import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import JSZip from 'jszip';
import { createTestEnv, loginAs, type TestEnv, formBody as form } from '../helpers.ts';
import { itemsOf } from '../../server/content/service.ts';
import { concernsOf } from '../../server/concerns/service.ts';
import { isoWeekOf } from '../../server/concerns/week.ts';
import { groupsOf } from '../../server/groups/service.ts';

let env: TestEnv;
let week: string;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  week = isoWeekOf(env.deps.clock());
});
afterAll(async () => {
  await env?.close();
});

const get = async (path: string, cookie: string) => {
  const res = await env.app.request(path, { headers: { cookie } });
  return { status: res.status, html: await res.text() };
};
const post = (path: string, cookie: string, body: URLSearchParams | FormData) => env.app.request(path, { method: 'POST', headers: { cookie }, body });
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
/** The action URL and the named inputs of the first form whose action starts with `action` in `html`. */
const formFields = (html: string, action: string): { url: string; fields: URLSearchParams } => {
  const start = html.indexOf(`action="${action}`);
  expect(start).toBeGreaterThan(-1);
  const url = unescape(/action="([^"]+)"/.exec(html.slice(start))![1]!);
  const chunk = html.slice(start, html.indexOf('</form>', start));
  const fields = new URLSearchParams();
  for (const m of chunk.matchAll(/<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"/g)) fields.append(m[1]!, unescape(m[2]!));
  return { url, fields };
};

describe('concern intake in the workbench', () => {
  test('a reporter logs a concern with the quick form and sees it in this week’s list', async () => {
    const xu = await loginAs(env.app, 'xu.reporter');
    const page = await get('/workbench/concerns', xu.cookie);
    expect(page.status).toBe(200);
    for (const field of ['name="text"', 'name="platform"', 'name="url"', 'name="category"', 'name="district"', 'name="author"']) expect(page.html).toContain(field);
    expect(page.html).toContain('>西祠胡同</option>');
    expect(page.html).toContain('>网民关切</a>');
    const text = '五星街道菜场门口污水横流，气味很大，希望环卫部门管一管';
    const res = await post('/workbench/concerns', xu.cookie, form({ _csrf: xu.csrf, text, platform: 'forum-xici', url: 'https://example.org/xici/thread/1', category: '环境', district: '亭湖区', author: '老盐城' }));
    expect(res.status).toBe(303);
    const stored = (await concernsOf(env.deps).list((c) => c.text === text))[0]!;
    expect(stored).toMatchObject({ category: '环境', district: '亭湖区', status: 'received', source: { platform: 'forum-xici', author: '老盐城' } });
    const list = await get(res.headers.get('location')!, xu.cookie);
    expect(list.html).toContain(`href="/workbench/concerns/${stored.id}"`);
    expect(list.html).toContain('>西祠胡同</td>');
  });

  test('an empty text or an unknown platform re-renders the form naming the field and stores nothing', async () => {
    const xu = await loginAs(env.app, 'xu.reporter');
    const before = (await concernsOf(env.deps).list()).length;
    const empty = await post('/workbench/concerns', xu.cookie, form({ _csrf: xu.csrf, text: '  ', platform: 'weibo', category: '其他' }));
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain('text: 内容不能为空');
    expect(emptyHtml).toMatch(/<textarea[^>]*name="text"[^>]*aria-invalid="true"/);
    const unknown = await post('/workbench/concerns', xu.cookie, form({ _csrf: xu.csrf, text: '抖音上有人说学校要停课', platform: 'tiktok', category: '教育' }));
    expect(unknown.status).toBe(400);
    const unknownHtml = await unknown.text();
    expect(unknownHtml).toContain('platform: 未知平台 “tiktok”');
    // what was typed stays in the form
    expect(unknownHtml).toContain('抖音上有人说学校要停课</textarea>');
    expect((await concernsOf(env.deps).list()).length).toBe(before);
  });

  test('an editor moves a concern along with who-what-when, needs a reason to go back, and forgets the author', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const cn = (await concernsOf(env.deps).list((c) => c.source.author === '老盐城'))[0]!;
    const detail = await get(`/workbench/concerns/${cn.id}`, chen.cookie);
    expect(detail.html).toContain('删除作者信息');
    expect(detail.html).toContain('老盐城');
    const handled = await post(`/workbench/concerns/${cn.id}/transition`, chen.cookie, form({ _csrf: chen.csrf, to: 'handled', who: '亭湖区城管局', what: '清理菜场门口排水沟', when: '2026-11-30T10:00' }));
    expect(handled.status).toBe(303);
    expect((await concernsOf(env.deps).get(cn.id))!).toMatchObject({ status: 'handled', handling: { who: '亭湖区城管局', what: '清理菜场门口排水沟' } });
    await post(`/workbench/concerns/${cn.id}/transition`, chen.cookie, form({ _csrf: chen.csrf, to: 'received' }));
    expect((await concernsOf(env.deps).get(cn.id))!.status).toBe('handled');
    await post(`/workbench/concerns/${cn.id}/forget`, chen.cookie, form({ _csrf: chen.csrf }));
    const after = (await concernsOf(env.deps).get(cn.id))!;
    expect(after.source.author).toBeUndefined();
    expect(after.text).toBe(cn.text);
    const history = await get(`/workbench/concerns/${cn.id}`, chen.cookie);
    expect(history.html).not.toContain('老盐城');
    expect(history.html).toContain('已收集 → 已办理');
  });
});

describe('concern import in the workbench', () => {
  test('uploading a CSV keeps the good rows and lists the bad ones with their line numbers', async () => {
    const xu = await loginAs(env.app, 'xu.reporter');
    const csv = ['text,platform,url,category,district', '伍佑街道路灯坏了一个月没人修,weibo,,城建,亭湖区', ',wechat,,教育,亭湖区', '公交 18 路改线后老人出行不便,tiktok,,交通,亭湖区', '盐城中学门口早高峰拥堵,wechat,not-a-url,交通,亭湖区', '南洋镇垃圾清运不及时,hotline,,环境,亭湖区'].join('\n');
    const body = new FormData();
    body.append('_csrf', xu.csrf);
    body.append('file', new File([csv], 'week.csv', { type: 'text/csv' }));
    // The upload is a preview: it lists the bad rows and adds nothing until confirmed.
    const res = await post('/workbench/concerns/import', xu.cookie, body);
    expect(res.status).toBe(303);
    const href = res.headers.get('location')!;
    expect(href).toMatch(/^\/workbench\/concerns\/imports\/imp_/);
    const preview = await (await env.app.request(href, { headers: { cookie: xu.cookie } })).text();
    expect(preview).toMatch(/将导入 <strong data-imported="true">2<\/strong> 条/);
    expect(preview).toContain('<td>text: 内容不能为空</td><td>第 3 行</td>');
    expect(preview).toMatch(/<td>platform: 未知平台 “tiktok”[^<]*<\/td><td>第 4 行<\/td>/);
    expect(preview).toMatch(/<td>url: [^<]*<\/td><td>第 5 行<\/td>/);
    const commit = new URLSearchParams({ _csrf: xu.csrf });
    expect((await post(`${href}/commit`, xu.cookie, commit)).status).toBe(303);
    const html = await (await env.app.request(href, { headers: { cookie: xu.cookie } })).text();
    expect(html).toMatch(/导入 <strong data-imported="true">2<\/strong> 条/);
    // the same file again would add nothing
    const again = await post('/workbench/concerns/import', xu.cookie, body);
    const second = await (await env.app.request(again.headers.get('location')!, { headers: { cookie: xu.cookie } })).text();
    expect(second).toMatch(/将导入 <strong data-imported="true">0<\/strong> 条，跳过（已登记过）<strong data-skipped="true">2<\/strong> 条/);
  });
});

describe('weekly grouping in the workbench', () => {
  test('an editor accepts a suggested group under a new name', async () => {
    const li = await loginAs(env.app, 'li.reviewer');
    const page = await get(`/workbench/groups?week=${week}`, li.cookie);
    expect(page.html).toContain('data-suggestion');
    const { url, fields } = formFields(page.html, '/workbench/groups/accept');
    const ids = fields.getAll('concernIds');
    expect(ids.length).toBeGreaterThan(1);
    fields.set('title', '改名后的分组');
    const res = await post(url, li.cookie, fields);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/workbench/groups?week=${week}`);
    const group = (await groupsOf(env.deps).list((g) => g.title === '改名后的分组'))[0]!;
    expect(group.concernIds.sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await concernsOf(env.deps).get(id))!.groupId).toBe(group.id);
    const after = await get(res.headers.get('location')!, li.cookie);
    expect(after.html).toContain(`data-group="${group.id}"`);
    // an emptied title is refused, naming the field, and leads back to the same week
    const next = formFields(after.html, '/workbench/groups/accept');
    next.fields.set('title', ' ');
    const bad = await post(next.url, li.cookie, next.fields);
    expect(bad.headers.get('location')).toBe(`/workbench/groups?week=${week}`);
    const flashed = await get(bad.headers.get('location')!, `${li.cookie}; ${bad.headers.get('set-cookie')!.split(';')[0]}`);
    expect(flashed.html).toContain('groups.0.title: 分组标题不能为空');
    expect((await groupsOf(env.deps).list()).some((g) => g.concernIds.includes(next.fields.get('concernIds')!))).toBe(false);
  });

  test('起草微公告 from a group opens the editor of a new notice linked to the group', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const group = (await groupsOf(env.deps).list((g) => g.title === '校车超载与接送安全'))[0]!;
    const page = await get(`/workbench/groups?week=${week}`, chen.cookie);
    expect(page.html).toContain('起草微公告');
    const res = await post(`/workbench/groups/${group.id}/items`, chen.cookie, form({ _csrf: chen.csrf, kind: 'notice', week }));
    expect(res.status).toBe(303);
    const match = /^\/workbench\/items\/([^/]+)\/edit$/.exec(res.headers.get('location')!);
    expect(match).not.toBeNull();
    const item = (await itemsOf(env.deps).get(match![1]!))!;
    expect(item).toMatchObject({ kind: 'notice', status: 'draft', groupIds: [group.id] });
    expect((await get(res.headers.get('location')!, chen.cookie)).status).toBe(200);
  });
});

describe('weekly report in the workbench', () => {
  test('a district user picks among their own org and the orgs below it', async () => {
    const chen = await loginAs(env.app, 'chen.editor'); // 亭湖区, whose child is 亭湖区五星街道团工委
    const page = await get(`/workbench/reports?week=${week}`, chen.cookie);
    const select = /<select id="f-org" name="org">(.*?)<\/select>/s.exec(page.html)?.[1] ?? '';
    expect([...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['tinghu', 'tinghu-wuxing']);
  });

  test('the report page shows totals and children, and its .docx link answers with a Word document', async () => {
    const li = await loginAs(env.app, 'li.reviewer');
    const page = await get(`/workbench/reports?week=${week}`, li.cookie);
    expect(page.status).toBe(200);
    expect(page.html).toContain('下级组织');
    expect(page.html).toMatch(/回应率（3 日内回应 ÷ 收集）：<strong>[\d.]+%<\/strong>/);
    const links = [...page.html.matchAll(/href="(\/api\/reports\/weekly\?[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(links.map((l) => new URL(l, 'http://x').searchParams.get('format'))).toEqual(['docx', 'html', 'md']);
    const docx = await env.app.request(links[0]!, { headers: { cookie: li.cookie } });
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers.get('content-disposition')).toContain('.docx');
    const zip = await JSZip.loadAsync(await docx.arrayBuffer());
    expect(await zip.file('word/document.xml')!.async('string')).toContain('网情民意周报');
  });

  test('the home page shows this week’s response rate and links waiting concerns to their page', async () => {
    const wang = await loginAs(env.app, 'wang.editor');
    const home = await get('/workbench', wang.cookie);
    expect(home.html).toContain('data-panel="response-rate"');
    expect(home.html).toMatch(new RegExp(`${week} 回应率 [\\d.]+%`));
    expect(home.html).toMatch(/data-panel="concerns-waiting"[\s\S]*?<a href="\/workbench\/concerns\/cn_[0-9a-f]+">/);
    // its 查看全部 lists the waiting concerns of every week, not only this one
    const all = await get('/workbench/concerns?status=received&week=', wang.cookie);
    expect(all.html).toContain('全部周 · 共');
    expect(all.html).not.toContain('>已回应</span>');
  });
});
