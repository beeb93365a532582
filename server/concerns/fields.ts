import { DEFAULT_CATEGORIES, PLATFORM_LABELS, PLATFORMS, type ConcernInput, type Platform } from './schema.ts';
import type { ParseOptions } from './intake.ts';

export const FIELDS = ['text', 'platform', 'url', 'category', 'district', 'capturedAt', 'author'] as const;
export type Field = (typeof FIELDS)[number];

const PLATFORM_BY_NAME = new Map<string, Platform>([
  ...PLATFORMS.map((p) => [p, p] as const),
  ...PLATFORMS.map((p) => [PLATFORM_LABELS[p], p] as const),
  ['微信公众号', 'wechat'], ['西祠', 'forum-xici'], ['论坛', 'forum-other'], ['580', 'site580'], ['12345', 'hotline'], ['热线', 'hotline'], ['12345热线', 'hotline'],
  ['b站', 'bilibili'], ['B站', 'bilibili'], ['头条', 'toutiao'], ['红书', 'xiaohongshu'],
]);
/** The platforms as people name them, for messages: 微博、微信、…、抖音. */
const PLATFORM_CHOICES = PLATFORMS.map((p) => PLATFORM_LABELS[p]).join('、');

/** Field checks shared by the import and the quick form; returns the first problem, naming its field. */
export function checkConcernFields(
  value: Partial<Record<Field, string>>,
  options: ParseOptions,
): { input: ConcernInput } | { issue: { path: Field; message: string } } {
  const fail = (path: Field, message: string) => ({ issue: { path, message } });
  if (!value.text) return fail('text', '内容不能为空');
  if ([...value.text].length > 2000) return fail('text', '内容不能超过 2000 字');
  if (!value.platform) return fail('platform', `来源平台不能为空，可用：${PLATFORM_CHOICES}`);
  const platform = PLATFORM_BY_NAME.get(value.platform) ?? PLATFORM_BY_NAME.get(value.platform.toLowerCase()) ?? PLATFORM_BY_NAME.get(value.platform.replace(/\s+/g, ''));
  if (!platform) return fail('platform', `未知平台 “${value.platform}”，可用：${PLATFORM_CHOICES}`);
  if (value.url !== undefined && !isHttpUrl(value.url)) return fail('url', `不是有效的 http(s) 链接：“${value.url}”`);
  const categories = options.categories ?? DEFAULT_CATEGORIES;
  if (value.category !== undefined && !categories.includes(value.category)) {
    return fail('category', `未知类别 “${value.category}”，可用：${categories.join('、')}`);
  }
  const districts = options.districts ?? [];
  let district = value.district;
  if (district !== undefined && districts.length > 0 && !districts.includes(district)) {
    const match = matchDistrict(district, districts);
    if (match.length === 1) district = match[0]!;
    else if (match.length > 1) return fail('district', `区县 “${value.district}” 不明确，你是不是指：${match.join('、')}？`);
    else return fail('district', `未知区县 “${value.district}”，可用：${districts.join('、')}`);
  }
  let capturedAt: string | undefined;
  if (value.capturedAt !== undefined) {
    const at = parseSheetDateTime(value.capturedAt);
    if (!at) return fail('capturedAt', `无法识别的时间：“${value.capturedAt}”（例：2026-11-24 09:30、2026/11/24、2026年11月24日 9:30 或 Excel 日期）`);
    if (options.now && at.getTime() > options.now.getTime() + 86_400_000) return fail('capturedAt', '时间不能晚于今天');
    capturedAt = at.toISOString();
  }
  if (value.author !== undefined && [...value.author].length > 100) return fail('author', '作者不能超过 100 字');
  const input: ConcernInput = { text: value.text, platform };
  if (value.url !== undefined) input.url = value.url;
  if (value.category !== undefined) input.category = value.category;
  if (district !== undefined) input.district = district;
  if (capturedAt !== undefined) input.capturedAt = capturedAt;
  if (value.author !== undefined) input.author = value.author;
  return { input };
}

// District suffixes people leave out: 亭湖 for 亭湖区, 东台 for 东台市, 阜宁 for 阜宁县.
const DISTRICT_SUFFIX_RE = /(?:新区|高新区|开发区|区|县|市)$/u;

/** Districts a short or sloppy name may mean (亭湖 → 亭湖区); several means ambiguous, none means unknown. */
export function matchDistrict(name: string, districts: readonly string[]): string[] {
  const wanted = name.trim().replace(/\s+/g, '');
  if (!wanted) return [];
  const exact = districts.filter((d) => d === wanted);
  if (exact.length > 0) return exact;
  const core = wanted.replace(DISTRICT_SUFFIX_RE, '') || wanted;
  const same = districts.filter((d) => (d.replace(DISTRICT_SUFFIX_RE, '') || d) === core);
  if (same.length > 0) return same;
  return core.length >= 2 ? districts.filter((d) => d.startsWith(core)) : [];
}

// Excel day 0 is 1899-12-30 (it counts the non-existent 1900-02-29).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const SHEET_RE = /^(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?(?:\s*[T ]?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*分?(?:\s*[:：]\s*(\d{1,2})\s*秒?)?)?$/u;

/**
 * Dates as spreadsheets hold them, all China time (UTC+8) unless they carry an offset: ISO 8601, 2026/11/29,
 * 2026/11/29 9:30, 2026年11月29日, 2026年11月29日 9:30, 2026.11.29, and Excel serial numbers (46355.5).
 */
export function parseSheetDateTime(value: string): Date | undefined {
  const trimmed = value.trim();
  const iso = parseIsoDateTime(trimmed);
  if (iso) return iso;
  if (/^\d{5}(?:\.\d+)?$/.test(trimmed)) {
    const serial = Number(trimmed);
    // 1982 … 2173: anything else is not a date someone logged.
    if (serial < 30000 || serial > 100000) return undefined;
    // The serial is a wall-clock time in China: shift by 8 hours to get UTC.
    return new Date(EXCEL_EPOCH_MS + Math.round(serial * 86_400_000) - 8 * 3_600_000);
  }
  const m = SHEET_RE.exec(trimmed);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const pad = (v: string | undefined) => (v ?? '0').padStart(2, '0');
  if (h !== undefined && (Number(h) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59)) return undefined;
  return parseIsoDateTime(`${y}-${pad(mo)}-${pad(d)}${h !== undefined ? `T${pad(h)}:${pad(mi)}:${pad(s)}` : ''}`);
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
