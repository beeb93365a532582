// Weibo's length rule, as its web publisher counts it (no Node-only imports: the editor reuses it).
//
// Sources: the counter in Weibo's web publisher works in half-width units and divides by two,
// rounding up — a Chinese character (any non-ASCII code unit) is 1, two ASCII characters are 1;
// see "新浪微博可以发140个字符?谁告诉你的!" (http://blog.sina.com.cn/s/blog_77e8d1350101dd97.html)
// for the half-width behaviour. Links are replaced by a t.cn short link when posted, so the
// publisher counts a URL longer than 41 half-width units as a fixed 20 units (10 characters) and a
// shorter one at its own length (the `getLength` routine of the publisher script, widely quoted as
// `urlLen = 20, min = 41`).

export const WEIBO_LIMIT = 140;
export const WEIBO_LONG_LIMIT = 2000;
const SHORT_LINK_UNITS = 20;
const URL_MIN_UNITS = 41;
const URL_PATTERN = /https?:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:[/?#][\x21-\x7E]*)?/g;

function halfUnits(text: string): number {
  let units = 0;
  for (const ch of text) units += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return units;
}

/** Weibo characters in `text`: CJK 1, ASCII ½ (rounded up), a link its short-link length. */
export function countWeibo(text: string): number {
  let units = 0;
  const rest = text.replace(URL_PATTERN, (url) => {
    const own = halfUnits(url);
    units += own > URL_MIN_UNITS ? SHORT_LINK_UNITS : own;
    return '';
  });
  return Math.ceil((units + halfUnits(rest)) / 2);
}

/** Cuts `text` (no links inside) to at most `max` Weibo characters, ending with `…` when cut. */
export function truncateWeibo(text: string, max: number): string {
  if (countWeibo(text) <= max) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countWeibo(`${chars.slice(0, mid).join('')}…`) <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${chars.slice(0, lo).join('')}…`;
}
