/**
 * Weibo's length rule, shared by the export package and the editor's live counter (no Node
 * imports, so it bundles for the browser): a CJK or other wide character counts 1, two
 * half-width (ASCII) characters count 1 (rounded up), and every link counts as the length of the
 * t.cn short link Weibo replaces it with — 20 half-width characters, i.e. 10.
 *
 * Sources: the half-width rule is what Weibo's publisher shows ("two letters leave 139"), see
 * "新浪微博可以发140个字符?谁告诉你的!" (http://blog.sina.com.cn/s/blog_77e8d1350101dd97.html);
 * the link rule follows the publisher's counter, which replaces each URL by its t.cn short link
 * (`http://t.cn/XXXXXXX`, 20 half-width characters) before counting.
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

/** Cuts `text` to at most `max` Weibo characters, ending with `…` when cut. */
export function truncateWeibo(text: string, max: number): string {
  if (weiboLength(text) <= max) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (weiboLength(`${chars.slice(0, mid).join('')}…`) <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${chars.slice(0, lo).join('')}…`;
}
