import RSS from 'rss';
import type { PublishedItem } from '../publish/schema.ts';
import { cardPath } from '../publish/body-html.ts';
import { columns, columnOf, publishedDate, tagPath, tagSlug } from '../publish/columns.ts';
import { renderItemContentHtml } from './content-html.ts';
import { cleanText, escapeHtml } from './text.ts';

export const FEED_SIZE = 50;

export interface FeedArgs {
  items: PublishedItem[];
  siteUrl: string;
  siteTitle: string;
  /** Feed title suffix (`微公告`, `#防汛#`); the site title alone when absent. */
  title?: string;
  /** Site page the feed mirrors (`/notices/`). */
  pagePath: string;
  /** Feed path without extension (`/feeds/notices`). */
  feedPath: string;
}

const abs = (path: string, siteUrl: string) => new URL(path, siteUrl).href;

/** RSS 2.0 with full content in content:encoded; every string cleaned so any title stays valid XML. */
export function renderRss({ items, siteUrl, siteTitle, title, pagePath, feedPath }: FeedArgs): string {
  const feed = new RSS({
    title: cleanText(title ? `${siteTitle} · ${title}` : siteTitle),
    description: cleanText(`${siteTitle}:权威公告、谣言识破与微视频`),
    feed_url: abs(`${feedPath}.xml`, siteUrl),
    site_url: abs(pagePath, siteUrl),
    language: 'zh-CN',
    ttl: 10,
    custom_namespaces: { content: 'http://purl.org/rss/1.0/modules/content/' },
    ...(items[0] ? { pubDate: publishedDate(items[0]) } : {}),
  });
  for (const item of items.slice(0, FEED_SIZE)) {
    feed.item({
      title: cleanText(item.title),
      // readers render <description> as HTML: the plain-text summary is escaped, not trusted
      description: escapeHtml(item.summary || item.title),
      url: abs(item.url, siteUrl),
      guid: abs(item.url, siteUrl),
      categories: item.tags.map(cleanText),
      author: cleanText(item.orgName),
      date: publishedDate(item),
      enclosure: { url: abs(cardPath(item.id), siteUrl), type: 'image/jpeg' },
      custom_elements: [{ 'content:encoded': { _cdata: cleanText(renderItemContentHtml(item, siteUrl)) } }],
    });
  }
  return feed.xml({ indent: false });
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
export function renderJsonFeed({ items, siteUrl, siteTitle, title, pagePath, feedPath }: FeedArgs): object {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: cleanText(title ? `${siteTitle} · ${title}` : siteTitle),
    home_page_url: abs(pagePath, siteUrl),
    feed_url: abs(`${feedPath}.json`, siteUrl),
    language: 'zh-CN',
    items: items.slice(0, FEED_SIZE).map((item) => ({
      id: abs(item.url, siteUrl),
      url: abs(item.url, siteUrl),
      title: cleanText(item.title),
      summary: cleanText(item.summary),
      content_html: cleanText(renderItemContentHtml(item, siteUrl)),
      image: abs(cardPath(item.id), siteUrl),
      date_published: publishedDate(item),
      date_modified: item.updatedAt,
      tags: item.tags.map(cleanText),
      authors: [{ name: cleanText(item.orgName) }],
    })),
  };
}

export interface FeedFile {
  /** Site path (`/feeds/all.xml`). */
  path: string;
  body: string;
}

/** Every feed of the site: all, one per column, one per tag, each as RSS and JSON Feed. */
export function renderFeeds({ listed, siteUrl, siteTitle, tags }: { listed: PublishedItem[]; siteUrl: string; siteTitle: string; tags?: string[] }): FeedFile[] {
  const sets: Array<Omit<FeedArgs, 'siteUrl' | 'siteTitle'>> = [{ items: listed, pagePath: '/', feedPath: '/feeds/all' }];
  for (const c of columns) sets.push({ items: listed.filter((i) => columnOf(i) === c.key), title: c.name, pagePath: `/${c.key}/`, feedPath: `/feeds/${c.key}` });
  const allTags = (tags ?? [...new Set(listed.flatMap((i) => i.tags))]).filter(isSafeSegment);
  for (const tag of allTags) sets.push({ items: listed.filter((i) => i.tags.includes(tag)), title: `#${tag}#`, pagePath: tagPath(tag), feedPath: `/feeds/tags/${tagSlug(tag)}` });
  return sets.flatMap((s) => [
    { path: `${s.feedPath}.xml`, body: renderRss({ ...s, siteUrl, siteTitle }) },
    { path: `${s.feedPath}.json`, body: JSON.stringify(renderJsonFeed({ ...s, siteUrl, siteTitle })) },
  ]);
}

/** Tags become file names: nothing that could leave the feeds folder. */
export function isSafeSegment(tag: string): boolean {
  return !/[/\\\u0000]/.test(tag) && !tag.startsWith('.');
}
