import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { decodeText } from '../concerns/intake.ts';
import { ValidationError } from '../errors.ts';

/** A sheet as header + rows of cell text, with the 1-based line (CSV) or row number (XLSX) of each row. */
export interface Sheet {
  header: string[];
  rows: { line: number; cells: string[] }[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isXlsx(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Platform exports sometimes start with a caption line: the header is the first row that names a known column. */
function headerAt(rows: string[][], isHeader: (cells: string[]) => boolean): number {
  const at = rows.slice(0, 10).findIndex(isHeader);
  return at < 0 ? 0 : at;
}

export function readCsv(bytes: Uint8Array, isHeader: (cells: string[]) => boolean): Sheet {
  const text = decodeText(bytes);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as never;
  } catch (error) {
    throw ValidationError.field('file', `CSV 无法解析（${(error as Error).message}）`);
  }
  const all = records.map((r) => r.record);
  const h = headerAt(all, isHeader);
  return { header: all[h] ?? [], rows: records.slice(h + 1).map((r) => ({ line: r.info.lines, cells: r.record })) };
}

function cellText(value: ExcelJS.CellValue, dateTime = false): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // exceljs reads dates as UTC instants of the wall-clock day; `dateTime` keeps the time of day when there is one
    const iso = value.toISOString();
    return dateTime && !iso.endsWith('T00:00:00.000Z') ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(0, 10);
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('hyperlink' in value) return String(value.hyperlink || value.text || '');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue, dateTime);
    if ('text' in value) return String((value as { text: unknown }).text);
    if ('error' in value) return '';
  }
  return String(value).trim();
}

/** The first worksheet; date cells as `YYYY-MM-DD`, or with `dateTime` as `YYYY-MM-DD HH:mm:ss` when they hold a time. */
export async function readXlsx(bytes: Uint8Array, isHeader: (cells: string[]) => boolean, { dateTime = false }: { dateTime?: boolean } = {}): Promise<Sheet> {
  // exceljs is loaded on first use, not at server start-up
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  try {
    await book.xlsx.load(Buffer.from(bytes) as never);
  } catch (error) {
    throw ValidationError.field('file', `XLSX 无法读取（${(error as Error).message.slice(0, 120)}）`);
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw ValidationError.field('file', 'XLSX 里没有工作表');
  const rows: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value, dateTime);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    if (cells.some((c) => c)) rows.push({ line: n, cells });
    if (rows.length > 100_000) throw ValidationError.field('file', '行数超过 100,000');
  });
  const h = headerAt(rows.map((r) => r.cells), isHeader);
  return { header: rows[h]?.cells ?? [], rows: rows.slice(h + 1) };
}
