import { escapeHtml } from '../../feeds/text.ts';
import { isSafeUrl } from '../../content/tiptap.ts';
import { bandCardPath, bandCardTexts } from './cards.ts';
import { OPTION_LETTERS, QUESTION_TYPE_LABELS, TRUEFALSE_OPTIONS, type Band, type Question } from './questions.ts';
import { answerLabel, correctIndexes } from './score.ts';

export interface QuizContent {
  id: string;
  title: string;
  orgName: string;
  intro: string;
  questions: Question[];
  bands: Band[];
}

export interface QuizHtmlOptions {
  /** Renders a question image (the site passes its responsive <picture> renderer). */
  image?: (src: string, alt: string) => string;
  /** Interactive markup hooks for the page script (data attributes, result area); off for feeds and WeChat. */
  interactive?: boolean;
}

const plainImage = (src: string, alt: string) => `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" loading="lazy">`;

/** Text with line breaks kept as <br>. */
const para = (text: string) => escapeHtml(text).replace(/\r?\n/g, '<br>');

/**
 * The quiz as an article: every question with its options, the right answer and the explanation,
 * then the result bands. This is what readers without JavaScript (and feeds) get; on the site the
 * page script (quiz.js) turns the same markup into one question at a time with instant feedback.
 */
export function renderQuizHtml(quiz: QuizContent, options: QuizHtmlOptions = {}): string {
  const image = options.image ?? plainImage;
  const on = options.interactive === true;
  const out: string[] = [];
  const total = quiz.questions.length;
  out.push(on ? `<section class="quiz" id="quiz" data-quiz="${escapeHtml(quiz.id)}" data-api="/api/quiz/${escapeHtml(encodeURIComponent(quiz.id))}/answers" aria-label="答题">` : '<section class="quiz">');
  if (quiz.intro) out.push(`<p class="quiz-intro">${para(quiz.intro)}</p>`);
  out.push(`<p class="meta quiz-count">共 ${total} 题，每题 ${total ? Math.round(1000 / total) / 10 : 0} 分，满分 100 分。</p>`);
  out.push('<ol class="quiz-questions">');
  quiz.questions.forEach((q, i) => {
    const right = correctIndexes(q);
    const attrs = on ? ` id="q${i + 1}" data-type="${q.type}" data-answer="${right.join(',')}"` : '';
    out.push(`<li class="quiz-q"${attrs}>`);
    out.push(`<p class="meta quiz-label">第 ${i + 1} 题 · ${QUESTION_TYPE_LABELS[q.type]}</p>`);
    out.push(`<h2 class="quiz-text">${para(q.text)}</h2>`);
    if (q.image && isSafeUrl(q.image)) out.push(`<div class="quiz-image">${image(q.image, `第 ${i + 1} 题配图`)}</div>`);
    out.push('<ol class="quiz-options">');
    (q.type === 'truefalse' ? TRUEFALSE_OPTIONS : q.options).forEach((o, j) => {
      const letter = q.type === 'truefalse' ? '' : `<span class="quiz-letter">${OPTION_LETTERS[j]}.</span> `;
      out.push(`<li${on ? ` data-i="${j}"` : ''}>${letter}${escapeHtml(o)}</li>`);
    });
    out.push('</ol>');
    out.push('<div class="quiz-expl">');
    out.push(`<p class="quiz-answer"><strong>答案：</strong>${escapeHtml(answerLabel(q))}</p>`);
    out.push(`<p>${para(q.explanation)}</p>`);
    const sources = q.sources.map((s) => (s.url && isSafeUrl(s.url) ? `<a href="${escapeHtml(s.url)}" rel="nofollow noopener">${escapeHtml(s.name)}</a>` : escapeHtml(s.name)));
    if (sources.length) out.push(`<p class="meta">来源：${sources.join('、')}</p>`);
    out.push('</div></li>');
  });
  out.push('</ol>');
  out.push('<section class="quiz-bands"><h2>得分与评价</h2><ul>');
  const cards = bandCardTexts(quiz);
  quiz.bands.forEach((b, i) => {
    const attrs = on ? ` data-min="${b.min}" data-max="${b.max}" data-card="${escapeHtml(bandCardPath(cards[i]!))}"` : '';
    out.push(`<li class="quiz-band"${attrs}><strong class="quiz-band-title">${escapeHtml(b.title)}</strong>（${b.min}–${b.max} 分）：<span class="quiz-band-text">${escapeHtml(b.text)}</span></li>`);
  });
  out.push('</ul></section>');
  out.push('</section>');
  return out.join('\n');
}
