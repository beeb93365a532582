import { DEFAULT_CATEGORIES, PLATFORM_LABELS, PLATFORMS, type ConcernInput, type Platform } from './schema.ts';
import type { ParseOptions } from './intake.ts';

export const FIELDS = ['text', 'platform', 'url', 'category', 'district', 'capturedAt', 'author'] as const;
export type Field = (typeof FIELDS)[number];

const PLATFORM_BY_NAME = new Map<string, Platform>([
  ...PLATFORMS.map((p) => [p, p] as const),
  ...PLATFORMS.map((p) => [PLATFORM_LABELS[p], p] as const),
  ['微信公众号', 'wechat'], ['西祠', 'forum-xici'], ['论坛', 'forum-other'], ['580', 'site580'], ['12345', 'hotline'],
]);

/** Field checks shared by the import and the quick form; returns the first problem, naming its field. */
export function checkConcernFields(
  value: Partial<Record<Field, string>>,
  options: ParseOptions,
): { input: ConcernInput } | { issue: { path: Field; message: string } } {
  const fail = (path: Field, message: string) => ({ issue: { path, message } });
  if (!value.text) return fail('text', '内容不能为空');
  if ([...value.text].length > 2000) return fail('text', '内容不能超过 2000 字');
  if (!value.platform) return fail('platform', `来源平台不能为空，可用：${PLATFORMS.join(', ')}`);
  const platform = PLATFORM_BY_NAME.get(value.platform) ?? PLATFORM_BY_NAME.get(value.platform.toLowerCase());
  if (!platform) return fail('platform', `未知平台 “${value.platform}”，可用：${PLATFORMS.join(', ')}`);
  if (value.url !== undefined && !isHttpUrl(value.url)) return fail('url', `不是有效的 http(s) 链接：“${value.url}”`);
  const categories = options.categories ?? DEFAULT_CATEGORIES;
  if (value.category !== undefined && !categories.includes(value.category)) {
    return fail('category', `未知类别 “${value.category}”，可用：${categories.join('、')}`);
  }
  const districts = options.districts ?? [];
  if (value.district !== undefined && districts.length > 0 && !districts.includes(value.district)) {
    return fail('district', `未知区县 “${value.district}”，可用：${districts.join('、')}`);
  }
  let capturedAt: string | undefined;
  if (value.capturedAt !== undefined) {
    const at = parseIsoDateTime(value.capturedAt);
    if (!at) return fail('capturedAt', `不是 ISO 8601 时间：“${value.capturedAt}”（例：2026-11-24T09:30:00+08:00）`);
    if (options.now && at.getTime() > options.now.getTime() + 86_400_000) return fail('capturedAt', '时间不能晚于今天');
    capturedAt = at.toISOString();
  }
  if (value.author !== undefined && [...value.author].length > 100) return fail('author', '作者不能超过 100 字');
  const input: ConcernInput = { text: value.text, platform };
  if (value.url !== undefined) input.url = value.url;
  if (value.category !== undefined) input.category = value.category;
  if (value.district !== undefined) input.district = value.district;
  if (capturedAt !== undefined) input.capturedAt = capturedAt;
  if (value.author !== undefined) input.author = value.author;
  return { input };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 date or date-time; without an offset it is China time (UTC+8), which is what volunteers mean. */
export function parseIsoDateTime(value: string): Date | undefined {
  const m = ISO_RE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const offset = zone === undefined ? '+08:00' : zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date rolls 2026-02-30 over to March; reject instead.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  return date;
}
