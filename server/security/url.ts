/**
 * One URL rule for every URL an editor writes (body links and images, cover, claim sources):
 * absolute http(s) with a host, or a site path starting with a single `/`. Characters that could
 * end an attribute or confuse a parser (`<`, `>`, quotes, backticks, backslashes, whitespace,
 * controls) are refused outright rather than escaped, so one missed escape elsewhere is not enough.
 */
const FORBIDDEN = /[\u0000-\u0020\u007f-\u009f<>"'`\\\u2028\u2029\ufeff]/;

export function isSafeUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2000) return false;
  if (FORBIDDEN.test(url)) return false;
  if (url.startsWith('/')) return !url.startsWith('//');
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname.length > 0 && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

export const SAFE_URL_MESSAGE = '只允许 http(s) 或以 / 开头的站内地址，且不能含空白、引号、尖括号或反斜杠';
