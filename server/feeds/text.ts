import { htmlToPlainText } from '../security/html.ts';
import { stripXmlInvalid } from '../security/text.ts';
/** Removes what XML 1.0 cannot carry (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F). */
export function cleanText(text: string): string {
  return stripXmlInvalid(text);
}

export function escapeHtml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Rewrites root-relative src/href in sanitized HTML to absolute URLs on the site. */
export function absolutizeHtml(html: string, siteUrl: string): string {
  const origin = siteUrl.replace(/\/$/, '');
  return html.replace(/\b(src|href|poster)="\/(?!\/)/g, `$1="${origin}/`);
}

/** Plain text of an HTML fragment (parsed with parse5: tags dropped, entities decoded, attributes never leak). */
export function htmlToText(html: string): string {
  return htmlToPlainText(html);
}
