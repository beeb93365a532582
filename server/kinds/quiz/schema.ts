import { z } from 'zod';
import { BodySchema, CreateItemBaseFields, EditableFields, RecordFields } from '../../content/schema.ts';
import { BandsSchema, DEFAULT_BANDS, QuizFields, StoredQuizFields } from './questions.ts';

const EMPTY_DOC = { type: 'doc', content: [] };

/** A quiz item: intro, questions (answers checked against options) and result bands covering 0–100. */
export const QuizItemSchema = z.object({ kind: z.literal('quiz'), ...EditableFields, ...RecordFields, ...StoredQuizFields });
/** The body is optional for a quiz (the questions are the content); bands default to 0–59 / 60–89 / 90–100. */
export const CreateQuizSchema = z.object({ kind: z.literal('quiz'), ...CreateItemBaseFields, body: BodySchema.default(EMPTY_DOC as never), ...QuizFields, bands: BandsSchema.default(DEFAULT_BANDS) });
export const QuizUpdateFields = {
  intro: z.string().trim().max(1000, '导语最多 1000 个字').optional(),
  questions: QuizFields.questions.optional(),
  bands: BandsSchema.optional(),
};
/** What a draft may hold while being written (the API only stores checked quizzes, older records may differ). */
export const QuizDraftSchema = z.object({ intro: z.string().default(''), questions: z.array(z.looseObject({})).default([]), bands: z.array(z.looseObject({})).default([]) });

export type QuizItem = z.infer<typeof QuizItemSchema>;
export type CreateQuiz = z.input<typeof CreateQuizSchema>;

declare module '../../content/schema.ts' {
  interface ItemKinds {
    quiz: { item: QuizItem; create: CreateQuiz };
  }
}
