import type { PublishedItem } from '../publish/schema.ts';
import { writeSiteFile } from '../publish/site-files.ts';
import { escapeHtml } from '../feeds/text.ts';

/** The page left at an old address after an admin changed a published item's slug: it sends readers (and crawlers, via canonical) on. */
export function redirectPage(to: string, title: string): string {
  const href = escapeHtml(to);
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><link rel="canonical" href="${href}"><meta http-equiv="refresh" content="0; url=${href}"><meta name="robots" content="noindex"></head><body><p>本文地址已更改：<a href="${href}">${escapeHtml(title)}</a></p></body></html>`;
}

/** Writes a redirect page at every former address of the items (after each build, so a full build keeps them). */
export function writeSlugRedirects({ outDir, siteUrl, items }: { outDir: string; siteUrl: string; items: PublishedItem[] }): void {
  for (const item of items) {
    const previous = (item as { previousSlugs?: string[] }).previousSlugs ?? [];
    for (const old of previous) {
      if (!/^[a-z0-9][a-z0-9-]{0,79}$/.test(old) || old === item.slug) continue;
      const oldPath = item.url.replace(/[^/]+\/$/, `${old}/`);
      writeSiteFile(outDir, `${oldPath}index.html`, redirectPage(new URL(item.url, siteUrl).href, item.title));
    }
  }
}
