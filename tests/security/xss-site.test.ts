import { kindRegistry } from '../../server/kinds/registry.ts';
import { serve } from '@hono/node-server';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateHTML } from '@tiptap/html';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestEnv, loginAs, type Client, type TestEnv } from '../helpers.ts';
import { describeBrowser } from '../browser/harness.ts';
import { launchBrowser } from '../browser/launch.ts';
import { makeSnapshot } from '../site/fixtures.ts';
import { XSS_CORPUS } from './corpus.ts';
import { domProblems, fragmentProblems, OWN_SCRIPT } from './dom.ts';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { buildSite } from '../../server/publish/service.ts';
import { defaultSiteDir } from '../../server/publish/publisher.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { publishedLive } from '../live/setup.ts';
import { lineSafe } from '../../server/security/fields.ts';

const SITE_URL = 'https://lianxin.example.cn';
/** tiptap's own serializer, as snapshots written before the sanitizer got it. */
const extensions = [StarterKit.configure({ link: { openOnClick: false, protocols: ['http', 'https'] } }), Image];
type Json = Record<string, unknown>;

const para = (content: Json[]) => ({ type: 'paragraph', content });
const text = (t: string, marks?: Json[]) => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const link = (attrs: Json) => text('链接', [{ type: 'link', attrs: { href: 'https://www.yancheng.gov.cn/', target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null, ...attrs } }]);
const image = (attrs: Json) => ({ type: 'image', attrs: { src: 'https://img.example.cn/a.jpg', alt: '图', title: null, ...attrs } });
const body = (...nodes: Json[]) => ({ type: 'doc', content: nodes });

/** Every place of an item a payload can go: tiptap text and every tiptap attribute, and every item field. */
const POSITIONS: Record<string, (p: string) => Json> = {
  'body.text': (p) => ({ body: body(para([text(p)])) }),
  'body.codeText': (p) => ({ body: body({ type: 'codeBlock', attrs: { language: null }, content: [text(p)] }) }),
  'link.href': (p) => ({ body: body(para([link({ href: p })])) }),
  'link.title': (p) => ({ body: body(para([link({ title: p })])) }),
  'link.class': (p) => ({ body: body(para([link({ class: p })])) }),
  'link.target': (p) => ({ body: body(para([link({ target: p })])) }),
  'link.rel': (p) => ({ body: body(para([link({ rel: p })])) }),
  'image.src': (p) => ({ body: body(image({ src: p })) }),
  'image.alt': (p) => ({ body: body(image({ alt: p })) }),
  'image.title': (p) => ({ body: body(image({ title: p })) }),
  'image.width': (p) => ({ body: body(image({ width: p, height: p })) }),
  'codeBlock.language': (p) => ({ body: body({ type: 'codeBlock', attrs: { language: p }, content: [text('x')] }) }),
  'orderedList.type': (p) => ({ body: body({ type: 'orderedList', attrs: { start: 1, type: p }, content: [{ type: 'listItem', content: [para([text('一')])] }] }) }),
  'orderedList.start': (p) => ({ body: body({ type: 'orderedList', attrs: { start: p }, content: [{ type: 'listItem', content: [para([text('一')])] }] }) }),
  'paragraph.textAlign': (p) => ({ body: body({ type: 'paragraph', attrs: { textAlign: p }, content: [text('x')] }) }),
  'heading.level': (p) => ({ body: body({ type: 'heading', attrs: { level: p }, content: [text('x')] }) }),
  title: (p) => ({ title: p.slice(0, 100) }),
  summary: (p) => ({ summary: p }),
  tags: (p) => ({ tags: [p.slice(0, 20)] }),
  cover: (p) => ({ cover: p }),
  // 32 characters: the channel rule that gates submission (issue 12)
  'variants.wechat.title': (p) => ({ variants: { wechat: { title: p.slice(0, 32) } } }),
  'claims.claim': (p) => ({ claims: [{ claim: p, verdict: 'false', evidence: '经核实', sources: [] }] }),
  'claims.evidence': (p) => ({ claims: [{ claim: '说法', verdict: 'false', evidence: p, sources: [] }] }),
  'claims.sources.name': (p) => ({ claims: [{ claim: '说法', verdict: 'false', evidence: '经核实', sources: [{ name: p.slice(0, 100), url: 'https://www.piyao.org.cn/' }] }] }),
  'claims.sources.url': (p) => ({ claims: [{ claim: '说法', verdict: 'false', evidence: '经核实', sources: [{ name: '来源', url: p }] }] }),
  tips: (p) => ({ tips: [p] }),
};

const base = (i: number): Json => ({ kind: 'rumor-guide', title: `敌意语料 ${i}`, summary: '测试', body: body(para([text('正文')])), claims: [{ claim: '说法', verdict: 'false', evidence: '经核实', sources: [] }] });

/** Merges positions: bodies concatenate, claims concatenate, other fields override. */
function combine(i: number, parts: Json[]): Json {
  const out = base(i);
  const nodes: unknown[] = [];
  const claims: unknown[] = [];
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (k === 'body') nodes.push(...((v as { content: unknown[] }).content));
      else if (k === 'claims') claims.push(...(v as unknown[]));
      else out[k] = v;
    }
  }
  if (nodes.length) out.body = { type: 'doc', content: nodes };
  if (claims.length) out.claims = claims;
  return out;
}

describeBrowser('the public site under an XSS corpus', () => {
  let env: TestEnv;
  let server: ReturnType<typeof serve>;
  let url: string;
  let browser: Browser;
  const pages: string[] = [];
  const refused: Record<string, number> = {};
  const itemIds: string[] = [];
  let liveSlug = '';

  beforeAll(async () => {
    env = await createTestEnv({ demo: true, config: { siteUrl: SITE_URL } });
    const editor: Client = await loginAs(env.app, 'chen.editor');
    const reviewer: Client = await loginAs(env.app, 'zhao.reviewer');
    for (const [i, payload] of XSS_CORPUS.entries()) {
      const accepted: Json[] = [];
      for (const [name, make] of Object.entries(POSITIONS)) {
        const res = await editor.request('POST', '/api/items', combine(i, [make(payload)]));
        expect([201, 400], `${name} ← ${JSON.stringify(payload)}: ${res.status}`).toContain(res.status);
        if (res.status === 201) accepted.push(make(payload));
        else refused[name] = (refused[name] ?? 0) + 1;
      }
      const created = await editor.request('POST', '/api/items', combine(i, accepted));
      expect(created.status, `combined ${JSON.stringify(payload)}: ${await created.clone().text()}`).toBe(201);
      const item = (await created.json()) as { id: string };
      itemIds.push(item.id);
      for (const [who, to] of [[editor, 'in-review'], [reviewer, 'approved'], [reviewer, 'published']] as const) {
        const res = await who.request('POST', `/api/items/${item.id}/transitions`, { to });
        expect(res.status, `${to}: ${await res.clone().text()}`).toBe(200);
      }
    }
    // Beyond item fields: live updates and answered Q&A questions, series titles and descriptions.
    const qa = await publishedLive(editor, reviewer, { mode: 'qa' }, '敌意语料问答');
    liveSlug = qa.slug;
    for (const [i, payload] of XSS_CORPUS.entries()) {
      const update = await editor.request('POST', `/api/items/${qa.id}/updates`, { type: 'update', body: body(para([text(payload)])) });
      expect(update.status, `update ${JSON.stringify(payload)}: ${await update.clone().text()}`).toBe(201);
      expect((await reviewer.request('POST', `/api/items/${qa.id}/updates/${((await update.json()) as { id: string }).id}/transitions`, { to: 'published' })).status).toBe(200);
      const asked = await env.app.request(`/api/live/${qa.id}/questions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': `198.18.${i}.1` }, body: JSON.stringify({ text: `问：${payload}`, nickname: payload.slice(0, 20) }) });
      expect([201, 400], `question ${JSON.stringify(payload)}: ${await asked.clone().text()}`).toContain(asked.status);
      if (asked.status !== 201) continue;
      const qid = ((await asked.json()) as { id: string }).id;
      expect((await editor.request('POST', `/api/items/${qa.id}/questions/${qid}/transitions`, { to: 'accepted' })).status).toBe(200);
      const answer = await editor.request('POST', `/api/items/${qa.id}/updates`, { type: 'answer', questionId: qid, answeredBy: lineSafe(payload.slice(0, 60)) ? payload.slice(0, 60) : '嘉宾（控制字符已去除）', body: body(para([text(`答：${payload}`)])) });
      expect(answer.status, `answer ${JSON.stringify(payload)}: ${await answer.clone().text()}`).toBe(201);
      expect((await reviewer.request('POST', `/api/items/${qa.id}/updates/${((await answer.json()) as { id: string }).id}/transitions`, { to: 'published' })).status).toBe(200);
    }
    // quiz questions, options and explanations (the quiz page renders them in the browser from its data)
    for (let k = 0; k * 10 < XSS_CORPUS.length; k++) {
      const chunk = XSS_CORPUS.slice(k * 10, k * 10 + 10);
      const questions = chunk.map((p) => ({ type: 'single', text: p, options: [p.slice(0, 60), '选项二'], answer: 'A', explanation: p }));
      const quiz = await editor.request('POST', '/api/items', { kind: 'quiz', title: `敌意测验 ${k}`, summary: chunk[0], intro: chunk[1] ?? '导语', questions });
      expect(quiz.status, `quiz ${k}: ${await quiz.clone().text()}`).toBe(201);
      const id = ((await quiz.json()) as { id: string }).id;
      for (const [who, to] of [[editor, 'in-review'], [reviewer, 'approved'], [reviewer, 'published']] as const) {
        const res = await who.request('POST', `/api/items/${id}/transitions`, { to });
        expect(res.status, `quiz ${to}: ${await res.clone().text()}`).toBe(200);
      }
    }
    const seriesUrls: string[] = [];
    for (const [i, payload] of XSS_CORPUS.entries()) {
      const res = await editor.request('POST', '/api/series', { title: payload.slice(0, 60), description: payload, itemIds: [itemIds[i]] });
      expect([201, 400], `series ${JSON.stringify(payload)}: ${await res.clone().text()}`).toContain(res.status);
      if (res.status === 201) seriesUrls.push(`/series/${((await res.json()) as { slug: string }).slug}/`);
    }
    expect(seriesUrls.length).toBeGreaterThan(XSS_CORPUS.length / 2);
    // Snapshots written before the fix: raw tiptap output with hostile attributes (the stored body was never checked).
    const dir = join(env.dir, 'published', 'items');
    mkdirSync(dir, { recursive: true });
    for (const [i, payload] of XSS_CORPUS.entries()) {
      const hostile = { type: 'doc', content: [para([link({ href: '/notices/x', title: payload, class: payload }), text(payload)]), image({ alt: payload, title: payload }), { type: 'codeBlock', attrs: { language: payload }, content: [text('x')] }] };
      const snap = makeSnapshot(7000 + i, { kind: 'notice', slug: `legacy-${i}`, url: `/notices/legacy-${i}/`, title: `旧快照 ${i}`, bodyHtml: generateHTML(hostile as never, extensions) });
      writeFileSync(join(dir, `${snap.id}.json`), JSON.stringify(snap));
    }
    await buildSite({ dataDir: env.dir, outDir: defaultSiteDir(env.dir), siteUrl: SITE_URL, siteTitle: '连心' }, { search: false });
    server = serve({ fetch: env.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const published = (await (await env.app.request('/api/items?status=published&pageSize=200', { headers: { cookie: editor.cookie } })).json()) as { items: Array<{ kind: string; slug: string }> };
    // each kind's column from the registry (the demo also has live items and a quiz)
    for (const it of published.items) pages.push(`/${kindRegistry.list.find((k) => k.kind === it.kind)!.column.key}/${it.slug}/`);
    for (let i = 0; i < XSS_CORPUS.length; i++) pages.push(`/notices/legacy-${i}/`);
    pages.push('/', '/rumors/', '/notices/', '/notices/page/2/', `/live/${liveSlug}/`, '/series/', ...seriesUrls.slice(0, 12));
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await env?.close();
  });

  test('every attribute-position payload is refused with 400 somewhere and the text positions are kept as text', () => {
    // URL and fixed-set attributes refuse nearly everything in the corpus.
    for (const name of ['link.href', 'link.class', 'image.src', 'codeBlock.language', 'cover', 'claims.sources.url']) expect(refused[name], name).toBeGreaterThanOrEqual(XSS_CORPUS.length - 1);
  });

  test('no built page runs a script or opens a dialog (CSP bypassed, so the HTML itself is tested)', async () => {
    const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
    const failures: string[] = [];
    let current = '';
    let recording = false;
    const page: Page = await context.newPage();
    page.on('dialog', (d) => {
      failures.push(`${current}: dialog ${d.type()} ${d.message()}`);
      void d.dismiss();
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Debugger.enable');
    cdp.on('Debugger.scriptParsed', (e) => {
      const aux = e.executionContextAuxData as { isDefault?: boolean } | undefined;
      // the site's own script files (reach beacon, search, quiz, live) are allowed by their exact places; anything inline or elsewhere fails
      if (recording && aux?.isDefault && !e.url.includes('__playwright') && !e.url.startsWith('pptr:') && !OWN_SCRIPT.test(e.url.replace(url, ''))) failures.push(`${current}: script parsed ${e.url || '(inline)'} ${e.length} chars`);
    });
    expect(pages.length).toBeGreaterThan(XSS_CORPUS.length * 2);
    for (const path of pages) {
      current = path;
      recording = true;
      const res = await page.goto(url + path, { waitUntil: 'load' });
      expect(res?.status(), path).toBe(200);
      // hover and focus everything, so handlers like onmouseover / onfocus would fire
      for (const el of await page.locator('main a, main img, main p, main code').all()) await el.hover({ timeout: 100, force: true }).catch(() => undefined);
      await page.waitForTimeout(20);
      // the DOM check reads the live document without running anything in the page's world
      const bad = domProblems(await page.content());
      for (const b of bad) failures.push(`${path}: ${b}`);
    }
    await context.close();
    expect(failures).toEqual([]);
  }, 1_200_000);

  test('feeds, live RSS and JSON chunks and the WeChat/Weibo packages parse back, with no live markup in their HTML fields', async () => {
    const failures: string[] = [];
    const xml = (where: string, text: string) => {
      const valid = XMLValidator.validate(text);
      if (valid !== true) failures.push(`${where}: not well-formed ${JSON.stringify(valid)}`);
      const walk = (v: unknown, key: string): void => {
        if (typeof v === 'string' && /^(description|content:encoded)$/.test(key)) for (const b of fragmentProblems(v)) failures.push(`${where} <${key}>: ${b}`);
        else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k === '#cdata' ? key : k);
      };
      walk(new XMLParser({ cdataPropName: '#cdata' }).parse(text), '');
    };
    const json = (where: string, text: string) => {
      const walk = (v: unknown, key: string): void => {
        if (typeof v === 'string' && /(^|_)html$|Html$|^content$/.test(key)) for (const b of fragmentProblems(v)) failures.push(`${where} ${key}: ${b}`);
        else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
      };
      walk(JSON.parse(text), '');
    };
    const feeds = join(defaultSiteDir(env.dir), 'feeds');
    const files = readdirSync(feeds, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(xml|json)$/.test(f));
    expect(files).toContain('all.xml');
    for (const f of files) (f.endsWith('.xml') ? xml : json)(`feeds/${f}`, readFileSync(join(feeds, f), 'utf8'));
    const liveRss = await fetch(`${url}/live/${liveSlug}/updates/feed.xml`);
    expect(liveRss.status).toBe(200);
    xml('live feed.xml', await liveRss.text());
    const latest = await fetch(`${url}/live/${liveSlug}/updates/latest.json`);
    expect(latest.status).toBe(200);
    const latestText = await latest.text();
    json('live latest.json', latestText);
    for (const chunk of new Set([...latestText.matchAll(/c\d+\.json/g)].map((m) => m[0]))) {
      const res = await fetch(`${url}/live/${liveSlug}/updates/${chunk}`);
      if (res.status === 200) json(`live ${chunk}`, await res.text());
    }
    const editor = await loginAs(env.app, 'chen.editor');
    for (const id of itemIds) {
      for (const channel of ['wechat', 'weibo']) {
        const res = await editor.request('GET', `/api/items/${id}/export/${channel}`);
        expect(res.status, `${channel} ${id}`).toBe(200);
        json(`${channel} ${id}`, await res.text());
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  test('site pages carry a strict Content-Security-Policy and refuse framing', async () => {
    const res = await fetch(url + pages[0]);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("'unsafe-inline' 'self'");
    expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
