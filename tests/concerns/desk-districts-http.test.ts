import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Concern } from '../../server/concerns/schema.ts';
import type { WeeklyReport } from '../../server/reports/schema.ts';
import { loginAs } from '../helpers.ts';
import { encodeGb18030 } from '../gb18030.ts';
import { setupApp, type Client } from './setup.ts';

// A week the demo leaves empty, so every count below is exact.
const WEEK = '2026-W46';
const concernsIn = async (as: Client, query: string) => ((await (await as(`/api/concerns?${query}`)).json()) as { concerns: Concern[] }).concerns;
const reportOf = async (as: Client, org: string, week = WEEK) => (await (await as(`/api/reports/weekly?org=${org}&week=${week}`)).json()) as WeeklyReport;

// One demo app for the file (seeding it is the slow part); the tests run in order.
let ctx: Awaited<ReturnType<typeof setupApp>>;
let xu: Client; // volunteer of 亭湖区五星街道
let chen: Client; // editor, 亭湖区
let wang: Client; // editor, 阜宁县
let li: Client; // city
beforeAll(async () => {
  ctx = await setupApp();
  xu = await ctx.as('xu.reporter');
  chen = await ctx.as('chen.editor');
  wang = await ctx.as('wang.editor');
  li = await ctx.as('li.reviewer');
}, 600_000);
afterAll(() => ctx?.close());

describe('a concern belongs to the org of its district, not to whoever logged it', () => {
  test('a 亭湖 volunteer imports posts about two districts: each lands on its own district desk and in its own weekly report', async () => {
    const csv = [
      '内容,平台,区县,时间',
      '五星街道幸福里小区门口下水道堵了,抖音,亭湖,2026/11/10 9:00',
      '五星街道菜场路灯不亮,微博,亭湖区,2026/11/10 10:00',
      '陈良镇灾后重建的板房漏雨,快手,阜宁县,2026/11/11 8:00',
      '阜宁汽车站到陈良镇的班车停了,微博,阜宁,2026/11/11 9:00',
      '陈良镇小学的操场还有积水,小红书,阜宁县,2026/11/12 9:00',
    ].join('\r\n');
    const res = await xu('/api/concerns/import', { body: encodeGb18030(csv), headers: { 'content-type': 'text/csv' } });
    expect(await res.json()).toMatchObject({ imported: 5, errors: [] });

    const mine = await concernsIn(xu, `week=${WEEK}&mine=true`);
    expect(mine).toHaveLength(5);
    const owners = Object.fromEntries(mine.map((c) => [c.text.slice(0, 6), c.orgId]));
    // 亭湖区 rows stay with the volunteer's grassroots org (it sits in 亭湖区); 阜宁县 rows go to 阜宁县.
    expect(owners).toEqual({ 五星街道幸福: 'tinghu-wuxing', 五星街道菜场: 'tinghu-wuxing', 陈良镇灾后重: 'funing', 阜宁汽车站到: 'funing', 陈良镇小学的: 'funing' });

    // Each district's desk lists only its own.
    expect((await concernsIn(chen, `week=${WEEK}`)).map((c) => c.district)).toEqual(['亭湖区', '亭湖区']);
    expect((await concernsIn(wang, `week=${WEEK}`)).map((c) => c.district)).toEqual(['阜宁县', '阜宁县', '阜宁县']);
    // The volunteer still follows the ones on another district's desk (我登记的), but does not browse that desk.
    const funingOne = mine.find((c) => c.orgId === 'funing')!;
    expect((await xu(`/api/concerns/${funingOne.id}`)).status).toBe(200);
    expect(await concernsIn(xu, `week=${WEEK}`)).toHaveLength(2);

    // The weekly reports count only their own district; the city counts both.
    expect((await reportOf(chen, 'tinghu')).totals.received).toBe(2);
    expect((await reportOf(wang, 'funing')).totals.received).toBe(3);
    const city = await reportOf(li, 'yc');
    expect(city.totals.received).toBe(5);
    expect(Object.fromEntries(city.children.filter((c) => c.received).map((c) => [c.orgId, c.received]))).toEqual({ tinghu: 2, funing: 3 });
  });

  test('an editor of 阜宁县 logging a 亭湖区 post puts it on 亭湖区\'s desk, where 亭湖区 can group it and 阜宁县 cannot', async () => {
    const created = await wang('/api/concerns', { json: { text: '亭湖区青年路下穿通道积水', platform: 'weibo', district: '亭湖区', capturedAt: '2026-11-12T09:00:00+08:00' } });
    expect(created.status).toBe(201);
    const concern = (await created.json()) as Concern;
    expect(concern.orgId).toBe('tinghu');
    expect((await wang('/api/groups', { json: { week: WEEK, groups: [{ title: '积水', concernIds: [concern.id] }] } })).status).toBe(400);
    expect((await chen('/api/groups', { json: { week: WEEK, groups: [{ title: '积水', concernIds: [concern.id] }] } })).status).toBe(201);
    expect((await reportOf(chen, 'tinghu')).totals.received).toBe(3);
    expect((await reportOf(wang, 'funing')).totals.received).toBe(3);
  });

  test('the demo week: each district report counts its own concerns only', async () => {
    const week = '2026-W48';
    const all = await concernsIn(li, `week=${week}`);
    const tinghu = await reportOf(chen, 'tinghu', week);
    const funing = await reportOf(wang, 'funing', week);
    expect(tinghu.totals.received).toBe(all.filter((c) => c.district === '亭湖区').length);
    expect(funing.totals.received).toBe(all.filter((c) => c.district === '阜宁县').length);
    expect(tinghu.byDistrict.map((d) => d.name)).toEqual(['亭湖区']);
    expect(funing.byDistrict.map((d) => d.name)).toEqual(['阜宁县']);
  });
});

describe('import: preview first, a record that stays, XLSX with Excel dates, templates with Chinese headers', () => {
  async function sheet(rows: unknown[][]): Promise<Uint8Array<ArrayBuffer>> {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('关切');
    ws.addRow(['内容', '平台', '区县', '时间']);
    for (const row of rows) ws.addRow(row);
    ws.getColumn(4).numFmt = 'yyyy/m/d h:mm';
    return new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer);
  }

  test('an XLSX is previewed (first rows, errors by sheet row), nothing is added until committed, and the record stays', async () => {
    const bytes = await sheet([
      // a date cell (exceljs writes the wall-clock time held in UTC): 2026-11-10 09:30 China time
      ['幸福里小区门口的下水道堵了', '抖音', '亭湖', new Date(Date.UTC(2026, 10, 10, 9, 30))],
      ['菜场旁边路灯不亮', '小红书', '亭湖区', 46336.5], // an Excel serial number in a plain cell: 2026-11-10 12:00
      ['青年路积水', '推特', '亭湖区', '2026年11月10日 8:00'], // row 4: unknown platform
      ['公交站台被撞坏了', '12345', '亭湖区', '2026/11/11'],
    ]);
    const before = (await concernsIn(chen, `week=${WEEK}`)).length;
    const res = await xu('/api/concerns/import?preview=true', { body: bytes, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as { importId: string; imported: number; errors: { line: number; message: string }[]; preview: { line: number; values: Record<string, string>; error?: string }[] };
    expect(preview.imported).toBe(0);
    expect(preview.errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([[4, 'platform']]);
    expect(preview.preview.map((p) => [p.line, Boolean(p.error)])).toEqual([[2, false], [3, false], [4, true], [5, false]]);
    expect(preview.preview[0]!.values).toMatchObject({ text: '幸福里小区门口的下水道堵了', capturedAt: '2026-11-10 09:30:00' });
    expect((await concernsIn(chen, `week=${WEEK}`)).length).toBe(before);

    // The record is there after leaving the page: in the list and by id, as a preview that would add 3.
    const { imports } = (await (await xu('/api/concerns/imports')).json()) as { imports: { id: string; status: string; imported: number }[] };
    expect(imports.find((r) => r.id === preview.importId)).toMatchObject({ status: 'preview', imported: 3 });
    // Only its importer commits it.
    expect((await chen(`/api/concerns/imports/${preview.importId}/commit`, { method: 'POST' })).status).toBe(403);
    const committed = await xu(`/api/concerns/imports/${preview.importId}/commit`, { method: 'POST' });
    expect(await committed.json()).toMatchObject({ status: 'done', imported: 3, errorCount: 1 });
    expect((await xu(`/api/concerns/imports/${preview.importId}/commit`, { method: 'POST' })).status).toBe(409);

    const added = await concernsIn(chen, `week=${WEEK}`);
    expect(added.length).toBe(before + 3);
    const at = (text: string) => added.find((c) => c.text === text)!.capturedAt;
    expect(at('幸福里小区门口的下水道堵了')).toBe('2026-11-10T01:30:00.000Z');
    expect(at('菜场旁边路灯不亮')).toBe('2026-11-10T04:00:00.000Z');
    expect(added.find((c) => c.text === '公交站台被撞坏了')!.source.platform).toBe('hotline');

    // The result page is still there later, with the error row.
    const page = await loginAs(ctx.app, 'xu.reporter');
    const html = await (await ctx.app.request(`/workbench/concerns/imports/${preview.importId}`, { headers: { cookie: page.cookie } })).text();
    expect(html).toContain('data-import-result');
    expect(html).toContain('第 4 行');
    expect(html).toContain('未知平台 “推特”');
    // Nobody else's record: another district's editor gets 403.
    expect((await wang(`/api/concerns/imports/${preview.importId}`)).status).toBe(403);
  });

  test('the templates have Chinese headers and import as they are (the XLSX one with a real date cell)', async () => {
    const page = await loginAs(ctx.app, 'xu.reporter');
    const xlsx = await ctx.app.request('/workbench/concerns/import/template.xlsx', { headers: { cookie: page.cookie } });
    expect(xlsx.headers.get('content-disposition')).toContain(encodeURIComponent('关切导入模板.xlsx'));
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(bytes) as never);
    const header = book.worksheets[0]!.getRow(1).values as unknown[];
    expect(header.slice(1)).toEqual(['内容', '平台', '链接', '类别', '区县', '时间', '作者']);
    expect(book.worksheets[0]!.getRow(2).getCell(6).value).toBeInstanceOf(Date);
    const res = await xu('/api/concerns/import?preview=true', { body: bytes });
    const read = (await res.json()) as { errors: { message: string }[]; preview: unknown[] };
    expect(read.preview).toMatchObject([{ line: 2, values: { text: '青年路地下通道积水一米深，车辆熄火', platform: '微博', district: '亭湖区', capturedAt: '2026-11-29 09:30:00' } }]);
    // the test clock is 2026-11-26, so the example's date is still to come; nothing else is wrong with the row
    expect(read.errors.map((e) => e.message)).toEqual(['capturedAt: 时间不能晚于今天']);

    const csv = await ctx.app.request('/workbench/concerns/import/template.csv', { headers: { cookie: page.cookie } });
    const raw = new Uint8Array(await csv.arrayBuffer());
    // a BOM, so that Excel opens the Chinese headers as Chinese
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(raw).split('\r\n')[0]).toBe('内容,平台,链接,类别,区县,时间,作者');
  });

  test('the import page uploads to a preview, commits with one click and lists the record', async () => {
    const page = await loginAs(ctx.app, 'xu.reporter');
    const form = new FormData();
    form.set('_csrf', page.csrf);
    form.set('file', new File([encodeGb18030('内容,平台,区县,时间\r\n"五星街道\r\n健身器材坏了",微博,亭湖,2026/11/12 9:00\r\n坏行,推特,亭湖,\r\n')], '第46周.csv', { type: 'text/csv' }));
    const uploaded = await ctx.app.request('/workbench/concerns/import', { method: 'POST', headers: { cookie: page.cookie }, body: form });
    expect(uploaded.status).toBe(303);
    const href = uploaded.headers.get('location')!;
    const preview = await (await ctx.app.request(href, { headers: { cookie: page.cookie } })).text();
    expect(preview).toContain('data-import-preview');
    expect(preview).toContain('确认导入 1 条');
    // the bad row names line 4 of the file: the quoted cell took lines 2–3
    expect(preview).toContain('第 4 行');
    const committed = await ctx.app.request(`${href}/commit`, { method: 'POST', headers: { cookie: page.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: page.csrf }) });
    expect(committed.status).toBe(303);
    const done = await (await ctx.app.request(href, { headers: { cookie: page.cookie } })).text();
    expect(done).toContain('data-import-result');
    const list = await (await ctx.app.request('/workbench/concerns/import', { headers: { cookie: page.cookie } })).text();
    expect(list).toContain('第46周.csv');
    expect(list).toMatch(/导入 1 条，跳过 0 条，错误 1 行/);
  });
});

describe('the reporter home', () => {
  test('a big 登记关切 button, this week\'s count, and 我登记的 with what happened to each', async () => {
    const xu = await loginAs(ctx.app, 'xu.reporter');
    const mine = await ctx.deps.store.collection<Concern>('concerns').list((c) => c.capturedBy === xu.userId);
    const html = await (await ctx.app.request('/workbench', { headers: { cookie: xu.cookie } })).text();
    expect(html).toMatch(/<a class="button primary big" href="\/workbench\/concerns#intake-title">\s*登记关切/);
    expect(html).toMatch(new RegExp(`data-week-count[^>]*>${mine.filter((c) => c.week === '2026-W48').length}<`));
    const panel = html.slice(html.indexOf('data-panel="my-concerns"'));
    // the demo 校车 concerns were answered by a published item: the link goes to its public page
    expect(panel).toMatch(/<a class="row-extra" href="https?:\/\/[^"]+\/[a-z-]+\/[^"]+">看回应<\/a>/);
    // the one carried through the whole loop shows the reply
    expect(panel).toContain('已回复网民：已在原帖回复网友');
    expect(panel).toMatch(new RegExp(`<span class="count">${mine.length}</span>`));
  });
});
