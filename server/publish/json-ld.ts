import type { PublishedItem } from './schema.ts';
import { kindRegistry } from '../kinds/registry.ts';
import { publishedDate, truncate } from './text.ts';

export { isoDuration, truncate } from './text.ts';
export { verdicts } from '../kinds/rumor-guide/schema.ts';

interface LdContext {
  siteUrl: string;
  siteTitle: string;
  imageUrl: string;
}

/** schema.org objects for an item page: the kind's own (ClaimReview per claim, VideoObject, …) or a NewsArticle. */
export function itemJsonLd(item: PublishedItem, ctx: LdContext): object[] {
  const url = new URL(item.url, ctx.siteUrl).href;
  const org = { '@type': 'Organization', name: item.orgName };
  const published = publishedDate(item);
  const own = kindRegistry.find(item.kind)?.jsonLd(item, ctx);
  if (own) return own;
  return [
    {
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: truncate(item.title, 110),
      description: item.summary,
      image: [ctx.imageUrl],
      datePublished: published,
      dateModified: item.corrections.at(-1)?.at ?? item.updatedAt,
      author: org,
      publisher: { '@type': 'Organization', name: ctx.siteTitle },
      mainEntityOfPage: url,
      inLanguage: 'zh-CN',
    },
  ];
}

/** JSON for a `<script type="application/ld+json">`: `<` escaped so no text can close the tag. */
export function serializeJsonLd(data: object[]): string {
  const one = data.length === 1 ? data[0] : data;
  return JSON.stringify(one).replace(/</g, '\\u003c').replace(/\u2028|\u2029/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}
