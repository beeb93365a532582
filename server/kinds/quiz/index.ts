import { ValidationError } from '../../errors.ts';
import { S } from '../../exports/wechat-styles.ts';
import { bandCardPath, bandCardTexts } from './cards.ts';
import { quizFeedHtml, quizJsonLd, quizWechatHtml, quizWeiboText } from './channels.ts';
import { renderQuizHtml } from './html.ts';
import { DEFAULT_BANDS, TRUEFALSE_OPTIONS } from './questions.ts';
import type { KindModule } from '../types.ts';
import { QuizFieldsPart, QuizPreview, QuizReview } from './editor.tsx';
import { CreateQuizSchema, QuizDraftSchema, QuizItemSchema, QuizUpdateFields, type QuizItem } from './schema.ts';

/** The page script (public/scripts/quiz.js): a file, so a strict CSP without inline scripts keeps working. */
const SCRIPT = '<script src="/scripts/quiz.js" defer></script>';

/** H5 问答: questions with instant feedback on a static page, result bands with pre-rendered share cards. */
export const quiz: KindModule<QuizItem> = {
  kind: 'quiz',
  label: '知识问答',
  schemas: { item: QuizItemSchema, create: CreateQuizSchema, update: QuizUpdateFields, draft: QuizDraftSchema },
  checks: {
    beforeUpdate() {},
    beforeReview(item) {
      if (!item.questions.length) throw ValidationError.field('questions', '至少要有一道题才能提交审核');
    },
    beforePublish() {},
  },
  column: { key: 'quizzes', name: '知识问答', description: '答题学习，即时看解析' },
  html: {
    site: (item) => ({ before: [], after: [renderQuizHtml(item, { interactive: true }), SCRIPT] }),
    feed: quizFeedHtml,
    wechat: (item) => quizWechatHtml(item, S),
  },
  jsonLd: (item, ctx) => quizJsonLd(item, ctx),
  weibo: quizWeiboText,
  // band cards live under <dataDir>/media/quiz-cards/ (rendered on publish): linked into standalone builds
  media: (item) => bandCardTexts({ title: item.title, orgName: (item as { orgName?: string }).orgName ?? item.orgId, bands: item.bands }).map((t) => bandCardPath(t).slice(1)),
  editor: {
    newFields: null,
    fromNewForm: (_form, common) => ({
      ...common,
      questions: [{ type: 'truefalse', text: '（示例题，请修改）“两学一做”是指学党章党规、学系列讲话，做合格党员。', answer: true, explanation: '（请填写解析）' }],
    }),
    fields: QuizFieldsPart,
    preview: QuizPreview,
  },
  review: { beforeDiff: null, afterDiff: QuizReview },
  // stored form (drafts from a group are not parsed again): options and bands filled in
  fromGroup: ({ groupTitle }) => ({
    title: `“${groupTitle}”知识问答`,
    intro: '',
    questions: [{ type: 'truefalse', text: `关于“${groupTitle}”的说法（请改写为一道题）`, options: [...TRUEFALSE_OPTIONS], answer: false, explanation: '（请写明依据）', sources: [] }],
    bands: DEFAULT_BANDS,
  }),
  api: null,
  siteFiles: null,
};

export default quiz;
