import { publishedDate, truncate } from '../../publish/text.ts';
import type { JsonLdContext, Published } from '../types.ts';
import type { PublicUpdate } from './site-files.ts';
import type { LiveItem } from './schema.ts';

const JSONLD_UPDATES = 50;

/** schema.org LiveBlogPosting: coverage times and the newest updates as BlogPosting entries. */
export function liveJsonLd(item: Published<LiveItem>, updates: PublicUpdate[], ctx: JsonLdContext): object[] {
  const url = new URL(item.url, ctx.siteUrl).href;
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  const shown = updates.filter((u) => u.state === 'published');
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
      dateModified: shown[0]?.publishedAt ?? item.updatedAt,
      coverageStartTime: item.live.coverageStart,
      ...(item.live.coverageEnd ? { coverageEndTime: item.live.coverageEnd } : {}),
      ...(item.live.place ? { contentLocation: { '@type': 'Place', name: item.live.place } } : {}),
      author: { '@type': 'Organization', name: item.orgName },
      publisher: { '@type': 'Organization', name: ctx.siteTitle },
      inLanguage: 'zh-CN',
      liveBlogUpdate: shown.slice(0, JSONLD_UPDATES).map((u) => ({
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
