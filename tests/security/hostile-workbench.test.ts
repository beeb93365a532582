import JSZip from 'jszip';
import { parse, type DefaultTreeAdapterTypes as DT } from 'parse5';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';
import { XSS_CORPUS } from './corpus.ts';
import { xmlProblem } from './xml.ts';

// The hostile corpus as concern text and authors, group titles and review comments, end to end:
// through the API into the workbench pages (same origin as the site: an XSS here acts as the viewer)
// and into the weekly report .docx of the org.
const NOW = new Date('2026-11-26T04:00:00Z');
const WEEK = '2026-W48';

/** Live markup in a workbench page: event handlers, script URLs, inline scripts that mention the payload. */
function pageProblems(html: string): string[] {
  const found: string[] = [];
  const walk = (node: DT.ParentNode) => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      const el = child as DT.Element;
      for (const a of el.attrs) {
        if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}=${a.value}`);
        if (/^(href|src|action|formaction|srcset|data)$/i.test(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)) found.push(`${el.tagName} ${a.name}=${a.value}`);
      }
      const type = el.attrs.find((a) => a.name === 'type')?.value ?? '';
      if (el.tagName === 'script' && !/json/.test(type) && el.childNodes.some((n) => n.nodeName === '#text' && /alert/.test((n as DT.TextNode).value))) found.push('inline script with the payload');
      if (/^(iframe|object|embed|base|meta)$/.test(el.tagName) && el.attrs.some((a) => /alert|javascript/i.test(a.value))) found.push(el.tagName);
      walk(el.tagName === 'template' ? (el as DT.Template).content : el);
    }
  };
  walk(parse(html));
  return found;
}

let env: TestEnv;
let chen: Client;
let zhao: Client;
let itemId = '';
const concernIds: string[] = [];
const groupIds: string[] = [];

beforeAll(async () => {
  env = await createTestEnv({ demo: true, clock: () => NOW });
  [chen, zhao] = (await Promise.all(['chen.editor', 'zhao.reviewer'].map((u) => loginAs(env.app, u)))) as [Client, Client];
  const lines = XSS_CORPUS.map((p, i) => JSON.stringify({ text: `第${i}条：${p}`, platform: 'hotline', category: '环境', district: '亭湖区', capturedAt: '2026-11-24T10:00:00+08:00', author: p.slice(0, 100) }));
  const imported = await chen.request('POST', '/api/concerns/import?format=jsonl', lines.join('\n'), { 'content-type': 'application/x-ndjson' });
  expect(imported.status, await imported.clone().text()).toBe(200);
  const list = (await (await chen.request('GET', `/api/concerns?week=${WEEK}&pageSize=500`)).json()) as { concerns?: Array<{ id: string; text: string }>; items?: Array<{ id: string; text: string }> };
  for (const c of list.concerns ?? list.items ?? []) if (/^第\d+条：/.test(c.text)) concernIds.push(c.id);
  expect(concernIds.length).toBe(XSS_CORPUS.length);
  const accepted = await chen.request('POST', '/api/groups', { week: WEEK, groups: XSS_CORPUS.map((p, i) => ({ title: p.slice(0, 100), concernIds: [concernIds[i]] })) });
  expect(accepted.status, await accepted.clone().text()).toBe(201);
  for (const g of ((await accepted.json()) as { groups: Array<{ id: string }> }).groups) groupIds.push(g.id);
  const item = await chen.request('POST', '/api/items', { kind: 'notice', title: '评论注入', body: doc('正文第一段') });
  itemId = ((await item.json()) as { id: string }).id;
  for (const p of XSS_CORPUS) {
    const res = await zhao.request('POST', `/api/items/${itemId}/comments`, { body: p });
    expect(res.status, `comment ${JSON.stringify(p)}: ${await res.clone().text()}`).toBe(201);
  }
}, 300_000);
afterAll(() => env.close());

describe('the hostile corpus in concerns, groups and review comments', () => {
  test('workbench pages show it as text: no handler, script URL or script comes from it', async () => {
    const paths = [`/workbench/concerns?week=${WEEK}`, `/workbench/groups?week=${WEEK}`, `/workbench/items/${itemId}/edit`, `/workbench/reports?week=${WEEK}`, ...concernIds.slice(0, 8).map((id) => `/workbench/concerns/${id}`)];
    const failures: string[] = [];
    // the check itself sees a payload that got through
    expect(pageProblems('<p><img src=x onerror=alert(1)></p>')).not.toEqual([]);
    for (const path of paths) {
      const res = await env.app.request(path, { headers: { cookie: chen.cookie } });
      expect(res.status, path).toBe(200);
      const html = await res.text();
      for (const p of pageProblems(html)) failures.push(`${path}: ${p}`);
    }
    expect(failures).toEqual([]);
  });

  test('the org\'s weekly .docx stays well-formed and carries the group titles and quotes as text', async () => {
    const res = await chen.request('GET', `/api/reports/weekly?org=tinghu&week=${WEEK}&format=docx`);
    expect(res.status, await res.clone().text()).toBe(200);
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xml'))) expect(xmlProblem(await zip.file(name)!.async('string')), name).toBeUndefined();
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')).join('').replace(/\s+/g, '');
    expect(text).toContain('<script>alert(1)</script>');
    // the report quotes the largest groups: at least a few of the hostile titles are in it, as text
    expect(XSS_CORPUS.filter((p) => text.includes(p.replace(/\s+/g, ''))).length).toBeGreaterThan(3);
  });
});
