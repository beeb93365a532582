import type { PublishedItem } from '../publish/schema.ts';
import { verdicts } from '../publish/json-ld.ts';
import { absolutizeHtml, escapeHtml } from './text.ts';

/** Full item content as portable HTML with absolute URLs, for feeds (content:encoded, content_html). */
export function renderItemContentHtml(item: PublishedItem, siteUrl: string): string {
  const parts: string[] = [];
  for (const c of item.corrections) parts.push(`<p><strong>更正(${escapeHtml(c.at.slice(0, 10))})</strong>:${escapeHtml(c.note)}</p>`);
  if (item.summary) parts.push(`<p><strong>${escapeHtml(item.summary)}</strong></p>`);
  if (item.kind === 'video' && item.render) {
    const r = item.render;
    parts.push(`<p><video controls preload="metadata" width="${r.width}" height="${r.height}" poster="/${escapeHtml(r.poster)}" src="/${escapeHtml(r.file)}"></video></p>`);
  }
  if (item.kind === 'rumor-guide') {
    for (const c of item.claims) {
      const sources = c.sources.map((s) => `<a href="${escapeHtml(s.url)}">${escapeHtml(s.name)}</a>`).join('、');
      parts.push(`<h3>【${verdicts[c.verdict].label}】${escapeHtml(c.claim)}</h3><p>${escapeHtml(c.evidence)}</p>${sources ? `<p>来源：${sources}</p>` : ''}`);
    }
  }
  parts.push(item.bodyHtml);
  if (item.kind === 'rumor-guide' && item.tips.length) parts.push(`<h3>识谣小贴士</h3><ol>${item.tips.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ol>`);
  return absolutizeHtml(parts.join('\n'), siteUrl);
}
