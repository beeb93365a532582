import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WeeklyReport } from '../../server/reports/schema.ts';
import { filingsOf } from '../../server/reports/filing.ts';
import { formBody, loginAs, type Client as Login } from '../helpers.ts';
import { setupApp } from './setup.ts';

const WEEK = '2026-W48';
const q = new URLSearchParams({ org: 'tinghu', week: WEEK });

// 本周综述 as the editor writes it: a heading, a paragraph with bold, a list.
const SUMMARY_DOC = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: '校车安全仍是焦点' }] },
    { type: 'paragraph', content: [{ type: 'text', text: '本周网民集中反映' }, { type: 'text', marks: [{ type: 'bold' }], text: '校车超载' }, { type: 'text', text: '。' }] },
    { type: 'bulletList', content: ['南洋镇小学校车超员', '五星街道接送点拥堵'].map((text) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })) },
  ],
};

let ctx: Awaited<ReturnType<typeof setupApp>>;
let chen: Login;
beforeAll(async () => {
  ctx = await setupApp();
  chen = await loginAs(ctx.app, 'chen.editor');
}, 600_000);
afterAll(() => ctx?.close());

const post = (path: string, body: URLSearchParams) => ctx.app.request(path, { method: 'POST', headers: { cookie: chen.cookie }, body });
const flash = async (res: Response) => (await ctx.app.request(res.headers.get('location')!, { headers: { cookie: `${chen.cookie}; ${(res.headers.get('set-cookie') ?? '').split(';')[0]}` } })).text();

describe('the weekly report: written in the editor, with charts on the page and in the Word file', () => {
  test('a document with a script node or a javascript: link is refused, naming the field; nothing is saved', async () => {
    const bad = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '点这里', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] };
    const res = await post(`/workbench/reports/filing/save?${q}`, formBody({ _csrf: chen.csrf, summary: '点这里', summaryDoc: JSON.stringify(bad), assessment: '' }));
    expect(await flash(res)).toContain('summaryDoc.');
    const broken = await post(`/workbench/reports/filing/save?${q}`, formBody({ _csrf: chen.csrf, summary: 'x', summaryDoc: '{not json', assessment: '' }));
    expect(await flash(broken)).toContain('summaryDoc: 编辑器内容无法读取');
    expect(await filingsOf(ctx.deps).list()).toEqual([]);
  });

  test('the sections are saved as documents, shown as formatted text, and the page draws the four charts', async () => {
    const res = await post(`/workbench/reports/filing/save?${q}`, formBody({ _csrf: chen.csrf, summary: 'ignored: the document wins', summaryDoc: JSON.stringify(SUMMARY_DOC), assessment: '建议教育局本周内核查校车运力。', assessmentDoc: '' }));
    expect(await flash(res)).toContain('已保存本周综述与研判建议');
    const [filing] = await filingsOf(ctx.deps).list();
    expect(filing!.summary).toBe('校车安全仍是焦点\n本周网民集中反映校车超载。\n南洋镇小学校车超员\n五星街道接送点拥堵');
    expect(filing!.summaryDoc).toEqual(SUMMARY_DOC);
    expect(filing!.assessmentDoc).toBeUndefined();

    const page = await (await ctx.app.request(`/workbench/reports?${q}`, { headers: { cookie: chen.cookie } })).text();
    // the editor: the textarea is there for the form, the document beside it, the report script loads
    expect(page).toMatch(/<textarea id="f-summary" name="summary"[^>]*data-rich="summaryDoc"/);
    expect(page).toMatch(/<script type="module" src="\/workbench\/assets\/report\.[0-9a-f]{12}\.js">/);
    for (const key of ['category', 'platform', 'trend', 'rate']) expect(page).toMatch(new RegExp(`data-chart="${key}">\\s*<svg`));
    expect(page).toContain('data-week-over-week');
  });

  test('the JSON report counts by platform and carries six weeks of trend', async () => {
    const json = (await (await ctx.app.request(`/api/reports/weekly?${q}`, { headers: { cookie: chen.cookie } })).json()) as WeeklyReport;
    expect(json.trend!.map((t) => t.week)).toEqual(['2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    expect(json.trend!.at(-1)!.received).toBe(json.totals.received);
    expect(json.byPlatform!.reduce((n, r) => n + r.received, 0)).toBe(json.totals.received);
    expect(json.byPlatform!.map((r) => r.name)).toContain('微博');
  });

  test('the Word file parses back with the written sections first, the generated ones, and the charts as pictures', async () => {
    const res = await ctx.app.request(`/api/reports/weekly?${new URLSearchParams({ org: 'tinghu', week: WEEK, format: 'docx' })}`, { headers: { cookie: chen.cookie } });
    expect(res.status).toBe(200);
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    const xml = await zip.file('word/document.xml')!.async('string');
    const at = (text: string) => {
      const i = xml.indexOf(text);
      expect(i, text).toBeGreaterThan(-1);
      return i;
    };
    // reading order: 本周综述 (heading, list), 研判建议, then the generated sections with their charts
    const order = ['本周综述', '校车安全仍是焦点', '校车超载', '南洋镇小学校车超员', '研判建议', '建议教育局本周内核查校车运力。', '一、总体情况', '图：近六周收集与回应', '图：回应率', '二、分类统计', '图：按类别', '图：按平台', '三、分区县统计', '四、重点关切'];
    const positions = order.map(at);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(xml).toMatch(/<w:numPr>/); // the list is a Word list
    const images = Object.keys(zip.files).filter((name) => /^word\/media\/.+\.png$/.test(name));
    expect(images).toHaveLength(4);
    expect((xml.match(/<pic:pic\b/g) ?? []).length).toBe(4);
    for (const name of images) {
      const png = await zip.file(name)!.async('nodebuffer');
      const meta = await sharp(png).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThan(600);
      // not a blank picture: bars, lines and labels are drawn
      const stats = await sharp(png).stats();
      expect(stats.channels[0]!.min).toBeLessThan(120);
    }
  });

  test('HTML and Markdown carry the written sections too', async () => {
    const md = await (await ctx.app.request(`/api/reports/weekly?${new URLSearchParams({ org: 'tinghu', week: WEEK, format: 'md' })}`, { headers: { cookie: chen.cookie } })).text();
    expect(md).toContain('## 本周综述');
    expect(md).toContain('- 南洋镇小学校车超员');
    const html = await (await ctx.app.request(`/api/reports/weekly?${new URLSearchParams({ org: 'tinghu', week: WEEK, format: 'html' })}`, { headers: { cookie: chen.cookie } })).text();
    expect(html).toContain('<h2>研判建议</h2>');
  });
});
