import { z } from 'zod';
import type { Deps } from '../../context.ts';
import type { Item } from '../../content/schema.ts';
import type { Org } from '../../orgs/schema.ts';
import { bandCardTexts, ensureBandCard } from './cards.ts';
import { StoredQuizFields } from './questions.ts';

/** The quiz as last approved: what review compares the current questions with. */
export const ApprovedQuizSchema = z.object({ id: z.string(), ...StoredQuizFields, itemVersion: z.number().int(), version: z.number().int(), createdAt: z.string(), updatedAt: z.string() });
export type ApprovedQuiz = z.infer<typeof ApprovedQuizSchema>;
export const approvedOf = (deps: Deps) => deps.store.collection<ApprovedQuiz>('quiz-approved');

const QuizPart = z.object(StoredQuizFields);
const isQuiz = (item: Item): boolean => (item as { kind: string }).kind === 'quiz';

/** Renders the band share cards of a published quiz into `<dataDir>/media/quiz-cards/`. */
export async function renderQuizCards(deps: Deps, item: Item): Promise<string[]> {
  const quiz = QuizPart.parse(item);
  const org = await deps.store.collection<Org>('orgs').get(item.orgId);
  const paths: string[] = [];
  for (const text of bandCardTexts({ title: item.title, orgName: org?.name ?? item.orgId, bands: quiz.bands })) paths.push(await ensureBandCard({ dataDir: deps.config.dataDir, text }));
  return paths;
}

/**
 * Quiz follow-ups of the review flow: an approved quiz's questions are kept for the next review's
 * diff, and a published (or corrected) quiz gets its band cards before the site update runs
 * (listeners run in order and this one is registered by createApp, before the publisher's).
 */
export function wireQuiz(deps: Deps): void {
  deps.events.on('item.transitioned', async ({ item, to }) => {
    if (!isQuiz(item) || to !== 'approved') return;
    const quiz = QuizPart.parse(item);
    const approved = approvedOf(deps);
    const record = { intro: quiz.intro, questions: quiz.questions, bands: quiz.bands, itemVersion: item.version };
    if (await approved.get(item.id)) await approved.update(item.id, undefined, (a) => ({ ...a, ...record }));
    else await approved.insert({ id: item.id, ...record });
  });
  for (const name of ['item.published', 'item.corrected'] as const) {
    deps.events.on(name, async ({ item }) => {
      if (isQuiz(item)) await renderQuizCards(deps, item);
    });
  }
}
