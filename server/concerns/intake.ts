import { parse } from 'csv-parse/sync';
import { DEFAULT_CATEGORIES, PLATFORM_LABELS, PLATFORMS, type ConcernInput, type Platform } from './schema.ts';

export interface RowError {
  line: number;
  message: string;
}

export interface ParsedRow {
  line: number;
  input: ConcernInput;
}

export interface ParseResult {
  rows: ParsedRow[];
  errors: RowError[];
}

export interface ParseOptions {
  /** Known categories; a row naming another one is an error. */
  categories?: readonly string[];
  /** Known districts; empty or absent accepts any. */
  districts?: readonly string[];
  /** Used when a row has no capturedAt. */
  now?: Date;
}

const FIELDS = ['text', 'platform', 'url', 'category', 'district', 'capturedAt', 'author'] as const;
type Field = (typeof FIELDS)[number];

// Header aliases so a sheet exported from Excel with Chinese headers imports as is.
const ALIASES: Record<string, Field> = {
  text: 'text', 内容: 'text', 关切: 'text',
  platform: 'platform', 平台: 'platform', 来源: 'platform',
  url: 'url', 链接: 'url', 网址: 'url',
  category: 'category', 类别: 'category', 分类: 'category',
  district: 'district', 区县: 'district', 地区: 'district',
  capturedat: 'capturedAt', captured_at: 'capturedAt', 时间: 'capturedAt', 采集时间: 'capturedAt',
  author: 'author', 作者: 'author', 网名: 'author',
};

const PLATFORM_BY_NAME = new Map<string, Platform>([
  ...PLATFORMS.map((p) => [p, p] as const),
  ...PLATFORMS.map((p) => [PLATFORM_LABELS[p], p] as const),
  ['微信公众号', 'wechat'], ['西祠', 'forum-xici'], ['论坛', 'forum-other'], ['580', 'site580'], ['12345', 'hotline'],
]);

const MAX_ROWS = 50_000;

/** Bytes from a file: UTF-8 if valid, else GB18030 (what Excel on Chinese Windows writes). */
export function decodeText(content: string | Uint8Array): string {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(content);
  }
}

/** Guess the format from the first non-blank character: `{` means JSON Lines. */
export function detectFormat(text: string): 'csv' | 'jsonl' {
  return text.trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

/** Parse a CSV or JSON Lines file of concerns; each bad row becomes an error with its line number, good rows are kept. */
export function parseConcernFile(args: { content: string | Uint8Array; format?: 'csv' | 'jsonl' } & ParseOptions): ParseResult {
  const text = decodeText(args.content);
  const format = args.format ?? detectFormat(text);
  const raw = format === 'jsonl' ? readJsonLines(text) : readCsv(text);
  const result: ParseResult = { rows: [], errors: [...raw.errors] };
  if (raw.records.length > MAX_ROWS) {
    return { rows: [], errors: [{ line: 1, message: `file: 一次最多导入 ${MAX_ROWS} 行，本文件有 ${raw.records.length} 行` }] };
  }
  for (const { line, record } of raw.records) {
    const checked = validateRecord(record, args);
    if ('message' in checked) result.errors.push({ line, message: checked.message });
    else result.rows.push({ line, input: checked.input });
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}

interface RawRecords {
  records: { line: number; record: Record<string, unknown> }[];
  errors: RowError[];
}

function readCsv(text: string): RawRecords {
  const out: RawRecords = { records: [], errors: [] };
  let parsed: { record: Record<string, string>; raw: string; info: { lines: number; error?: { message: string } } }[];
  try {
    parsed = parse(text, {
      columns: (header: string[]) => header.map((h) => ALIASES[h.trim().toLowerCase()] ?? ALIASES[h.trim()] ?? h.trim()),
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    out.errors.push({ line, message: `csv: 无法解析（${(error as Error).message}）` });
    return out;
  }
  const first = parsed[0];
  if (first && !('text' in first.record)) {
    out.errors.push({ line: 1, message: 'text: 缺少 text 列（表头需包含 text, platform, url, category, district, capturedAt, author）' });
    return out;
  }
  for (const { record, raw, info } of parsed) {
    // info.lines is the line where the record ends; count back over its own line breaks.
    const body = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
    const line = info.lines - (body.match(/\n/g)?.length ?? 0);
    if (info.error) out.errors.push({ line, message: `csv: 列数与表头不一致（${info.error.message}）` });
    else out.records.push({ line, record });
  }
  return out;
}

function readJsonLines(text: string): RawRecords {
  const out: RawRecords = { records: [], errors: [] };
  text.split(/\r?\n/).forEach((source, index) => {
    const line = index + 1;
    if (!source.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      out.errors.push({ line, message: `json: 无法解析（${(error as Error).message}）` });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      out.errors.push({ line, message: 'json: 每行应是一个 JSON 对象' });
      return;
    }
    const record: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) record[ALIASES[key.toLowerCase()] ?? ALIASES[key] ?? key] = v;
    out.records.push({ line, record });
  });
  return out;
}

function validateRecord(record: Record<string, unknown>, options: ParseOptions): { input: ConcernInput } | { message: string } {
  const value: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) {
    const v = record[field];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') return { message: `${field}: 应为文本` };
    const trimmed = v.trim();
    if (trimmed) value[field] = trimmed;
  }
  const checked = checkConcernFields(value, options);
  return 'issue' in checked ? { message: `${checked.issue.path}: ${checked.issue.message}` } : { input: checked.input };
}

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
