import { describe, expect, test } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderFeeds, renderJsonFeed, renderRss } from '../../server/feeds/service.ts';
import { makeSnapshot } from './fixtures.ts';
import { SITE_URL } from './helpers.ts';

const nasty = '<script>alert(1)</script> & 暴雨 😀 \u0000\u0008\u001b]]> 结束';
const items = [makeSnapshot(1, { title: nasty, tags: ['防汛', '天气'] }), makeSnapshot(2), makeSnapshot(3)];
const args = { items, siteUrl: SITE_URL, siteTitle: '连心', pagePath: '/', feedPath: '/feeds/all' };
const parser = new XMLParser({ ignoreAttributes: false, cdataPropName: '#cdata' });

type Cdata = { '#cdata': string | string[] } | Array<{ '#cdata': string }>;
type RssItem = { title: Cdata; link: string; 'content:encoded': Cdata; category: unknown };
/** Text of a CDATA node; a `]]>` inside splits it into several sections. */
const text = (node: Cdata) => (Array.isArray(node) ? node : [node]).flatMap((n) => n['#cdata']).join('');

describe('RSS 2.0', () => {
  test('is well-formed XML and keeps any title as text (control characters stripped)', () => {
    const xml = renderRss(args);
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parser.parse(xml) as { rss: { '@_version': string; channel: { item: RssItem[] } } };
    expect(feed.rss['@_version']).toBe('2.0');
    expect(text(feed.rss.channel.item[0]!.title)).toBe('<script>alert(1)</script> & 暴雨 😀 ]]> 结束');
  });

  test('carries full content in content:encoded with absolute URLs', () => {
    const feed = parser.parse(renderRss(args)) as { rss: { channel: { item: RssItem[] } } };
    const rumor = feed.rss.channel.item[0]!;
    expect(rumor.link).toBe(`${SITE_URL}/rumors/item-1/`);
    const html = text(rumor['content:encoded']);
    expect(html).toContain('识谣小贴士');
    expect(html).toContain('受强对流天气影响');
    expect(html).not.toMatch(/(src|href)="\/(?!\/)/);
  });

  test('writes one feed for everything, one per column and one per tag, each in RSS and JSON', () => {
    const paths = renderFeeds({ listed: items, siteUrl: SITE_URL, siteTitle: '连心' }).map((f) => f.path);
    for (const p of ['/feeds/all.xml', '/feeds/all.json', '/feeds/notices.xml', '/feeds/rumors.json', '/feeds/videos.xml', '/feeds/live.xml', '/feeds/tags/防汛.xml', '/feeds/tags/天气.json']) expect(paths).toContain(p);
  });

  test('skips tags that cannot be file names', () => {
    const paths = renderFeeds({ listed: [makeSnapshot(4, { tags: ['../etc', 'a/b'] })], siteUrl: SITE_URL, siteTitle: '连心' }).map((f) => f.path);
    expect(paths.some((p) => p.includes('..') || p.includes('a/b'))).toBe(false);
  });
});

describe('JSON Feed 1.1', () => {
  test('has the 1.1 version, absolute ids and full content_html', () => {
    const feed = JSON.parse(JSON.stringify(renderJsonFeed(args))) as { version: string; feed_url: string; items: Array<{ id: string; title: string; content_html: string; tags: string[] }> };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe(`${SITE_URL}/feeds/all.json`);
    expect(feed.items[0]).toMatchObject({ id: `${SITE_URL}/rumors/item-1/`, title: '<script>alert(1)</script> & 暴雨 😀 ]]> 结束', tags: ['防汛', '天气'] });
    expect(feed.items[0]!.content_html).toContain('识谣小贴士');
  });
});
