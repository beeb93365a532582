import type { PublishedItem, Verdict } from './schema.ts';
import { publishedDate } from './columns.ts';
import { VERDICT_LABELS } from '../content/schema.ts';

/** Chinese verdict label and the 1–5 rating Google's ClaimReview guidance maps it to. */
export const verdicts: Record<Verdict, { label: string; rating: number }> = {
  false: { label: VERDICT_LABELS.false, rating: 1 },
  misleading: { label: VERDICT_LABELS.misleading, rating: 2 },
  unproven: { label: VERDICT_LABELS.unproven, rating: 3 },
  true: { label: VERDICT_LABELS.true, rating: 5 },
};

interface LdContext {
  siteUrl: string;
  siteTitle: string;
  imageUrl: string;
}

/** Shortens to under `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length < max ? chars.join('') : `${chars.slice(0, max - 2).join('')}…`;
}

/** ISO 8601 duration (`PT1M2S`) from seconds. */
export function isoDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${rest || (!h && !m) ? `${rest}S` : ''}`;
}

/** schema.org objects for an item page: NewsArticle, ClaimReview per claim, or VideoObject. */
export function itemJsonLd(item: PublishedItem, ctx: LdContext): object[] {
  const url = new URL(item.url, ctx.siteUrl).href;
  const org = { '@type': 'Organization', name: item.orgName };
  const published = publishedDate(item);
  if (item.kind === 'rumor-guide') {
    return item.claims.map((c) => ({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      url,
      claimReviewed: truncate(c.claim, 75),
      datePublished: published,
      author: org,
      reviewRating: { '@type': 'Rating', ratingValue: verdicts[c.verdict].rating, bestRating: 5, worstRating: 1, alternateName: verdicts[c.verdict].label },
      itemReviewed: { '@type': 'Claim', ...(c.sources[0] ? { appearance: c.sources.map((s) => s.url) } : {}) },
    }));
  }
  if (item.kind === 'video' && item.render) {
    return [
      {
        '@context': 'https://schema.org',
        '@type': 'VideoObject',
        name: item.title,
        description: item.summary || item.title,
        thumbnailUrl: [new URL(`/${item.render.poster}`, ctx.siteUrl).href],
        uploadDate: published,
        duration: isoDuration(item.render.duration),
        contentUrl: new URL(`/${item.render.file}`, ctx.siteUrl).href,
        width: item.render.width,
        height: item.render.height,
        publisher: org,
      },
    ];
  }
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
