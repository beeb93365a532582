/**
 * Characters XML 1.0 cannot carry (C0 controls but tab/newline/CR, U+FFFE/U+FFFF and other
 * noncharacters, lone surrogates). They break the share card (SVG), docx, RSS and sitemap.
 */
export const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uFDD0-\uFDEF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes what XML cannot carry (and DEL), for text written into XML or HTML. */
export function stripXmlInvalid(text: string): string {
  return text.replace(XML_INVALID, '').replace(/\u007F/g, '');
}

/** True when the text carries a character that XML (and so the site, feeds and docx) cannot hold. */
export function hasXmlInvalid(text: string): boolean {
  XML_INVALID.lastIndex = 0;
  const found = XML_INVALID.test(text) || text.includes('\u007F');
  XML_INVALID.lastIndex = 0;
  return found;
}

/** Single-line text (titles, tags, names): no line breaks or other control characters at all. */
export function hasControlChars(text: string): boolean {
  return /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(text) || hasXmlInvalid(text);
}

/** A deep copy with every string cleaned of what XML cannot carry (for documents built from many fields: docx, reports). */
export function stripXmlInvalidDeep<T>(value: T): T {
  if (typeof value === 'string') return stripXmlInvalid(value) as T;
  if (Array.isArray(value)) return value.map(stripXmlInvalidDeep) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripXmlInvalidDeep(v)])) as T;
  }
  return value;
}
