import { isXlsx, readXlsx } from '../reach/sheet.ts';
import { checkRecords, headerField, parseConcernFile, type ParseOptions, type ParseResult } from './intake.ts';

export type ImportFormat = 'csv' | 'jsonl' | 'xlsx';

/** The format of an upload: what was asked, else the file name or content type, else the bytes (a zip is XLSX). */
export function importFormat(content: Uint8Array | string, asked: ImportFormat | undefined, name = '', type = ''): ImportFormat | undefined {
  if (asked) return asked;
  if (/\.xlsx$/i.test(name) || type.includes('spreadsheetml')) return 'xlsx';
  if (/\.(jsonl|ndjson|json)$/i.test(name) || /ndjson|jsonl/.test(type)) return 'jsonl';
  if (/\.csv$/i.test(name) || type.includes('csv')) return 'csv';
  return typeof content !== 'string' && isXlsx(content) ? 'xlsx' : undefined;
}

/**
 * Reads an import file in any of the three formats. XLSX: the first worksheet, its header the first row naming the
 * text column (内容 or text); date cells as China wall-clock times, serial numbers in plain cells as Excel dates;
 * each error names the sheet's row number.
 */
export async function readConcernUpload(args: { content: string | Uint8Array; format?: ImportFormat | undefined } & ParseOptions): Promise<ParseResult> {
  const { content, format, ...options } = args;
  if (format !== 'xlsx') return parseConcernFile({ content, ...(format ? { format } : {}), ...options });
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const sheet = await readXlsx(bytes, (cells) => cells.some((c) => headerField(c) === 'text'), { dateTime: true });
  const header = sheet.header.map(headerField);
  if (!header.includes('text')) return { rows: [], errors: [{ line: 1, message: 'text: 缺少“内容”列（表头需包含 内容、平台、链接、类别、区县、时间、作者）' }], preview: [] };
  const records = sheet.rows.map(({ line, cells }) => ({ line, record: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])) }));
  return checkRecords({ records, errors: [] }, options);
}
