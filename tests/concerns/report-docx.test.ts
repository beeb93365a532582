import JSZip from 'jszip';
import { describe, expect, test } from 'vitest';
import { renderReportDocx } from '../../server/reports/render-docx.ts';
import { renderReportHtml, renderReportMarkdown } from '../../server/reports/render-text.ts';
import type { WeeklyReport } from '../../server/reports/schema.ts';

const report: WeeklyReport = {
  orgId: 'org-tinghu',
  orgName: '共青团亭湖区委',
  week: '2026-W48',
  from: '2026-11-23',
  to: '2026-11-29',
  generatedAt: '2026-11-30T02:00:00.000Z',
  totals: { received: 12, answered: 7, handled: 2, replied: 1, closed: 0, open: 5, duplicates: 2, overdue: 1 },
  byCategory: [
    { name: '教育', received: 8, answered: 6 },
    { name: '城建', received: 4, answered: 1 },
  ],
  byDistrict: [{ name: '亭湖区', received: 12, answered: 7 }],
  groups: [
    {
      id: 'g1',
      title: '校车、超载、安全',
      size: 6,
      quotes: ['南洋镇小学的校车严重超载，一辆车挤了22个孩子 <script>'],
      status: 'answered',
      statusCounts: { answered: 6 },
      decision: '联系区教育局核查并发布说明',
      escalatedTo: '共青团盐城市委',
      items: [{ title: '关于校车安全的说明', url: 'https://example.org/notices/xiaoche/' }],
      feedback: [{ from: '共青团盐城市委', text: '已转市教育局', at: '2026-11-29T08:00:00.000Z' }],
    },
  ],
  decisions: [{ group: '校车、超载、安全', decision: '联系区教育局核查并发布说明' }],
  escalations: [{ group: '校车、超载、安全', from: '共青团亭湖区委', to: '共青团盐城市委' }],
  responseRate: { withinDays: 7, received: 12, answered: 7, rate: 7 / 12 },
  children: [],
};

describe('renderReportDocx', () => {
  test('writes a .docx whose document.xml holds the title, org, week, tables, quotes and response rate', async () => {
    const bytes = await renderReportDocx(report);
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml']));
    const xml = await zip.file('word/document.xml')!.async('string');
    for (const text of ['网情民意周报', '共青团亭湖区委', '2026-W48', '二、分类统计', '教育', '校车、超载、安全', '联系区教育局核查并发布说明', '共青团盐城市委', '58.3%']) {
      expect(xml).toContain(text);
    }
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).toContain('<w:tbl>');
  });
});

describe('renderReportHtml / renderReportMarkdown', () => {
  test('HTML escapes quotes and keeps the sections', () => {
    const html = renderReportHtml(report);
    expect(html).toContain('<h1>网情民意周报</h1>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('<th scope="col">类别</th>');
  });

  test('Markdown has the tables and quoted concerns', () => {
    const md = renderReportMarkdown(report);
    expect(md).toMatch(/^# 网情民意周报/);
    expect(md).toContain('| 教育 | 8 | 6 | 75.0% |');
    expect(md).toContain('> 南洋镇小学的校车严重超载');
  });
});
