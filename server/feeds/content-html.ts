import type { PublishedItem } from '../publish/schema.ts';
import { kindHtml } from '../kinds/registry.ts';
import { absolutizeHtml, escapeHtml } from './text.ts';

/** Full item content as portable HTML with absolute URLs, for feeds (content:encoded, content_html). */
export function renderItemContentHtml(item: PublishedItem, siteUrl: string): string {
  const parts: string[] = [];
  for (const c of item.corrections) parts.push(`<p><strong>更正(${escapeHtml(c.at.slice(0, 10))})</strong>:${escapeHtml(c.note)}</p>`);
  if (item.summary) parts.push(`<p><strong>${escapeHtml(item.summary)}</strong></p>`);
  const own = kindHtml(item, 'feed');
  parts.push(...own.before, item.bodyHtml, ...own.after);
  return absolutizeHtml(parts.join('\n'), siteUrl);
}
