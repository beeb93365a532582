/**
 * Weibo's length rule, shared by the export package and the editor's live counter (no Node
 * imports, so it bundles for the browser): a CJK or other wide character counts 1, two
 * half-width (ASCII) characters count 1 (rounded up), and every link counts as the length of the
 * t.cn short link Weibo replaces it with — 20 half-width characters, i.e. 10.
 */
export const WEIBO_LIMIT = 140;
export const WEIBO_LONG_LIMIT = 2000;
export const WEIBO_LINK_HALF_WIDTHS = 20;

const LINK = /https?:\/\/[^\s\u3000-\u303f\uff00-\uffef]+/gi;

export function weiboLength(text: string): number {
  let halfWidths = 0;
  const withoutLinks = text.replace(LINK, () => {
    halfWidths += WEIBO_LINK_HALF_WIDTHS;
    return '';
  });
  for (const ch of withoutLinks) halfWidths += ch.codePointAt(0)! <= 0x7f ? 1 : 2;
  return Math.ceil(halfWidths / 2);
}
