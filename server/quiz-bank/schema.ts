import { z } from 'zod';
import { OrgIdSchema } from '../orgs/schema.ts';
import { QuestionInputSchema, QuestionSchema } from '../kinds/quiz/questions.ts';

const TagsSchema = z.array(z.string().trim().min(1, '标签不能为空').max(20, '标签最多 20 个字')).max(10, '最多 10 个标签').default([]);

/** A question in an org's bank (题库), reusable across quizzes: quizzes copy it and keep its id as `bankId`. */
export const BankQuestionSchema = QuestionSchema.omit({ bankId: true }).extend({
  id: z.string(),
  orgId: OrgIdSchema,
  tags: z.array(z.string()).default([]),
  createdBy: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BankQuestion = z.infer<typeof BankQuestionSchema>;

/** A new bank question: a question (answer as text, letter or index) with tags. */
export const CreateBankQuestionSchema = z.intersection(QuestionInputSchema, z.object({ tags: TagsSchema, orgId: OrgIdSchema.optional() }));
export type CreateBankQuestion = z.infer<typeof CreateBankQuestionSchema>;

/** An edit sends the whole question again (answer and options are checked together) with `version`. */
export const UpdateBankQuestionSchema = z.intersection(QuestionInputSchema, z.object({ tags: TagsSchema, version: z.number('version 应为数字').int().positive() }));
export type UpdateBankQuestion = z.infer<typeof UpdateBankQuestionSchema>;

export const ListBankQuerySchema = z.object({
  org: z.string().max(64).optional(),
  q: z.string().max(100).optional(),
  type: z.enum(['single', 'multiple', 'truefalse']).optional(),
  tag: z.string().max(20).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListBankQuery = z.infer<typeof ListBankQuerySchema>;

export const BankImportResultSchema = z.object({
  imported: z.number(),
  skipped: z.number(),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});
export type BankImportResult = z.infer<typeof BankImportResultSchema>;
