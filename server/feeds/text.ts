/** Removes what XML 1.0 cannot carry (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F). */
export function cleanText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

export function escapeHtml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Rewrites root-relative src/href in sanitized HTML to absolute URLs on the site. */
export function absolutizeHtml(html: string, siteUrl: string): string {
  const origin = siteUrl.replace(/\/$/, '');
  return html.replace(/\b(src|href|poster)="\/(?!\/)/g, `$1="${origin}/`);
}

/** Plain text of an HTML fragment (tags dropped, common entities decoded). */
export function htmlToText(html: string): string {
  return html
    .replace(/<\/(p|h[1-6]|li|blockquote|div)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|#(\d+));/g, (_, name: string, code?: string) => (code ? String.fromCodePoint(Number(code)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? ''))
    .replace(/\n{2,}/g, '\n')
    .trim();
}
