import { truncate } from '../publish/json-ld.ts';
import { publishedDate } from '../publish/columns.ts';
import type { PublishedItem } from '../publish/schema.ts';
import type { PublicUpdate } from './site-files.ts';

const JSONLD_UPDATES = 50;

/** schema.org LiveBlogPosting for a live page: coverage times and the newest updates as BlogPosting entries. */
export function liveJsonLd(item: Extract<PublishedItem, { kind: 'live' }>, updates: PublicUpdate[], ctx: { siteUrl: string; siteTitle: string; imageUrl: string }): object[] {
  const url = new URL(item.url, ctx.siteUrl).href;
  const org = { '@type': 'Organization', name: item.orgName };
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return [
    {
      '@context': 'https://schema.org',
      '@type': 'LiveBlogPosting',
      headline: truncate(item.title, 110),
      description: item.summary || item.title,
      url,
      mainEntityOfPage: url,
      image: [ctx.imageUrl],
      datePublished: publishedDate(item),
      dateModified: updates[0]?.publishedAt ?? item.updatedAt,
      coverageStartTime: item.live.coverageStart,
      ...(item.live.coverageEnd ? { coverageEndTime: item.live.coverageEnd } : {}),
      ...(item.live.place ? { contentLocation: { '@type': 'Place', name: item.live.place } } : {}),
      author: org,
      publisher: { '@type': 'Organization', name: ctx.siteTitle },
      inLanguage: 'zh-CN',
      liveBlogUpdate: updates
        .filter((u) => u.state === 'published')
        .slice(0, JSONLD_UPDATES)
        .map((u) => ({
          '@type': 'BlogPosting',
          headline: truncate(`${u.label}：${text(u.html)}`, 110),
          datePublished: u.publishedAt,
          ...(u.corrections.length ? { dateModified: u.corrections.at(-1)!.at } : {}),
          articleBody: text(u.html),
          url: `${url}#u-${u.id}`,
        })),
    },
  ];
}
