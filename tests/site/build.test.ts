import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { HtmlValidate } from 'html-validate';
import { XMLParser } from 'fast-xml-parser';
import { buildSite } from '../../server/publish/service.ts';
import type { PublishedItem } from '../../server/publish/schema.ts';
import sharp from 'sharp';
import { listFiles, readText, searchSite, SITE_URL, writeSiteFixtures, XSS_TITLE } from './helpers.ts';
import type { MediaImage } from '../../server/media/schema.ts';
import { createApp } from '../../server/app.ts';
import { createDeps } from '../../server/context.ts';
import { loadConfig } from '../../server/config.ts';
import { createStore } from '../../server/store/index.ts';
import { exportWechat } from '../../server/exports/service.ts';

let outDir = '';
let dataDir = '';
let images: { body: MediaImage; cover: MediaImage };
let special: Record<string, PublishedItem> = {};
let items: PublishedItem[] = [];

beforeAll(async () => {
  const fixtures = await writeSiteFixtures();
  special = fixtures.special;
  items = fixtures.items;
  images = fixtures.images;
  dataDir = fixtures.dataDir;
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
    // the demo now holds live items (issue 13): the live column lists them instead of 暂无内容
    expect(page('/live/')).toContain('href="/live/');
  });

  test('every page carries canonical, Open Graph and Twitter card tags with absolute URLs', () => {
    for (const file of listFiles(outDir, '.html').filter((f) => !f.startsWith('exports/'))) {
      const html = readFileSync(join(outDir, file), 'utf8');
      expect(html, file).toMatch(/<link rel="canonical" href="https:\/\/lianxin\.example\.cn\//);
      // the one item with an uploaded cover uses the cover's JPEG instead of the share card (tested below)
      const image = file === 'notices/pictures/index.html' ? /media\/[0-9a-f]{2}\/[0-9a-f]{64}-w\d+/ : /cards\/[^"]+/;
      expect(html, file).toMatch(new RegExp(`<meta property="og:image" content="https:\\/\\/lianxin\\.example\\.cn\\/${image.source}\\.jpg"`));
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
    expect(page(special.xss!.url)).toContain('<img src="/media/ph/photo.jpg" alt="雷达图" loading="lazy" decoding="async" width="1600" height="900">');
  });

  test('an item page weighs at most 30 KB gzipped (HTML with its inlined CSS)', () => {
    for (const path of ['/rumors/item-1/', '/notices/item-3/', '/videos/item-2/', '/notices/pictures/']) {
      const html = page(path);
      const css = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => readText(outDir, m[1]!)).join('');
      expect(gzipSync(html + css).length, path).toBeLessThanOrEqual(30 * 1024);
    }
  });

  test('a Chinese query finds the matching pages through the static search index', async () => {
    const hits = await searchSite(outDir, '化工厂');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.startsWith('/rumors/'))).toBe(true);
    expect(await searchSite(outDir, '集合地点')).toContain(special.corrected!.url);
    // a word from the bodies: every body has it but the retracted item's, which is found by its note instead
    const body = await searchSite(outDir, '冰雹');
    expect(body.length).toBeGreaterThan(0);
    expect(body).not.toContain(special.retracted!.url);
    expect(await searchSite(outDir, '经核实信息有误')).toContain(special.retracted!.url);
  });

  test('writes the search index with its manifest, hashed files and the browser core beside search.js', () => {
    const manifest = JSON.parse(readText(outDir, '/search-index/manifest.json')) as { docs: number; shards: string[]; chunks: string[] };
    expect(manifest.docs).toBe(items.length);
    for (const name of [...manifest.shards, ...manifest.chunks]) expect(existsSync(join(outDir, 'search-index', name)), name).toBe(true);
    expect(readText(outDir, '/search.js')).toContain("from './search-core.js'");
    expect(readText(outDir, '/search-core.js')).toContain('export function rank');
    expect(existsSync(join(outDir, 'pagefind'))).toBe(false);
    expect(page(special.corrected!.url)).not.toContain('data-pagefind');
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

/** The attributes of the first `<tag …>` in html (values unescaped for &quot; &lt; &gt; &amp;). */
function attrsOf(html: string, tag: string): Record<string, string> {
  const m = new RegExp(`<${tag}\\b([^>]*)>`).exec(html);
  expect(m, tag).not.toBeNull();
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return Object.fromEntries([...m![1]!.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, unescape(a[2] ?? '')]));
}
const srcsetEntries = (srcset: string) => srcset.split(', ').map((e) => { const [url, w] = e.split(' '); return { url: url!, width: Number(/^(\d+)w$/.exec(w!)?.[1]) }; });

describe('responsive images on item pages', () => {
  const body = () => /<div class="body">(.*?)<\/div>/s.exec(page(special.pictures!.url))![1]!;

  test('an uploaded body image is a <picture>: WebP srcset over the stored widths, JPEG fallback, real size, lazy', async () => {
    const picture = /<picture>.*?<\/picture>/s.exec(body())?.[0] ?? '';
    const source = attrsOf(picture, 'source');
    expect(source.type).toBe('image/webp');
    expect(source.sizes).toMatch(/100vw/);
    const webp = srcsetEntries(source.srcset!);
    expect(webp.map((e) => e.width)).toEqual([480, 960, 1600]);
    const img = attrsOf(picture, 'img');
    const real = await sharp(join(dataDir, images.body.src)).metadata();
    expect([img.width, img.height]).toEqual([String(real.width), String(real.height)]);
    expect([img.width, img.height]).toEqual(['1800', '1000']); // not the editor's 10×10
    expect(img.loading).toBe('lazy');
    expect(img.decoding).toBe('async');
    expect(img.alt).toBe('积水点 "示意" <b>图</b> & 说明');
    expect(picture).not.toContain('<b>');
    const jpeg = srcsetEntries(img.srcset!);
    expect(jpeg.map((e) => e.width)).toEqual([480, 960, 1600]);
    for (const [entries, format] of [[webp, 'webp'], [jpeg, 'jpeg']] as const) {
      for (const e of entries) {
        const file = join(outDir, e.url);
        expect(existsSync(file), e.url).toBe(true);
        const meta = await sharp(file).metadata();
        expect([meta.format, meta.width], e.url).toEqual([format, e.width]);
      }
    }
    expect(existsSync(join(outDir, img.src!))).toBe(true);
  });

  test('every srcset URL is served by the app with its image content type', async () => {
    const app = createApp(createDeps({ store: createStore({ adapter: 'memory' }), config: loadConfig({}, { dataDir, siteUrl: SITE_URL }) }));
    const html = page(special.pictures!.url);
    const urls = [...html.matchAll(/srcset="([^"]+)"/g)].flatMap((m) => srcsetEntries(m[1]!).map((e) => e.url));
    expect(urls.length).toBe(12); // body and cover, 3 widths, WebP and JPEG
    for (const url of urls) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(url.endsWith('.webp') ? 'image/webp' : 'image/jpeg');
    }
  });

  test('an external image stays a plain lazy <img> without invented width/height', () => {
    expect(body()).toContain('<img src="https://elsewhere.example/radar.jpg" alt="外链雷达图" loading="lazy" decoding="async">');
  });

  test('an uploaded cover shows as a <picture> and gives og:image its 1600 px JPEG with the real size', () => {
    const html = page(special.pictures!.url);
    const cover = /<picture class="cover">.*?<\/picture>/s.exec(html)?.[0] ?? '';
    expect(attrsOf(cover, 'img')).toMatchObject({ width: '2000', height: '1200', loading: 'eager', fetchpriority: 'high' });
    const v = images.cover.variants.find((x) => x.width === 1600)!;
    expect(html).toContain(`<meta property="og:image" content="${SITE_URL}${v.jpeg}"`);
    expect(html).toContain('<meta property="og:image:width" content="1600"');
    expect(html).toContain(`<meta property="og:image:height" content="${v.height}"`);
    expect(page('/notices/item-3/')).toContain('<meta property="og:image:width" content="1200"');
  });

  test('the feed and the WeChat package keep a plain <img> (absolute URL / upload placeholder)', async () => {
    const rss = new XMLParser({ cdataPropName: '#cdata' }).parse(readText(outDir, '/feeds/tags/积水.xml')) as { rss: { channel: { item: { link: string; 'content:encoded': { '#cdata': string } } } } };
    const entry = rss.rss.channel.item;
    expect(entry.link).toBe(`${SITE_URL}${special.pictures!.url}`);
    const content = entry['content:encoded']['#cdata'];
    expect(content).toContain(`<img src="${SITE_URL}${images.body.src}" alt="积水点 &quot;示意&quot; <b>图</b> &amp; 说明"`);
    expect(content).not.toContain('<picture');
    const pkg = await exportWechat({ dataDir, siteDir: join(dataDir, 'wechat-site'), siteUrl: SITE_URL, item: special.pictures! });
    const a = pkg.articles[0]!;
    expect(a.images).toHaveLength(1);
    expect(a.content).toContain(`<img src="${a.images[0]!.placeholder}"`);
    expect(a.content).not.toMatch(/<picture|srcset/);
  });
});
