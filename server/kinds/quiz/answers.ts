import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { getItem } from '../../content/service.ts';
import { readPublishSnapshot } from '../../content/snapshot.ts';
import type { Question } from './questions.ts';
import { StoredQuizFields } from './questions.ts';
import { bandIndexFor, isCorrect, scoreOf } from './score.ts';

/**
 * What the quiz page sends (sendBeacon, no cookies): the options picked per question, `null` for
 * questions not reached, and whether the reader reached the result. Nothing identifies the reader.
 */
export const QuizAnswersSchema = z.object({
  picks: z.array(z.array(z.number().int().min(0).max(7)).max(8).nullable(), 'picks 应为每题所选选项序号的数组').max(100),
  finished: z.boolean('finished 应为 true 或 false'),
});
export type QuizAnswers = z.infer<typeof QuizAnswersSchema>;

/** Aggregates per quiz: counts only, keyed by a hash of each question's text (stable across edits of other questions). */
export const QuizStatsSchema = z.object({
  id: z.string(),
  starts: z.number().int(),
  finishes: z.number().int(),
  questions: z.record(z.string(), z.object({ answered: z.number().int(), correct: z.number().int(), picks: z.array(z.number().int()) })),
  bands: z.array(z.number().int()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type QuizStats = z.infer<typeof QuizStatsSchema>;

export const statsOf = (deps: Deps) => deps.store.collection<QuizStats>('quiz-stats');

/** Key of a question in the aggregates. */
export const questionHash = (q: Pick<Question, 'text'>) => createHash('sha1').update(q.text).digest('hex').slice(0, 12);

const QuizPart = z.object(StoredQuizFields);

/** The published quiz behind an id, or 404 (drafts and retracted quizzes take no answers). */
async function publishedQuiz(deps: Deps, id: string): Promise<z.infer<typeof QuizPart>> {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw ValidationError.field('id', '问答编号格式不正确');
  const snapshot = (await readPublishSnapshot(deps, id)) as ({ kind: string; status: string } & Record<string, unknown>) | undefined;
  if (!snapshot || snapshot.kind !== 'quiz') throw new NotFoundError(`没有已发布的问答 ${id}`);
  if (snapshot.status !== 'published') throw new ConflictError(`问答 ${id} 已撤回，不再统计答题`);
  return QuizPart.parse(snapshot);
}

/** Adds one reader's answers to the quiz's aggregates; the reader is not recorded. */
export async function recordAnswers({ deps, id, input }: { deps: Deps; id: string; input: QuizAnswers }): Promise<{ counted: true }> {
  const quiz = await publishedQuiz(deps, id);
  if (input.picks.length !== quiz.questions.length) throw ValidationError.field('picks', `应有 ${quiz.questions.length} 项（每题一项，未答为 null），收到 ${input.picks.length} 项`);
  input.picks.forEach((p, i) => {
    const max = quiz.questions[i]!.options.length;
    if (p && p.some((o) => o >= max)) throw ValidationError.field(`picks.${i}`, `第 ${i + 1} 题只有 ${max} 个选项`);
  });
  const answered = input.picks.filter((p) => p && p.length).length;
  if (answered === 0) throw ValidationError.field('picks', '至少要答一题');
  const correct = quiz.questions.filter((q, i) => input.picks[i] && isCorrect(q, input.picks[i]!)).length;
  const band = input.finished ? bandIndexFor(quiz.bands, scoreOf(correct, quiz.questions.length)) : -1;
  const apply = (s: Pick<QuizStats, 'starts' | 'finishes' | 'questions' | 'bands'>) => {
    const next = { starts: s.starts + 1, finishes: s.finishes + (input.finished ? 1 : 0), questions: { ...s.questions }, bands: [...s.bands] };
    quiz.questions.forEach((q, i) => {
      const picks = input.picks[i];
      if (!picks || !picks.length) return;
      const key = questionHash(q);
      const prev = next.questions[key] ?? { answered: 0, correct: 0, picks: [] };
      const counts = Array.from({ length: q.options.length }, (_, o) => (prev.picks[o] ?? 0) + (picks.includes(o) ? 1 : 0));
      next.questions[key] = { answered: prev.answered + 1, correct: prev.correct + (isCorrect(q, picks) ? 1 : 0), picks: counts };
    });
    if (band >= 0) next.bands[band] = (next.bands[band] ?? 0) + 1;
    for (let b = 0; b < next.bands.length; b++) next.bands[b] ??= 0;
    return next;
  };
  const stats = statsOf(deps);
  if (await stats.get(id)) await stats.update(id, undefined, (s) => ({ ...s, ...apply(s) }));
  else {
    try {
      await stats.insert({ id, ...apply({ starts: 0, finishes: 0, questions: {}, bands: [] }) });
    } catch (error) {
      // another request created it first
      if (!(error instanceof ConflictError)) throw error;
      await stats.update(id, undefined, (s) => ({ ...s, ...apply(s) }));
    }
  }
  return { counted: true };
}

export interface QuestionStat {
  index: number;
  text: string;
  answered: number;
  correct: number;
  /** Share of answers that were right, 0–1; null before anyone answered. */
  correctRate: number | null;
  /** How often each option was picked. */
  picks: number[];
}

/** Completion and per-question correct rates of a quiz, with the most-missed questions first in `hardest`. */
export async function quizStats({ deps, id }: { deps: Deps; id: string }): Promise<{ starts: number; finishes: number; completionRate: number | null; questions: QuestionStat[]; hardest: QuestionStat[]; bands: Array<{ title: string; min: number; max: number; count: number }> }> {
  const item = (await getItem({ deps, id })) as unknown as { kind: string } & Record<string, unknown>;
  if (item.kind !== 'quiz') throw ValidationError.field('id', '只有问答有答题统计');
  const quiz = QuizPart.parse(item);
  const s = await statsOf(deps).get(id);
  const questions = quiz.questions.map((q, index) => {
    const a = s?.questions[questionHash(q)];
    return { index, text: q.text, answered: a?.answered ?? 0, correct: a?.correct ?? 0, correctRate: a && a.answered ? a.correct / a.answered : null, picks: q.options.map((_, o) => a?.picks[o] ?? 0) };
  });
  const hardest = questions.filter((q) => q.correctRate !== null).sort((x, y) => x.correctRate! - y.correctRate! || y.answered - x.answered);
  const starts = s?.starts ?? 0;
  const finishes = s?.finishes ?? 0;
  return { starts, finishes, completionRate: starts ? finishes / starts : null, questions, hardest, bands: quiz.bands.map((b, i) => ({ title: b.title, min: b.min, max: b.max, count: s?.bands[i] ?? 0 })) };
}
