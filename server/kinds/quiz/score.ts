import type { Band, Question } from './questions.ts';

/** Indexes of the right options of a stored question. */
export function correctIndexes(q: Question): number[] {
  if (q.type === 'truefalse') return [q.answer === true ? 0 : 1];
  const answers = Array.isArray(q.answer) ? q.answer : [q.answer];
  return q.options.map((o, i) => (answers.includes(o) ? i : -1)).filter((i) => i >= 0);
}

/** True when `picked` (option indexes) is exactly the set of right options. */
export function isCorrect(q: Question, picked: number[]): boolean {
  const right = correctIndexes(q);
  const set = new Set(picked);
  return set.size === right.length && right.every((i) => set.has(i));
}

/** Score out of 100 for `correct` right answers of `total` (rounded, as the page shows it). */
export function scoreOf(correct: number, total: number): number {
  return total > 0 ? Math.round((100 * correct) / total) : 0;
}

/** The band a score falls in (bands cover 0–100; the last one as a fallback for hand-edited data). */
export function bandIndexFor(bands: Band[], score: number): number {
  const i = bands.findIndex((b) => score >= b.min && score <= b.max);
  return i >= 0 ? i : bands.length - 1;
}

/** The right answer as readers see it: `B. 选项`, `A、C`, `正确`. */
export function answerLabel(q: Question): string {
  if (q.type === 'truefalse') return q.answer === true ? '正确' : '错误';
  return correctIndexes(q)
    .map((i) => `${'ABCDEFGH'[i]}. ${q.options[i]}`)
    .join('；');
}
