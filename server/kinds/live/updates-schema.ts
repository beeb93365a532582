import { z } from 'zod';
import { tiptapSchema } from './live-info.ts';
import { LINE_SAFE_MESSAGE, lineSafe, SafeUrlSchema, XML_SAFE_MESSAGE, xmlSafe } from '../../security/fields.ts';
import { stripXmlInvalid } from '../../security/text.ts';

export * from './live-info.ts';

export const UPDATE_TYPES = ['update', 'help', 'official', 'clarification', 'answer'] as const;
export type UpdateType = (typeof UPDATE_TYPES)[number];
export const UPDATE_TYPE_LABELS: Record<UpdateType, string> = { update: '动态', help: '求助', official: '权威发布', clarification: '辟谣', answer: '答问' };

export const UPDATE_STATES = ['pending', 'published', 'withdrawn'] as const;
export type UpdateState = (typeof UPDATE_STATES)[number];
export const UPDATE_STATE_LABELS: Record<UpdateState, string> = { pending: '待发布', published: '已发布', withdrawn: '已撤回' };

/** An update's body is short: a few paragraphs, a list, a link. */
export const UpdateBodySchema = tiptapSchema('更新正文（tiptap JSON，简短）', 8_000);

// the body-link rule: no `/\\host`, quotes, markup or whitespace (images and links on the live page)
const safeUrl = SafeUrlSchema;
const VERDICTS = ['false', 'misleading', 'unproven', 'true'] as const;

/** A clarification links a rumor guide or states its verdict inline (or both). */
export const ClarificationSchema = z
  .object({
    claim: z.string().trim().min(1, '请写明网传说法').max(300, '网传说法最多 300 个字').refine(xmlSafe, XML_SAFE_MESSAGE),
    verdict: z.enum(VERDICTS, '结论只能是 false、misleading、unproven 或 true').optional(),
    guideUrl: safeUrl.optional(),
  })
  .refine((c) => c.verdict || c.guideUrl, { path: ['verdict'], message: '辟谣须给出结论（verdict）或链接谣言识破攻略（guideUrl）' });

/** The question an answer quotes, copied from the moderation queue when the answer is written. */
export const QuotedQuestionSchema = z.object({ id: z.string(), text: z.string(), nickname: z.string().optional() });

export const UpdateHistorySchema = z.object({
  at: z.string(),
  actorId: z.string(),
  from: z.enum(UPDATE_STATES).nullable(),
  to: z.enum(UPDATE_STATES),
  comment: z.string().optional(),
});

/** One update of a live item, stored in its own collection (`live-updates`) so posting one never rewrites the item. */
export const LiveUpdateSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  type: z.enum(UPDATE_TYPES),
  /** When it happened (defaults to when it was posted). */
  at: z.string(),
  body: UpdateBodySchema,
  /** The body rendered once when written (tiptap's renderer is slow: ~15 ms a call), so publishing renders nothing. */
  html: z.string().optional(),
  image: z.string().optional(),
  clarification: ClarificationSchema.optional(),
  question: QuotedQuestionSchema.optional(),
  /** Who answers (a guest's name and title), shown with an answer. */
  answeredBy: z.string().optional(),
  authorId: z.string(),
  authorName: z.string(),
  lastEditorId: z.string(),
  state: z.enum(UPDATE_STATES),
  /** Publication order within the item (1, 2, …), set on first publication. */
  seq: z.number().int().optional(),
  publishedAt: z.string().optional(),
  publishedBy: z.string().optional(),
  corrections: z.array(z.object({ at: z.string(), note: z.string() })).default([]),
  withdrawal: z.object({ at: z.string(), note: z.string() }).optional(),
  history: z.array(UpdateHistorySchema).default([]),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LiveUpdate = z.infer<typeof LiveUpdateSchema>;

export const CreateUpdateSchema = z.object({
  type: z.enum(UPDATE_TYPES, '类型只能是 update、help、official、clarification 或 answer'),
  at: z
    .string()
    .trim()
    .max(40)
    .refine((s) => !Number.isNaN(Date.parse(s)), '时间格式不对（例如 2016-06-23T15:20:00+08:00）')
    .optional(),
  body: UpdateBodySchema,
  image: safeUrl.max(500).optional(),
  clarification: ClarificationSchema.optional(),
  /** For an answer: the accepted question it answers. */
  questionId: z.string().trim().max(128).optional(),
  answeredBy: z.string().trim().min(1).max(60, '答问嘉宾最多 60 个字').refine(lineSafe, LINE_SAFE_MESSAGE).optional(),
});
export type CreateUpdate = z.infer<typeof CreateUpdateSchema>;

/** An edit: free while pending; a published update needs a public correction note (shown as 已更正). */
export const PatchUpdateSchema = z.object({
  version: z.number().int().positive(),
  body: UpdateBodySchema.optional(),
  at: CreateUpdateSchema.shape.at,
  image: safeUrl.max(500).nullable().optional(),
  clarification: ClarificationSchema.optional(),
  answeredBy: z.string().trim().min(1).max(60).refine(lineSafe, LINE_SAFE_MESSAGE).optional(),
  correction: z.string().trim().min(1).max(300, '更正说明最多 300 个字').refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
});
export type PatchUpdate = z.infer<typeof PatchUpdateSchema>;

export const UpdateTransitionSchema = z.object({
  to: z.enum(['published', 'withdrawn'], 'to 只能是 published 或 withdrawn'),
  comment: z.string().trim().max(300, '说明最多 300 个字').optional(),
  version: z.number().int().positive().optional(),
});
export type UpdateTransition = z.infer<typeof UpdateTransitionSchema>;

export const ListUpdatesQuerySchema = z.object({
  state: z.enum(UPDATE_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Only updates with seq below this (paging back through published ones). */
  before: z.coerce.number().int().min(1).optional(),
});
export type ListUpdatesQuery = z.infer<typeof ListUpdatesQuerySchema>;

/** The live item's own changes after publication: the pinned block any time, the state once (live → ended). */
export const PatchLiveSchema = z.object({
  version: z.number().int().positive(),
  pinned: tiptapSchema('置顶信息', 20_000).optional(),
  state: z.enum(['live', 'ended'], 'state 只能是 live 或 ended').optional(),
});
export type PatchLive = z.infer<typeof PatchLiveSchema>;

// ---- questions (qa mode) ----

export const QUESTION_STATES = ['pending', 'accepted', 'rejected', 'answered'] as const;
export type QuestionState = (typeof QUESTION_STATES)[number];
export const QUESTION_STATE_LABELS: Record<QuestionState, string> = { pending: '待审', accepted: '已采纳', rejected: '未采纳', answered: '已回答' };

/** A reader's question: the text and an optional nickname, nothing else about the person. */
export const QuestionSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  text: z.string(),
  nickname: z.string().optional(),
  state: z.enum(QUESTION_STATES),
  answerId: z.string().optional(),
  moderatedBy: z.string().optional(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Question = z.infer<typeof QuestionSchema>;

const HTML = /<\s*\/?\s*[a-z!?][^>]*>|&[a-z#0-9]+;/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
const plain = (label: string, max: number) =>
  z
    .string(`${label}应为文字`)
    // a reader's text is cleaned, not refused: controls, bidi overrides and what XML cannot carry (U+FFFF, lone surrogates)
    .transform((s) => stripXmlInvalid(s.replace(CONTROL, '')).replace(/\r\n?/g, '\n').trim())
    .refine((s) => !HTML.test(s), `${label}不能包含 HTML 标签`)
    .refine((s) => [...s].length <= max, `${label}最多 ${max} 个字`);

export const QUESTION_MAX = 300;
export const NICKNAME_MAX = 20;

export const AskSchema = z.object({
  text: plain('问题', QUESTION_MAX).refine((s) => [...s].length >= 4, '问题至少 4 个字'),
  nickname: plain('昵称', NICKNAME_MAX)
    .refine((s) => !s.includes('\n'), '昵称不能换行')
    .optional(),
});
export type Ask = z.infer<typeof AskSchema>;

export const QuestionTransitionSchema = z.object({
  to: z.enum(['accepted', 'rejected'], 'to 只能是 accepted 或 rejected'),
  version: z.number().int().positive().optional(),
});

export const ListQuestionsQuerySchema = z.object({
  state: z.enum(QUESTION_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
