import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import sharp from 'sharp';
import { exportWechat, exportWeibo } from '../../server/exports/service.ts';
import { weiboLength, truncateWeibo } from '../../server/exports/weibo-count.ts';
import { makeSnapshot } from './fixtures.ts';
import { SITE_URL, writeMediaPhoto, XSS_TITLE } from './helpers.ts';

async function wechatFor(over: Parameters<typeof makeSnapshot>[1]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-export-'));
  const photo = await writeMediaPhoto(dataDir);
  const item = makeSnapshot(7, {
    kind: 'notice',
    body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '正文 <b>不是标签</b>', marks: [{ type: 'bold' }] }] }, { type: 'image', attrs: { src: photo, alt: '图' } }, { type: 'image', attrs: { src: 'https://elsewhere.example/x.jpg' } }] },
    ...over,
  });
  const siteDir = join(dataDir, 'site');
  return { pkg: await exportWechat({ dataDir, siteDir, siteUrl: SITE_URL, item }), siteDir, item };
}

describe('WeChat package', () => {
  test('fits draft/add limits with inline styles only and images listed for upload', async () => {
    const { pkg, siteDir, item } = await wechatFor({ variants: { wechat: { title: XSS_TITLE.slice(0, 25) } } });
    const a = pkg.articles[0]!;
    expect([...a.title].length).toBeLessThanOrEqual(32);
    expect(a.title).toBe(XSS_TITLE.slice(0, 25));
    expect([...a.author].length).toBeLessThanOrEqual(16);
    expect([...a.digest].length).toBeLessThanOrEqual(128);
    expect(a.content.length).toBeLessThan(20_000);
    expect(a.content).not.toMatch(/<(script|iframe|form|style)\b|\sclass=/i);
    expect(a.content).toContain('正文 &lt;b&gt;不是标签&lt;/b&gt;');
    expect(a.content_source_url).toBe(`${SITE_URL}${item.url}`);
    expect(a.images).toHaveLength(1);
    expect(a.content).toContain(`src="${a.images[0]!.placeholder}"`);
    expect(a.content).not.toContain('elsewhere.example');
    for (const img of [...a.images, a.thumb]) {
      const file = readFileSync(join(siteDir, 'exports', 'wechat', item.id, img.file));
      expect(file.length).toBeLessThan(1024 * 1024);
      expect(['jpeg', 'png']).toContain((await sharp(file).metadata()).format);
      expect(img.url).toBe(`${SITE_URL}/exports/wechat/${item.id}/${img.file}`);
    }
    expect(existsSync(join(siteDir, 'exports', 'wechat', item.id, 'preview.html'))).toBe(true);
  });

  test('re-encodes an image over 1 MB to a JPEG under it', async () => {
    const { pkg } = await wechatFor({});
    expect(pkg.articles[0]!.images[0]!.width).toBeLessThanOrEqual(1080);
  });

  test('a title over 32 characters without a short wechat title is an error naming the field', async () => {
    await expect(wechatFor({ title: '关于做好二〇二四年汛期城区低洼地段积水点排查和应急物资储备工作的通知', variants: {} })).rejects.toThrow(/^variants\.wechat\.title: 微信标题最多 32 个字/);
  });

  test('a title with a script tag stays text in the content and the preview', async () => {
    const { pkg, siteDir, item } = await wechatFor({ title: XSS_TITLE, summary: '<script>alert(1)</script>', variants: { wechat: { title: '<script>alert(1)</script>' } } });
    expect(pkg.articles[0]!.title).toBe('<script>alert(1)</script>');
    expect(pkg.articles[0]!.content).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const preview = readFileSync(join(siteDir, 'exports', 'wechat', item.id, 'preview.html'), 'utf8');
    expect(preview).not.toContain('<script>');
  });
});

describe('Weibo package', () => {
  test('counts the Weibo way: CJK 1, two ASCII 1, a link as its short link', () => {
    expect(weiboLength('暴雨预警')).toBe(4);
    expect(weiboLength('ab')).toBe(1);
    expect(weiboLength('abc')).toBe(2);
    expect(weiboLength('看 https://lianxin.example.cn/notices/a-very-long-slug-that-goes-on-and-on/')).toBe(12); // 看 2 + space 1 + link 20 half-widths
    expect(weiboLength(truncateWeibo('很'.repeat(300), 140))).toBe(140);
  });

  test('fits the post in 140 with #话题# tags and the page link, long text within 2000', () => {
    const item = makeSnapshot(10, { title: XSS_TITLE, summary: '这是一段很长的摘要。'.repeat(30), tags: ['防汛', '天气'] });
    const pkg = exportWeibo({ siteUrl: SITE_URL, item });
    expect(weiboLength(pkg.text)).toBeLessThanOrEqual(140);
    expect(pkg.text).toContain('#防汛##天气#');
    expect(pkg.text).toContain(`${SITE_URL}${item.url}`);
    expect(pkg.text).toContain('<script>alert(1)</script>');
    expect(pkg.text).not.toContain('\u0007');
    expect(weiboLength(pkg.long_text)).toBeLessThanOrEqual(2000);
    expect(pkg.long_text).toContain('受强对流天气影响');
    expect(pkg.images.length).toBeGreaterThan(0);
    expect(pkg.images.length).toBeLessThanOrEqual(9);
  });

  test('refuses a retracted item', () => {
    expect(() => exportWeibo({ siteUrl: SITE_URL, item: makeSnapshot(11, { status: 'retracted', retraction: { at: '2024-06-24T00:00:00Z', note: '撤回' } }) })).toThrow(/已撤回/);
  });
});
