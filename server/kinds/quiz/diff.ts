import type { Band, Question } from './questions.ts';
import { answerLabel } from './score.ts';

export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

export type QuestionChange =
  | { op: 'add'; index: number; text: string }
  | { op: 'remove'; index: number; text: string }
  | { op: 'change'; index: number; text: string; fields: FieldChange[] };

const FIELDS: Array<{ field: string; label: string; value: (q: Question) => string }> = [
  { field: 'text', label: '题目', value: (q) => q.text },
  { field: 'type', label: '题型', value: (q) => q.type },
  { field: 'options', label: '选项', value: (q) => q.options.join(' / ') },
  { field: 'answer', label: '答案', value: (q) => answerLabel(q) },
  { field: 'explanation', label: '解析', value: (q) => q.explanation },
  { field: 'sources', label: '来源', value: (q) => q.sources.map((s) => (s.url ? `${s.name}（${s.url}）` : s.name)).join('；') },
  { field: 'image', label: '配图', value: (q) => q.image ?? '' },
];

function compare(a: Question, b: Question): FieldChange[] {
  return FIELDS.flatMap(({ field, label, value }) => (value(a) === value(b) ? [] : [{ field, label, before: value(a), after: value(b) }]));
}

/**
 * What changed between two versions of a quiz's questions, for review: a question keeps its
 * identity by bank id or text; what is left over is paired by position (a reworded question) or
 * counted as added or removed. Unchanged questions are not listed.
 */
export function diffQuestions(before: Question[], after: Question[]): QuestionChange[] {
  const used = new Set<number>();
  const pairs: Array<[number | undefined, number]> = after.map((q, j) => {
    const i = before.findIndex((p, i) => !used.has(i) && ((q.bankId && p.bankId === q.bankId) || p.text === q.text));
    if (i >= 0) used.add(i);
    return [i >= 0 ? i : undefined, j];
  });
  const leftovers = before.map((_, i) => i).filter((i) => !used.has(i));
  const out: QuestionChange[] = [];
  for (const [i, j] of pairs) {
    let from = i;
    if (from === undefined && leftovers.length) {
      // a reworded question: take the nearest unmatched old one at or after the same position
      const k = leftovers.findIndex((x) => x >= j);
      from = leftovers.splice(k >= 0 ? k : 0, 1)[0];
    }
    if (from === undefined) out.push({ op: 'add', index: j, text: after[j]!.text });
    else {
      const fields = compare(before[from]!, after[j]!);
      if (fields.length) out.push({ op: 'change', index: j, text: after[j]!.text, fields });
    }
  }
  for (const i of leftovers) out.push({ op: 'remove', index: i, text: before[i]!.text });
  return out;
}

/** Bands as one line each, for a before/after comparison. */
export const bandLines = (bands: Band[]) => bands.map((b) => `${b.min}–${b.max} 分：${b.title}——${b.text}`);
