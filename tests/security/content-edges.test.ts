import JSZip from 'jszip';
import sharp from 'sharp';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, tempDir, type Client, type TestEnv } from '../helpers.ts';
import { storeImage } from '../../server/media/service.ts';
import { renderReportDocx } from '../../server/reports/render-docx.ts';
import type { WeeklyReport } from '../../server/reports/schema.ts';
import { renderRss } from '../../server/feeds/service.ts';
import { tagPath, tagSlug } from '../../server/publish/columns.ts';
import { shareCardSvg } from '../../server/media/share-card.ts';
import { buildWeiboPackage } from '../../server/exports/weibo.ts';
import { makeSnapshot } from '../site/fixtures.ts';
import { xmlProblem } from './xml.ts';
import { bombPng } from './png.ts';

const tmp = tempDir('lianxin-edges-');
let env: TestEnv;
let editor: Client;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
});
afterAll(async () => {
  await env.close();
  tmp.cleanup();
});

describe('images', () => {
  test('a 16000×16000 PNG of a few KB is refused from its header, before decoding', async () => {
    const bomb = bombPng(16000, 16000);
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().rss;
    await expect(storeImage({ dataDir: tmp.dir, data: bomb, fileName: 'bomb.png' })).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/^file: .*像素过多/) });
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
  });

  test('a very wide image gets variants at least 1 px high', async () => {
    const wide = await sharp({ create: { width: 6000, height: 3, channels: 3, background: '#336699' } }).png().toBuffer();
    const { image } = await storeImage({ dataDir: tmp.dir, data: wide, fileName: 'wide.png' });
    for (const v of image.variants) {
      expect(v.height).toBeGreaterThanOrEqual(1);
      const meta = await sharp(`${tmp.dir}${v.jpeg}`).metadata();
      expect(meta.height).toBe(v.height);
    }
  });

  test('an unsupported upload answers 415 with code unsupported_media_type', async () => {
    const form = new FormData();
    form.append('file', new Blob(['just text, not an image']), 'note.jpg');
    const res = await env.app.request('/api/media', { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf }, body: form });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });
});

describe('text that would break the build or the XML', () => {
  test('U+FFFF, NUL and other XML-invalid characters in a title are refused at the edge, naming the field', async () => {
    for (const title of ['暴雨预警\uFFFF', '停课\u0000通知', '通知\u0007']) {
      const res = await editor.request('POST', '/api/items', { kind: 'notice', title, body: doc('正文') });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^title: /);
    }
    const bodyText = await editor.request('POST', '/api/items', { kind: 'notice', title: '正文里的 U+FFFF', body: doc('坏字符\uFFFF') });
    expect(bodyText.status).toBe(400);
  });

  test('tags like .. or ../../x are refused, and any tag becomes a safe path segment', async () => {
    for (const tag of ['..', '../../x', 'a/b', '%2e%2e']) {
      const res = await editor.request('POST', '/api/items', { kind: 'notice', title: '标签测试', body: doc('x'), tags: [tag] });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^tags\.0: /);
    }
    for (const tag of ['..', '.', '../../x', 'a/b', '\\..\\', '%2e%2e', '防汛', 'a&b<c>']) {
      const slug = tagSlug(tag);
      expect(slug).not.toMatch(/^\.+$|[/\\%?#]/);
      expect(tagPath(tag)).toMatch(/^\/tags\/[^/]+\/$/);
    }
    expect(tagSlug('防汛')).toBe('防汛');
    expect(tagSlug('a-b')).not.toBe(tagSlug('a&b'));
  });

  test('the share card SVG stays well-formed whatever the title holds', () => {
    const svg = shareCardSvg({ title: '暴雨\uFFFF预警\u0001 <b>&', column: '微公告', org: '亭湖区\uFFFE', date: '2026-11-30' });
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg).toContain('暴雨预警');
  });

  test('control characters in video captions are refused at save', async () => {
    const res = await editor.request('POST', '/api/items', {
      kind: 'video',
      title: '字幕控制字符',
      body: doc('x'),
      storyboard: { format: '9:16', scenes: [{ text: '早上七点\u0007发车', seconds: 2 }], titleCard: { title: '标题' }, endCard: { orgName: '亭湖区', date: '2026-11-30' } },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^storyboard\.scenes\.0\.text: /);
  });

  test('storyboard media paths must be inside media/', async () => {
    const res = await editor.request('POST', '/api/items', {
      kind: 'video',
      title: '路径',
      body: doc('x'),
      storyboard: { format: '9:16', scenes: [{ text: 'x', image: 'db/users/10.json', seconds: 2 }], titleCard: { title: '标题' }, endCard: { orgName: '亭湖区', date: '2026-11-30' } },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^storyboard\.scenes\.0\.image: 必须是数据目录内的媒体路径/);
  });
});

describe('XML and HTML outputs', () => {
  test('the weekly .docx stays well-formed with U+FFFF and controls in concern and group titles', async () => {
    const report = {
      orgId: 'tinghu', orgName: '亭湖区\uFFFF', week: '2026-W48', from: '2026-11-23', to: '2026-11-29', generatedAt: '2026-11-30T02:00:00.000Z',
      totals: { received: 1, answered: 0, handled: 0, replied: 0, closed: 0, open: 1, duplicates: 0, overdue: 0 },
      byCategory: [{ name: '教育\u0001', received: 1, answered: 0 }],
      byDistrict: [{ name: '亭湖区', received: 1, answered: 0 }],
      groups: [{ id: 'g1', title: '校车\uFFFF超载\u0008', size: 1, quotes: ['网友说\uFFFE：\u0000校车超载'], status: 'received', statusCounts: { received: 1 }, decision: '', items: [], feedback: [] }],
      decisions: [], escalations: [], responseRate: { withinDays: 3, received: 1, answered: 0, rate: 0 }, children: [],
    } as unknown as WeeklyReport;
    const zip = await JSZip.loadAsync(await renderReportDocx(report));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xmlProblem(xml)).toBeUndefined();
    expect(xml).toContain('校车超载');
  });

  test('RSS <description> carries the summary as escaped text, never as markup', () => {
    const item = makeSnapshot(950, { kind: 'notice', slug: 'rss', url: '/notices/rss/', title: '摘要注入', summary: '<img src=x onerror=alert(1)>摘要 & 说明' });
    const xml = renderRss({ items: [item], siteUrl: 'https://lianxin.example.cn', siteTitle: '连心', title: '', pagePath: '/', feedPath: '/feeds/all' } as never);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ cdataPropName: '#cdata' }).parse(xml) as { rss: { channel: { item: { description: { '#cdata': string } | string } } } };
    const d = parsed.rss.channel.item.description;
    const html = typeof d === 'string' ? d : d['#cdata'];
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;摘要 &amp; 说明');
  });

  test('the Weibo long text is the body text from a parse: attribute values with > never leak into it', () => {
    const item = makeSnapshot(951, { kind: 'notice', slug: 'weibo', url: '/notices/weibo/', title: '微博', summary: '', bodyHtml: '<p><a href="https://a.example/" title="a > b <c> secret">链接</a>正文</p><img src="/media/ab/x.jpg" alt="x > y">' });
    const pkg = buildWeiboPackage({ item, siteUrl: 'https://lianxin.example.cn' });
    expect(pkg.long_text).not.toContain('secret');
    expect(pkg.long_text).toContain('正文');
    expect(JSON.stringify(pkg)).not.toContain('secret');
  });
});

describe('login', () => {
  test('unknown user, wrong password and deactivated account get the same answer; too many failures get 429 with Retry-After', async () => {
    const admin = await loginAs(env.app, 'admin');
    const created = await admin.request('POST', '/api/users', { username: 'gone.editor', displayName: '停用', orgId: 'tinghu', roles: ['editor'], password: 'a-long-password-1' });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; version: number };
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { version: user.version, active: false })).status).toBe(200);
    const attempt = (username: string, password: string, ip = '10.9.9.9') => env.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': ip }, body: JSON.stringify({ username, password }) });
    const answers = await Promise.all([attempt('nobody.here', 'x-password'), attempt('chen.editor', 'wrong-password'), attempt('gone.editor', 'a-long-password-1')]);
    const bodies = await Promise.all(answers.map(async (r) => [r.status, ((await r.json()) as { error: { message: string } }).error.message]));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) last = await attempt('wang.editor', 'wrong', `10.8.8.${i}`);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
