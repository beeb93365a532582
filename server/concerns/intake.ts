import { parse } from 'csv-parse/sync';
import { checkConcernFields, FIELDS, type Field } from './fields.ts';
import type { ConcernInput } from './schema.ts';

export { parseIsoDateTime } from './fields.ts';

export interface RowError {
  line: number;
  message: string;
}

export interface ParsedRow {
  line: number;
  input: ConcernInput;
}

/** One of the first records of a file as it was read, for the preview before committing: its cells and what is wrong. */
export interface PreviewRow {
  line: number;
  values: Partial<Record<Field, string>>;
  error?: string;
}

export interface ParseResult {
  rows: ParsedRow[];
  errors: RowError[];
  /** The first PREVIEW_ROWS records in file order, good or bad. */
  preview: PreviewRow[];
}

export const PREVIEW_ROWS = 10;

export interface ParseOptions {
  /** Known categories; a row naming another one is an error. */
  categories?: readonly string[];
  /** Known districts; empty or absent accepts any. */
  districts?: readonly string[];
  /** Used when a row has no capturedAt. */
  now?: Date;
}


// Header aliases so a sheet exported from Excel with Chinese headers imports as is.
const ALIASES: Record<string, Field> = {
  text: 'text', 内容: 'text', 关切: 'text', 关切内容: 'text', 正文: 'text', 原文: 'text',
  platform: 'platform', 平台: 'platform', 来源: 'platform', 来源平台: 'platform',
  url: 'url', 链接: 'url', 网址: 'url', 原文链接: 'url',
  category: 'category', 类别: 'category', 分类: 'category',
  district: 'district', 区县: 'district', 地区: 'district', 所属区县: 'district',
  capturedat: 'capturedAt', captured_at: 'capturedAt', 时间: 'capturedAt', 采集时间: 'capturedAt', 日期: 'capturedAt', 发布时间: 'capturedAt', 登记时间: 'capturedAt',
  author: 'author', 作者: 'author', 网名: 'author', 作者昵称: 'author',
};


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
  return checkRecords(format === 'jsonl' ? readJsonLines(text) : readCsv(text), args);
}

/** Checks records read from any format (CSV, JSON Lines, XLSX): good rows kept, bad ones reported by line. */
export function checkRecords(raw: RawRecords, options: ParseOptions): ParseResult {
  const result: ParseResult = { rows: [], errors: [...raw.errors], preview: [] };
  if (raw.records.length > MAX_ROWS) {
    return { rows: [], errors: [{ line: 1, message: `file: 一次最多导入 ${MAX_ROWS} 行，本文件有 ${raw.records.length} 行` }], preview: [] };
  }
  for (const { line, record } of raw.records) {
    const checked = validateRecord(record, options);
    if ('message' in checked) result.errors.push({ line, message: checked.message });
    else result.rows.push({ line, input: checked.input });
    if (result.preview.length < PREVIEW_ROWS) {
      const values: Partial<Record<Field, string>> = {};
      for (const field of FIELDS) if (record[field] !== undefined && record[field] !== null && record[field] !== '') values[field] = String(record[field]);
      result.preview.push({ line, values, ...('message' in checked ? { error: checked.message } : {}) });
    }
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}

/** A header cell as a field name: Chinese and English aliases (内容 → text), else the cell as written. */
export const headerField = (h: string): string => ALIASES[h.trim().toLowerCase()] ?? ALIASES[h.trim()] ?? h.trim();

export interface RawRecords {
  records: { line: number; record: Record<string, unknown> }[];
  errors: RowError[];
}

function readCsv(text: string): RawRecords {
  const out: RawRecords = { records: [], errors: [] };
  let parsed: { record: Record<string, string>; raw: string; info: { lines: number; error?: { message: string } } }[];
  try {
    parsed = parse(text, {
      columns: (header: string[]) => header.map(headerField),
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
  // csv-parse's own count (info.lines) drifts after a quoted cell holding a CRLF, so lines are counted here.
  const starts = recordStartLines(text);
  const exact = starts.length === parsed.length + 1;
  parsed.forEach(({ record, raw, info }, i) => {
    let line = starts[i + 1]!;
    if (!exact) {
      // Should not happen; count back from where csv-parse says the record ends.
      const body = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
      line = info.lines - (body.match(/\n/g)?.length ?? 0);
    }
    if (info.error) out.errors.push({ line, message: `csv: 列数与表头不一致（${info.error.message}）` });
    else out.records.push({ line, record });
  });
  return out;
}

/**
 * The line of the file (1-based, as an editor shows it) where each non-blank CSV record starts, the header first.
 * Records end at the file's own line break (the first one outside quotes: CRLF, LF or CR); any CRLF, LF or CR inside
 * a quoted cell is a line of the file too (Excel writes LF inside cells and CRLF between rows).
 */
export function recordStartLines(text: string): number[] {
  const starts: number[] = [];
  let delimiter: string | undefined;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let recordStart = 0;
  let i = 0;
  const endRecord = (end: number) => {
    if (text.slice(recordStart, end).trim()) starts.push(recordLine);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      inQuotes = !inQuotes;
      i++;
      continue;
    }
    if (ch !== '\r' && ch !== '\n') {
      i++;
      continue;
    }
    const width = ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    const brk = text.slice(i, i + width);
    if (!inQuotes) delimiter ??= brk;
    line++;
    i += width;
    if (!inQuotes && (brk === delimiter || (delimiter === '\n' && brk === '\r\n'))) {
      endRecord(i - width);
      recordStart = i;
      recordLine = line;
    }
  }
  endRecord(text.length);
  return starts;
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
