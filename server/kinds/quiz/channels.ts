import type { Question } from './questions.ts';
import type { QuizContent } from './html.ts';
import { renderQuizHtml } from './html.ts';
import { escapeHtml } from '../../feeds/text.ts';
import { correctIndexes } from './score.ts';

/** What the quiz's channel parts read from a published item. */
export type PublishedQuiz = QuizContent & { url: string; summary: string; publishedAt?: string | undefined; updatedAt: string; tags: string[] };

const EDU_TYPES: Record<Question['type'], string> = { single: 'Multiple choice', multiple: 'Checkbox', truefalse: 'True/False' };

/** schema.org Quiz with one Question per `hasPart` (accepted and suggested answers, explanation). */
export function quizJsonLd(item: PublishedQuiz, ctx: { siteUrl: string; imageUrl: string }): object[] {
  const url = new URL(item.url, ctx.siteUrl).href;
  return [
    {
      '@context': 'https://schema.org',
      '@type': 'Quiz',
      name: item.title,
      description: item.summary || item.intro || item.title,
      url,
      image: [ctx.imageUrl],
      inLanguage: 'zh-CN',
      datePublished: item.publishedAt ?? item.updatedAt,
      dateModified: item.updatedAt,
      author: { '@type': 'Organization', name: item.orgName },
      ...(item.tags.length ? { about: item.tags.map((t) => ({ '@type': 'Thing', name: t })) } : {}),
      hasPart: item.questions.map((q, i) => {
        const right = correctIndexes(q);
        const answer = (o: number) => ({ '@type': 'Answer', position: o, text: q.options[o] });
        return {
          '@type': 'Question',
          position: i + 1,
          eduQuestionType: EDU_TYPES[q.type],
          text: q.text,
          learningResourceType: 'Practice problem',
          acceptedAnswer: right.map((o) => ({ ...answer(o), answerExplanation: { '@type': 'Comment', text: q.explanation } })),
          suggestedAnswer: q.options.map((_, o) => o).filter((o) => !right.includes(o)).map(answer),
        };
      }),
    },
  ];
}

/** WeChat cannot run the page script: the article is a teaser with the first question and the link. */
export function quizWechatHtml(item: PublishedQuiz, styles: { p: string }): { before: string[]; after: string[] } {
  const link = escapeHtml(item.url);
  const first = item.questions[0];
  return {
    before: [
      ...(item.intro ? [`<p style="${styles.p}">${escapeHtml(item.intro)}</p>`] : []),
      `<p style="${styles.p}"><strong>共 ${item.questions.length} 道题，答完即可看到你的得分和评语。</strong></p>`,
      ...(first ? [`<p style="${styles.p}">第 1 题：${escapeHtml(first.text)}</p>`, ...first.options.map((o, i) => `<p style="${styles.p}">${first.type === 'truefalse' ? '' : `${'ABCDEFGH'[i]}. `}${escapeHtml(o)}</p>`)] : []),
    ],
    after: [`<p style="${styles.p}">点击“阅读原文”开始答题：<a href="${link}">${link}</a></p>`],
  };
}

/** Weibo long text: a teaser line before the body and the call to answer after it (the link follows). */
export function quizWeiboText(item: PublishedQuiz): { before: string[]; after: string[] } {
  return { before: [`【有奖知识问答】共 ${item.questions.length} 道题，来测测你能得几分？${item.intro ? `\n${item.intro}` : ''}`], after: ['点击链接答题，答完看解析和你的评语。'] };
}

/** Feeds get the whole quiz as an article: questions, answers and explanations. */
export const quizFeedHtml = (item: PublishedQuiz) => ({ before: [], after: [renderQuizHtml(item)] });
