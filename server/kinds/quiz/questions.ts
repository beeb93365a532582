import { z } from 'zod';
import { SafeUrlSchema, XML_SAFE_MESSAGE, xmlSafe } from '../../security/fields.ts';

export const QUESTION_TYPES = ['single', 'multiple', 'truefalse'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const QUESTION_TYPE_LABELS: Record<QuestionType, string> = { single: '单选题', multiple: '多选题', truefalse: '判断题' };
/** Options of a true/false question, in this order: index 0 is "true". */
export const TRUEFALSE_OPTIONS = ['正确', '错误'];
export const OPTION_LETTERS = 'ABCDEFGH';

const safeUrl = SafeUrlSchema;
const text = (label: string, max: number) => z.string(`${label}应为文本`).trim().min(1, `${label}不能为空`).max(max, `${label}最多 ${max} 个字`).refine(xmlSafe, XML_SAFE_MESSAGE);

export const QuizSourceSchema = z.object({ name: text('来源名称', 100), url: safeUrl.optional() });

const answerValue = z.union([z.string(), z.number().int(), z.boolean(), z.array(z.union([z.string(), z.number().int()])).max(8)], '答案应为选项文字、选项序号（A、B… 或 0、1…）或 true/false');

/** Fields of a question, before its answer is checked against its options. */
const QuestionFields = {
  type: z.enum(QUESTION_TYPES, '题型只能是 single（单选）、multiple（多选）或 truefalse（判断）'),
  text: text('题目', 500),
  options: z.array(text('选项', 200)).max(8, '最多 8 个选项').default([]),
  explanation: text('解析', 2000),
  sources: z.array(QuizSourceSchema).max(10, '最多 10 个来源').default([]),
  image: safeUrl.optional(),
  /** The question-bank entry this question was copied from. */
  bankId: z.string().max(80).optional(),
};

/**
 * One question as stored and published. `answer` is the right option's text (single), the right
 * options' texts in option order (multiple) or a boolean (truefalse, whose options are always
 * 正确 / 错误).
 */
export const QuestionSchema = z.object({ ...QuestionFields, answer: z.union([z.string(), z.array(z.string()), z.boolean()]) });
export type Question = z.infer<typeof QuestionSchema>;

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '对', '正确', '是', '√', '✓', '✔', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '错', '错误', '否', '×', '✗', '✘', 'x', '0']);

type AnswerValue = z.infer<typeof answerValue>;

/**
 * Resolves one answer token against the options: the option's text, its letter (A–H) or its
 * 0-based index. Returns the option index or undefined.
 */
function optionIndex(options: string[], token: string | number): number | undefined {
  if (typeof token === 'number') return token >= 0 && token < options.length ? token : undefined;
  const t = token.trim();
  const byText = options.indexOf(t);
  if (byText >= 0) return byText;
  if (/^[A-Ha-h]$/.test(t)) {
    const i = OPTION_LETTERS.indexOf(t.toUpperCase());
    return i < options.length ? i : undefined;
  }
  return undefined;
}

const listOptions = (options: string[]) => options.map((o, i) => `${OPTION_LETTERS[i]}. ${o}`).join('；');

/** Checks a question's options and answer and returns it in stored form; problems go to ctx with their field. */
export function normalizeQuestion(q: { type: Question['type']; options: string[]; answer: AnswerValue } & Omit<Question, 'answer' | 'options' | 'type'>, ctx: z.RefinementCtx): Question {
  const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (q.type === 'truefalse') {
    if (q.options.length && !(q.options.length === 2 && ['正确', '对'].includes(q.options[0]!) && ['错误', '错'].includes(q.options[1]!))) {
      fail('options', '判断题的选项固定为“正确”“错误”，请留空');
    }
    const a = q.answer;
    const value = typeof a === 'boolean' ? a : typeof a === 'string' && TRUE_WORDS.has(a.trim().toLowerCase()) ? true : typeof a === 'string' && FALSE_WORDS.has(a.trim().toLowerCase()) ? false : undefined;
    if (value === undefined) fail('answer', '判断题的答案应为 true/false（或“正确”“错误”“对”“错”）');
    return { ...q, options: [...TRUEFALSE_OPTIONS], answer: value ?? false };
  }
  if (q.options.length < 2) fail('options', `${QUESTION_TYPE_LABELS[q.type]}至少要有 2 个选项`);
  const seen = new Set<string>();
  q.options.forEach((o, i) => {
    if (seen.has(o)) ctx.addIssue({ code: 'custom', path: ['options', i], message: `选项“${o}”重复了` });
    seen.add(o);
  });
  if (typeof q.answer === 'boolean') {
    fail('answer', `${QUESTION_TYPE_LABELS[q.type]}的答案应为选项之一，不能是 true/false`);
    return { ...q, answer: q.type === 'single' ? '' : [] };
  }
  if (q.type === 'single') {
    const token = Array.isArray(q.answer) ? (q.answer.length === 1 ? q.answer[0]! : undefined) : q.answer;
    const index = token === undefined ? undefined : optionIndex(q.options, token);
    if (index === undefined) {
      fail('answer', Array.isArray(q.answer) && q.answer.length !== 1 ? '单选题只能有一个答案' : `单选题的答案必须是选项之一（${listOptions(q.options)}），现为“${String(token)}”`);
      return { ...q, answer: '' };
    }
    return { ...q, answer: q.options[index]! };
  }
  // multiple: a list, or one string of letters / separated texts ("AC", "A,C", "甲｜乙")
  const raw = q.answer;
  const tokens: Array<string | number> = Array.isArray(raw) ? raw : typeof raw === 'number' ? [raw] : q.options.includes(raw.trim()) ? [raw] : /^[A-Ha-h]{1,8}$/.test(raw.trim()) ? [...raw.trim()] : raw.split(/[,，、;；|｜\n]/).map((s) => s.trim()).filter(Boolean);
  const picked = new Set<number>();
  for (const token of tokens) {
    const index = optionIndex(q.options, token);
    if (index === undefined) {
      fail('answer', `多选题的答案必须都是选项（${listOptions(q.options)}），“${String(token)}”不是`);
      return { ...q, answer: [] };
    }
    picked.add(index);
  }
  if (picked.size === 0) fail('answer', '多选题至少要有一个正确选项');
  return { ...q, answer: [...picked].sort((a, b) => a - b).map((i) => q.options[i]!) };
}

/** A question as written by an editor, a script or an import; its output is the stored form. */
export const QuestionInputSchema = z.object({ ...QuestionFields, answer: answerValue }).transform((q, ctx) => normalizeQuestion(q, ctx));
export type QuestionInput = z.input<typeof QuestionInputSchema>;

/** A result band: scores min..max (0–100, inclusive) get this title and text. */
export const BandSchema = z.object({
  min: z.number('最低分应为数字').int('分数应为整数').min(0, '分数范围是 0–100').max(100, '分数范围是 0–100'),
  max: z.number('最高分应为数字').int('分数应为整数').min(0, '分数范围是 0–100').max(100, '分数范围是 0–100'),
  title: text('结果标题', 30),
  text: text('结果评语', 300),
});
export type Band = z.infer<typeof BandSchema>;

/** Bands must cover 0–100 once: sorted by `min`, each starts one above the previous `max`. */
export function checkBands(bands: Band[], ctx: z.RefinementCtx): void {
  bands.forEach((b, i) => {
    if (b.min > b.max) ctx.addIssue({ code: 'custom', path: [i, 'max'], message: `最高分 ${b.max} 小于最低分 ${b.min}` });
  });
  const order = bands.map((b, i) => ({ b, i })).sort((x, y) => x.b.min - y.b.min);
  let expected = 0;
  for (const { b, i } of order) {
    if (b.min > expected) {
      ctx.addIssue({ code: 'custom', path: [i, 'min'], message: `分段之间有空档：${expected === b.min - 1 ? expected : `${expected}–${b.min - 1}`} 分没有对应的结果` });
      return;
    }
    if (b.min < expected) {
      ctx.addIssue({ code: 'custom', path: [i, 'min'], message: `分段重叠：${b.min}–${Math.min(b.max, expected - 1)} 分同时属于两个分段` });
      return;
    }
    expected = b.max + 1;
  }
  if (expected <= 100) ctx.addIssue({ code: 'custom', path: [], message: `分段必须覆盖 0–100 分：${expected === 100 ? 100 : `${expected}–100`} 分没有对应的结果` });
}

export const BandsSchema = z.array(BandSchema).min(1, '至少要有一个结果分段').max(10, '最多 10 个结果分段').superRefine(checkBands);

/** The quiz fields of an item (kind `quiz`): intro, questions and result bands. */
export const QuizFields = {
  intro: z.string().trim().max(1000, '导语最多 1000 个字').default(''),
  questions: z.array(QuestionInputSchema).min(1, '至少要有一道题').max(100, '最多 100 道题'),
  bands: BandsSchema,
};

/** The same fields as stored (already normalized): what snapshots and the site read. */
export const StoredQuizFields = {
  intro: z.string().default(''),
  questions: z.array(QuestionSchema),
  bands: z.array(BandSchema),
};

/** Default bands for a new quiz. */
export const DEFAULT_BANDS: Band[] = [
  { min: 0, max: 59, title: '继续加油', text: '还有不少知识点需要巩固，看看解析再来一次吧。' },
  { min: 60, max: 89, title: '学得不错', text: '大部分题目都答对了，再接再厉！' },
  { min: 90, max: 100, title: '学习标兵', text: '知识掌握得非常扎实，分享给朋友一起来答题吧！' },
];
