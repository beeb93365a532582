import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import { parseFragment, type DefaultTreeAdapterTypes as DT } from 'parse5';
import { describe, expect, test } from 'vitest';
import { renderJsonFeed, renderRss } from '../../server/feeds/service.ts';
import { renderWechatBlocks } from '../../server/exports/wechat-html.ts';
import { buildWeiboPackage } from '../../server/exports/weibo.ts';
import { shareCardSvg } from '../../server/media/share-card.ts';
import { renderReportDocx } from '../../server/reports/render-docx.ts';
import type { WeeklyReport } from '../../server/reports/schema.ts';
import { makeSnapshot } from '../site/fixtures.ts';
import { XSS_CORPUS } from './corpus.ts';
import { fragmentProblems } from './dom.ts';
import { xmlProblem } from './xml.ts';

// The hostile corpus (plus XML-invalid characters) through every text field of the writers that do
// not go through the site build: feeds, WeChat/Weibo packages, the share card and the weekly .docx.
// Each output is parsed back: well-formed XML, no live markup in its HTML fields, and the hostile
// text still there as text (so nothing was dropped to pass).
const HOSTILE = XSS_CORPUS.map((p, i) => (i % 5 === 0 ? `${p}\uFFFF\u0001` : p));
const visible = (p: string) => p.replace(/[\uFFFF\u0001]/g, '');

/** The text of an HTML fragment, as a browser would show it. */
function textOf(html: string): string {
  const out: string[] = [];
  const walk = (node: DT.ParentNode) => {
    for (const child of node.childNodes) {
      if (child.nodeName === '#text') out.push((child as DT.TextNode).value);
      else if ('childNodes' in child) walk(child as DT.ParentNode);
    }
  };
  walk(parseFragment(html));
  return out.join('');
}

const snapshot = (i: number, p: string) =>
  makeSnapshot(900 + i, { kind: 'notice', slug: `hostile-${i}`, url: `/notices/hostile-${i}/`, title: p, summary: p, orgName: p, tags: [p.slice(0, 20)], corrections: [{ at: '2026-11-30T08:00:00.000Z', note: p }] });

describe('feeds and channel packages under the hostile corpus', () => {
  test('RSS: well-formed, description and content:encoded carry the text escaped, never as markup', () => {
    const items = HOSTILE.map((p, i) => snapshot(i, p));
    const xml = renderRss({ items, siteUrl: 'https://lianxin.example.cn', siteTitle: '连心', title: HOSTILE[3]!, pagePath: '/', feedPath: '/feeds/all' } as never);
    expect(xmlProblem(xml)).toBeUndefined();
    const parsed = new XMLParser({ cdataPropName: '#cdata' }).parse(xml) as { rss: { channel: { item: Array<Record<string, unknown>> } } };
    const html = (v: unknown) => (typeof v === 'object' && v && '#cdata' in v ? String((v as { '#cdata': unknown })['#cdata']) : String(v));
    parsed.rss.channel.item.forEach((entry, i) => {
      for (const field of ['description', 'content:encoded']) {
        const value = html(entry[field]);
        expect(fragmentProblems(value), `${field} ${i}`).toEqual([]);
        expect(textOf(value), `${field} ${i}`).toContain(visible(HOSTILE[i]!));
      }
    });
  });

  test('JSON Feed: content_html has no markup from the text fields; title and summary are the plain text', () => {
    const items = HOSTILE.map((p, i) => snapshot(i, p));
    const feed = JSON.parse(JSON.stringify(renderJsonFeed({ items, siteUrl: 'https://lianxin.example.cn', siteTitle: '连心', title: '', pagePath: '/', feedPath: '/feeds/all' } as never))) as { items: Array<{ title: string; summary: string; content_html: string }> };
    feed.items.forEach((entry, i) => {
      expect(fragmentProblems(entry.content_html), `content_html ${i}`).toEqual([]);
      expect(textOf(entry.content_html)).toContain(visible(HOSTILE[i]!));
      expect(entry.title).toBe(visible(HOSTILE[i]!));
      expect(entry.summary).toBe(visible(HOSTILE[i]!));
    });
  });

  test('WeChat blocks carry the summary, corrections and body text escaped; the Weibo package is plain text', () => {
    HOSTILE.forEach((p, i) => {
      const item = { ...snapshot(i, p), body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: p, marks: [{ type: 'link', attrs: { href: 'https://www.yancheng.gov.cn/', title: p } }] }] }] } };
      const html = renderWechatBlocks(item as never, []).join('');
      expect(fragmentProblems(html), `wechat ${i}`).toEqual([]);
      expect(textOf(html)).toContain(visible(p));
      const weibo = buildWeiboPackage({ item: { ...item, bodyHtml: `<p title="${p.replace(/"/g, '&quot;')}">正文</p>` } as never, siteUrl: 'https://lianxin.example.cn' });
      expect(JSON.stringify(weibo)).not.toMatch(/[\uFFFF\u0001]/);
    });
  });
});

describe('XML documents under the hostile corpus', () => {
  const svgParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', preserveOrder: true });
  const svgProblems = (svg: string): string[] => {
    const found: string[] = [];
    const walk = (nodes: Array<Record<string, unknown>>) => {
      for (const node of nodes) {
        for (const [key, value] of Object.entries(node)) {
          if (key === ':@') {
            for (const attr of Object.keys(value as object)) if (/^@_on/i.test(attr) || /href$/i.test(attr)) found.push(attr);
          } else if (key !== '#text') {
            if (/^(script|foreignObject|a|image|use|iframe)$/i.test(key)) found.push(key);
            if (Array.isArray(value)) walk(value as Array<Record<string, unknown>>);
          }
        }
      }
    };
    walk(svgParser.parse(svg) as Array<Record<string, unknown>>);
    return found;
  };

  test('the share card SVG is well-formed and holds only text, whatever the title, column and org hold', () => {
    for (const p of HOSTILE) {
      const svg = shareCardSvg({ title: p, column: p.slice(0, 10), org: p.slice(0, 30), date: '2026-11-30' });
      expect(xmlProblem(svg), JSON.stringify(p)).toBeUndefined();
      expect(svgProblems(svg), JSON.stringify(p)).toEqual([]);
    }
  });

  test('the weekly .docx: word/document.xml is well-formed and carries every hostile string as text', async () => {
    const groups = HOSTILE.map((p, i) => ({ id: `g${i}`, title: p, size: 1, quotes: [p], status: 'answered', statusCounts: { answered: 1 }, decision: p, escalatedTo: p, items: [{ title: p, url: 'https://lianxin.example.cn/notices/x/' }], feedback: [{ from: p, text: p, at: '2026-11-29T08:00:00.000Z' }] }));
    const report = {
      orgId: 'tinghu', orgName: HOSTILE[0], week: '2026-W48', from: '2026-11-23', to: '2026-11-29', generatedAt: '2026-11-30T02:00:00.000Z',
      totals: { received: 1, answered: 1, handled: 0, replied: 0, closed: 0, open: 0, duplicates: 0, overdue: 0 },
      byCategory: HOSTILE.slice(0, 5).map((p) => ({ name: p, received: 1, answered: 1 })),
      byDistrict: [{ name: HOSTILE[1], received: 1, answered: 1 }],
      groups,
      decisions: HOSTILE.map((p) => ({ group: p, decision: p })),
      escalations: HOSTILE.slice(0, 3).map((p) => ({ group: p, from: p, to: p })),
      responseRate: { withinDays: 7, received: 1, answered: 1, rate: 1 },
      children: [],
    } as unknown as WeeklyReport;
    const zip = await JSZip.loadAsync(await renderReportDocx(report, { summary: HOSTILE[2]!, assessment: HOSTILE[5]! }));
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xml'))) {
      expect(xmlProblem(await zip.file(name)!.async('string')), name).toBeUndefined();
    }
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')).join('').replace(/\s+/g, '');
    // tabs and line breaks become WordprocessingML elements; the characters around them are compared
    for (const p of HOSTILE) expect(text, JSON.stringify(p)).toContain(visible(p).replace(/\s+/g, '').slice(0, 10));
    // nothing of the text became WordprocessingML of its own
    expect(xml).not.toMatch(/<w:[a-z]+[^>]*onerror|<script/i);
  });
});
