import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { HtmlValidate } from 'html-validate';
import { XMLParser } from 'fast-xml-parser';
import { buildSite } from '../../server/publish/service.ts';
import type { PublishedItem } from '../../server/publish/schema.ts';
import { listFiles, readText, searchSite, SITE_URL, writeSiteFixtures, XSS_TITLE } from './helpers.ts';

let outDir = '';
let special: Record<string, PublishedItem> = {};
let items: PublishedItem[] = [];

beforeAll(async () => {
  const fixtures = await writeSiteFixtures();
  special = fixtures.special;
  items = fixtures.items;
  outDir = join(fixtures.dataDir, 'dist');
  await buildSite({ dataDir: fixtures.dataDir, outDir, siteUrl: SITE_URL, siteTitle: '连心' });
}, 300_000);

const page = (path: string) => readText(outDir, `${path}index.html`);
const jsonLd = (html: string): Array<Record<string, unknown>> => {
  const m = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html);
  if (!m) return [];
  const data = JSON.parse(m[1]!) as Record<string, unknown> | Array<Record<string, unknown>>;
  return Array.isArray(data) ? data : [data];
};

describe('site build', () => {
  test('every HTML page validates with html-validate', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    const pages = listFiles(outDir, '.html').filter((f) => !f.startsWith('exports/'));
    expect(pages.length).toBeGreaterThan(60);
    const failures: string[] = [];
    for (const file of pages) {
      const report = await validator.validateString(readFileSync(join(outDir, file), 'utf8'), file);
      for (const r of report.results) for (const m of r.messages) failures.push(`${file}:${m.line} ${m.ruleId} ${m.message}`);
    }
    expect(failures).toEqual([]);
  });

  test('renders every column list with pagination, item pages, tag pages, about and 404', () => {
    for (const path of ['/', '/notices/', '/rumors/', '/videos/', '/live/', '/about/', '/search/', '/notices/page/2/']) expect(existsSync(join(outDir, path, 'index.html')), path).toBe(true);
    expect(existsSync(join(outDir, '404.html'))).toBe(true);
    for (const item of items) expect(existsSync(join(outDir, item.url, 'index.html')), item.url).toBe(true);
    expect(page('/tags/防汛/')).toContain('#防汛#');
    expect(page('/notices/')).toContain('href="/notices/page/2/"');
    expect(page('/live/')).toContain('暂无内容');
  });

  test('every page carries canonical, Open Graph and Twitter card tags with absolute URLs', () => {
    for (const file of listFiles(outDir, '.html').filter((f) => !f.startsWith('exports/'))) {
      const html = readFileSync(join(outDir, file), 'utf8');
      expect(html, file).toMatch(/<link rel="canonical" href="https:\/\/lianxin\.example\.cn\//);
      expect(html, file).toMatch(/<meta property="og:image" content="https:\/\/lianxin\.example\.cn\/cards\/[^"]+\.jpg"/);
      expect(html, file).toContain('<meta name="twitter:card" content="summary_large_image"');
      expect(html, file).toContain('<html lang="zh-CN"');
    }
  });

  test('a title with a script tag appears as text on the page, never as markup', () => {
    const html = page(special.xss!.url);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const outsideAttributes = html.replace(/="[^"]*"/g, '=""').replace(/<script type="application\/ld\+json">.*?<\/script>/s, '');
    expect(outsideAttributes).not.toContain('<script>alert(1)');
    expect(html).toContain('<meta property="og:title" content="<script>alert(1)</script> 台风“贝碧嘉”来袭 &amp; 防御指南');
    expect(jsonLd(html)[0]!.headline).toContain('<script>alert(1)</script>');
  });

  test('notices carry NewsArticle JSON-LD', () => {
    const [ld] = jsonLd(page('/notices/item-3/'));
    expect(ld).toMatchObject({ '@context': 'https://schema.org', '@type': 'NewsArticle', mainEntityOfPage: `${SITE_URL}/notices/item-3/` });
    expect(ld!.datePublished).toBeTruthy();
  });

  test('rumor guides show claim, verdict badge, evidence, sources and tips, with one ClaimReview per claim', () => {
    const html = page('/rumors/item-1/');
    expect(html).toContain('class="verdict v-false">谣言</span>');
    expect(html).toContain('class="verdict v-misleading">误导</span>');
    expect(html).toContain('市应急管理局通报');
    expect(html).toContain('识谣小贴士');
    const lds = jsonLd(html);
    expect(lds).toHaveLength(2);
    for (const ld of lds) {
      expect(ld['@type']).toBe('ClaimReview');
      expect([...String(ld.claimReviewed)].length).toBeLessThan(75);
      expect(ld.reviewRating).toMatchObject({ '@type': 'Rating', alternateName: expect.any(String) });
    }
    expect((lds[0]!.reviewRating as { alternateName: string }).alternateName).toBe('谣言');
  });

  test('video pages embed the render with poster, size and preload=metadata, and VideoObject JSON-LD', () => {
    const html = page('/videos/item-2/');
    expect(html).toMatch(/<video controls preload="metadata" playsinline poster="\/media\/ab\/[a-f0-9]+\.jpg" width="720" height="1280">/);
    const [ld] = jsonLd(html);
    expect(ld).toMatchObject({ '@type': 'VideoObject', duration: 'PT1M3S', uploadDate: expect.any(String), contentUrl: expect.stringMatching(/^https:\/\/.+\.mp4$/) });
    expect(ld!.thumbnailUrl).toEqual([expect.stringMatching(/^https:\/\/.+\.jpg$/)]);
    expect(ld!.description).toBeTruthy();
  });

  test('a retracted item keeps its URL and shows the note instead of the body; it leaves the lists', () => {
    const html = page(special.retracted!.url);
    expect(html).toContain('本文已撤回');
    expect(html).toContain('经核实信息有误,本文撤回。');
    expect(html).not.toContain('受强对流天气影响');
    expect(html).not.toContain('application/ld+json');
    const lists = [1, 2, 3].map((n) => (n === 1 ? page('/notices/') : existsSync(join(outDir, `notices/page/${n}/index.html`)) ? page(`/notices/page/${n}/`) : '')).join('');
    expect(lists).not.toContain(special.retracted!.url);
    expect(lists).toContain(special.corrected!.url);
  });

  test('a corrected item shows 更正 with its date', () => {
    expect(page(special.corrected!.url)).toMatch(/<strong>更正<\/strong> <time datetime="2024-06-24T03:00:00Z">2024年6月24日<\/time>:集合地点改为市民广场东门。/);
  });

  test('images in the body load lazily with width and height', () => {
    expect(page(special.xss!.url)).toMatch(/<img loading="lazy" decoding="async" src="\/media\/ph\/photo.jpg" alt="雷达图" width="1600" height="900">/);
  });

  test('an item page weighs at most 30 KB gzipped (HTML with its inlined CSS)', () => {
    for (const path of ['/rumors/item-1/', '/notices/item-3/', '/videos/item-2/']) {
      const html = page(path);
      const css = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => readText(outDir, m[1]!)).join('');
      expect(gzipSync(html + css).length, path).toBeLessThanOrEqual(30 * 1024);
    }
  });

  test('a Chinese query finds the matching pages through the pagefind index', async () => {
    const hits = await searchSite(outDir, '化工厂');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.startsWith('/rumors/'))).toBe(true);
    expect(await searchSite(outDir, '集合地点')).toContain(special.corrected!.url);
  });

  test('writes sitemap.xml with every item and robots.txt pointing at it', () => {
    const sitemap = new XMLParser().parse(readText(outDir, '/sitemap.xml')) as { urlset: { url: Array<{ loc: string }> } };
    const locs = sitemap.urlset.url.map((u) => u.loc);
    for (const item of items) expect(locs).toContain(`${SITE_URL}${item.url}`);
    expect(readText(outDir, '/robots.txt')).toContain(`Sitemap: ${SITE_URL}/sitemap.xml`);
  });

  test('writes a share card per item and the feeds and export lists beside the pages', () => {
    for (const item of items) expect(existsSync(join(outDir, 'cards', `${item.id}.jpg`)), item.id).toBe(true);
    const rss = new XMLParser().parse(readText(outDir, '/feeds/notices.xml')) as { rss: { channel: { item: Array<{ title: string }> } } };
    expect(rss.rss.channel.item.map((i) => i.title)).toContain(XSS_TITLE.replace('\u0007', ''));
    const wechat = JSON.parse(readText(outDir, '/feeds/wechat.json')) as { items: Array<{ id: string }>; skipped: Array<{ id: string; reason: string }> };
    expect(wechat.items.length).toBeGreaterThan(0);
    expect(JSON.parse(readText(outDir, '/feeds/weibo.json')).items.length).toBe(20);
  });
});
