import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { decodeText } from '../concerns/intake.ts';
import { ValidationError } from '../errors.ts';
import { OPTION_LETTERS, QuestionInputSchema, type Question, type QuestionType } from '../kinds/quiz/questions.ts';

export interface RowError {
  line: number;
  message: string;
}

export interface ParsedQuestion {
  line: number;
  question: Question;
  tags: string[];
}

type Field = 'type' | 'text' | 'options' | 'answer' | 'explanation' | 'sources' | 'image' | 'tags';

// Header aliases, so a sheet written in Chinese by hand (or exported from a 问卷 tool) imports as is.
const ALIASES: Record<string, Field> = {
  type: 'type', 题型: 'type', 类型: 'type',
  text: 'text', question: 'text', 题目: 'text', 题干: 'text', 问题: 'text', 试题: 'text',
  options: 'options', 选项: 'options',
  answer: 'answer', 答案: 'answer', 正确答案: 'answer', 参考答案: 'answer',
  explanation: 'explanation', 解析: 'explanation', 答案解析: 'explanation', 说明: 'explanation',
  sources: 'sources', source: 'sources', 来源: 'sources', 出处: 'sources', 依据: 'sources',
  image: 'image', 图片: 'image', 配图: 'image',
  tags: 'tags', tag: 'tags', 标签: 'tags', 分类: 'tags',
};

const TYPE_NAMES: Record<string, QuestionType> = {
  single: 'single', 单选: 'single', 单选题: 'single', 单项选择: 'single', 单项选择题: 'single',
  multiple: 'multiple', 多选: 'multiple', 多选题: 'multiple', 多项选择: 'multiple', 多项选择题: 'multiple',
  truefalse: 'truefalse', 'true/false': 'truefalse', 判断: 'truefalse', 判断题: 'truefalse', 是非题: 'truefalse',
};

export const MAX_ROWS = 5_000;

/** `A`, `选项A`, `选项 A`, `option a` → the option letter column it names. */
function optionColumn(header: string): string | undefined {
  const m = /^(?:选项|option)?\s*([A-H])$/i.exec(header.trim());
  return m ? m[1]!.toUpperCase() : undefined;
}

const canonical = (header: string): string => {
  const h = header.replace(/^\uFEFF/, '').trim();
  const letter = optionColumn(h);
  return letter ? `option:${letter}` : (ALIASES[h.toLowerCase()] ?? ALIASES[h] ?? h);
};

interface RawRow {
  line: number;
  record: Record<string, string>;
}

function readCsv(text: string): { rows: RawRow[]; errors: RowError[] } {
  let parsed: { record: Record<string, string>; raw: string; info: { lines: number; error?: { message: string } } }[];
  try {
    // one line-break style: csv-parse counts a CRLF inside a quoted cell as two lines
    parsed = parse(text.replace(/\r\n?/g, '\n'), { columns: (header: string[]) => header.map(canonical), info: true, raw: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    return { rows: [], errors: [{ line: (error as { lines?: number }).lines ?? 1, message: `csv: 无法解析（${(error as Error).message}）` }] };
  }
  const rows: RawRow[] = [];
  const errors: RowError[] = [];
  for (const { record, raw, info } of parsed) {
    // info.lines is where the record ends; count back over its own line breaks to its first line
    const body = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
    const line = info.lines - (body.match(/\n/g)?.length ?? 0);
    if (info.error) errors.push({ line, message: `csv: 列数与表头不一致（${info.error.message}）` });
    else rows.push({ line, record });
  }
  return { rows, errors };
}

async function readXlsx(bytes: Uint8Array): Promise<{ rows: RawRow[]; errors: RowError[] }> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as never);
  } catch (cause) {
    throw new ValidationError([{ path: 'file', message: `无法读取 Excel 文件（${cause instanceof Error ? cause.message : String(cause)}），请另存为 .xlsx 或 CSV 再试` }], { cause });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { rows: [], errors: [{ line: 1, message: 'file: Excel 文件里没有工作表' }] };
  const headers: string[] = [];
  const rows: RawRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = String(cell.text ?? '').trim();
    });
    if (!headers.length) {
      cells.forEach((h, i) => (headers[i] = canonical(h ?? '')));
      return;
    }
    if (cells.every((c) => !c)) return;
    const record: Record<string, string> = {};
    headers.forEach((h, i) => {
      if (h && cells[i] !== undefined) record[h] = cells[i]!;
    });
    rows.push({ line: number, record });
  });
  return { rows, errors: [] };
}

const splitList = (s: string) => s.split(/\r?\n|[|｜;；]/).map((x) => x.trim()).filter(Boolean);

/** `国务院新闻办|https://…`, one per line or `;`; a bare URL is named by its host. */
function parseSources(cell: string): Array<{ name: string; url?: string }> {
  return cell
    .split(/\r?\n|[;；]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(.*?)[\s|｜,，]*(https?:\/\/\S+)$/.exec(s);
      if (!m) return { name: s };
      const name = m[1]!.trim() || new URL(m[2]!).host;
      return { name, url: m[2]! };
    });
}

/** Guesses the type when the column is empty: 对/错 answers are true/false, several letters multiple choice. */
function guessType(record: Record<string, string>, options: string[]): QuestionType {
  const answer = (record.answer ?? '').trim();
  if (!options.length && /^(对|错|正确|错误|是|否|√|×|true|false|t|f)$/i.test(answer)) return 'truefalse';
  if (/^[A-H]{2,8}$/i.test(answer) || /^[A-H](\s*[,，、]\s*[A-H])+$/i.test(answer)) return 'multiple';
  return 'single';
}

/** One row → a question, or the first problem naming its field. */
function rowToQuestion(record: Record<string, string>): { question: Question; tags: string[] } | { message: string } {
  const letterOptions = [...OPTION_LETTERS].map((l) => record[`option:${l}`] ?? '');
  const lastFilled = letterOptions.reduce((last, v, i) => (v ? i : last), -1);
  const options = lastFilled >= 0 ? letterOptions.slice(0, lastFilled + 1) : splitList(record.options ?? '');
  if (lastFilled >= 0) {
    const gap = letterOptions.slice(0, lastFilled).findIndex((v) => !v);
    if (gap >= 0) return { message: `options.${gap}: 选项 ${OPTION_LETTERS[gap]} 为空，但后面还有选项` };
  }
  const typeCell = (record.type ?? '').trim();
  const type = typeCell ? TYPE_NAMES[typeCell.toLowerCase()] ?? TYPE_NAMES[typeCell] : guessType(record, options);
  if (!type) return { message: `type: 未知题型“${typeCell}”，可用：单选、多选、判断（single, multiple, truefalse）` };
  const input = {
    type,
    text: record.text ?? '',
    options: type === 'truefalse' && !options.length ? [] : options,
    answer: record.answer ?? '',
    explanation: record.explanation ?? '',
    sources: record.sources ? parseSources(record.sources) : [],
    ...(record.image ? { image: record.image } : {}),
  };
  const parsed = QuestionInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { message: `${issue.path.map(String).join('.') || 'row'}: ${issue.message}` };
  }
  const tags = splitTags(record.tags ?? '');
  const badTag = tags.find((t) => [...t].length > 20);
  if (badTag) return { message: `tags: 标签最多 20 个字（“${badTag.slice(0, 30)}”）` };
  return { question: parsed.data, tags: tags.slice(0, 10) };
}

const splitTags = (s: string) => [...new Set(s.split(/[,，、;；|｜\s#]+/).map((t) => t.trim()).filter(Boolean))];

export const FileFormatSchema = z.enum(['csv', 'xlsx']);
export type FileFormat = z.infer<typeof FileFormatSchema>;

/** XLSX files are zip archives: they start with `PK\x03\x04`. */
export function detectFormat(bytes: Uint8Array): FileFormat {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 ? 'xlsx' : 'csv';
}

/**
 * Parses a question file (CSV in UTF-8 with or without BOM or GB18030, or the first sheet of an
 * XLSX). Each bad row becomes an error with its line number; good rows are kept.
 */
export async function parseQuestionFile({ content, format }: { content: Uint8Array; format?: FileFormat }): Promise<{ rows: ParsedQuestion[]; errors: RowError[] }> {
  const fmt = format ?? detectFormat(content);
  const raw = fmt === 'xlsx' ? await readXlsx(content) : readCsv(decodeText(content));
  if (raw.rows.length > MAX_ROWS) return { rows: [], errors: [{ line: 1, message: `file: 一次最多导入 ${MAX_ROWS} 道题，本文件有 ${raw.rows.length} 行` }] };
  const errors = [...raw.errors];
  const first = raw.rows[0];
  if (first && !('text' in first.record)) {
    return { rows: [], errors: [{ line: 1, message: 'text: 缺少题目列（表头需包含 题型、题目、选项（或 A、B、C、D 列）、答案、解析，可选 来源、图片、标签）' }] };
  }
  const rows: ParsedQuestion[] = [];
  for (const { line, record } of raw.rows) {
    const result = rowToQuestion(record);
    if ('message' in result) errors.push({ line, message: result.message });
    else rows.push({ line, ...result });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}
