/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { ValidationError } from '../../errors.ts';
import { getItem, updateItem } from '../../content/service.ts';
import { parseInput } from '../../validate.ts';
import { BandsSchema, QuizFields, QUESTION_TYPE_LABELS, StoredQuizFields, type Band } from '../../kinds/quiz/questions.ts';
import { quizStats } from '../../kinds/quiz/answers.ts';
import { listBank } from '../../quiz-bank/service.ts';
import { renderPage } from '../shared/layout.tsx';
import { Csrf } from '../shared/form-card.tsx';
import { formAction, many, one } from '../shared/forms.ts';
import { QuestionFields, questionsFromForm } from './question-form.tsx';

/** The questions page of a quiz: edit questions and bands, add from the bank, see what readers get wrong. */
const app = new Hono<AppEnv>();
const href = (id: string) => `/workbench/items/${id}/questions`;
const QuizPart = z.object(StoredQuizFields);
const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

async function loadQuiz(c: { var: AppEnv['Variables'] }, id: string) {
  const item = (await getItem({ deps: c.var.deps, id })) as unknown as { id: string; kind: string; title: string; version: number; status: string; orgId: string } & Record<string, unknown>;
  // an item without questions and bands is not a quiz: the page has nothing to edit
  const quiz = QuizPart.safeParse(item);
  if (!quiz.success) throw ValidationError.field('id', '只有知识问答稿件有题目页');
  return { item, quiz: quiz.data };
}

app.get('/items/:id/questions', async (c) => {
  const user = assertUser(c.var.user);
  const { item, quiz } = await loadQuiz(c, c.req.param('id'));
  const editable = ['draft', 'changes-requested'].includes(item.status) && user.orgId === item.orgId;
  const csrf = c.var.session?.csrf ?? '';
  const bank = editable ? (await listBank({ deps: c.var.deps, actor: user, query: { page: 1, pageSize: 500 } }).catch(() => ({ questions: [] }))).questions : [];
  const used = new Set(quiz.questions.map((q) => q.bankId).filter(Boolean));
  const stats = item.status === 'published' || item.status === 'retracted' ? await quizStats({ deps: c.var.deps, id: item.id }) : undefined;
  return renderPage(c, {
    title: `题目：${item.title}`,
    nav: 'items',
    body: (
      <>
        <p class="meta">
          <a href={`/workbench/items/${item.id}/edit`}>返回稿件</a>
        </p>
        <h1>题目与评分：{item.title}</h1>
        {stats && (
          <section class="card" aria-labelledby="wrong-title" data-quiz-stats>
            <h2 id="wrong-title">大家最容易答错的题</h2>
            <p>
              开始答题 <strong>{stats.starts}</strong> 人次，完成 <strong>{stats.finishes}</strong> 人次，完成率 <strong>{pct(stats.completionRate)}</strong>。
            </p>
            {stats.hardest.length === 0 ? (
              <p>还没有人答题。</p>
            ) : (
              <table class="list">
                <caption>按正确率从低到高（可作为下一篇谣言识破攻略的选题）</caption>
                <thead>
                  <tr>
                    <th scope="col">题号</th>
                    <th scope="col">题目</th>
                    <th scope="col">作答</th>
                    <th scope="col">正确率</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.hardest.map((q) => (
                    <tr data-question-index={q.index}>
                      <td>{q.index + 1}</td>
                      <td>{q.text}</td>
                      <td>{q.answered}</td>
                      <td>{pct(q.correctRate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
        {!editable && <p class="hint">只有草稿或退回修改的问答可以修改题目；已发布的问答请先撤回或以更正方式修改。</p>}
        <form method="post" action={href(item.id)} class="stack">
          <Csrf token={csrf} />
          <input type="hidden" name="version" value={String(item.version)} />
          <label for="intro">导语</label>
          <textarea id="intro" name="intro" rows={3} maxlength={1000} readonly={!editable}>
            {quiz.intro}
          </textarea>
          {quiz.questions.map((q, i) => (
            <div>
              <QuestionFields n={i} q={q} legend={`第 ${i + 1} 题（${QUESTION_TYPE_LABELS[q.type]}）`} />
              {editable && (
                <label>
                  <input type="checkbox" name="remove" value={String(i)} /> 删除第 {i + 1} 题
                </label>
              )}
            </div>
          ))}
          {editable && <QuestionFields n={quiz.questions.length} legend="新增一题（不填则忽略）" />}
          <fieldset>
            <legend>结果分段（须覆盖 0–100 分，不重叠）</legend>
            {[...quiz.bands, ...(editable ? [undefined] : [])].map((b: Band | undefined, i) => (
              <div class="row">
                <label for={`band-${i}-min`}>最低分</label>
                <input id={`band-${i}-min`} name="bandMin" type="number" min={0} max={100} value={b ? String(b.min) : ''} />
                <label for={`band-${i}-max`}>最高分</label>
                <input id={`band-${i}-max`} name="bandMax" type="number" min={0} max={100} value={b ? String(b.max) : ''} />
                <label for={`band-${i}-title`}>标题</label>
                <input id={`band-${i}-title`} name="bandTitle" value={b?.title ?? ''} maxlength={30} />
                <label for={`band-${i}-text`}>评语</label>
                <input id={`band-${i}-text`} name="bandText" value={b?.text ?? ''} maxlength={300} />
              </div>
            ))}
          </fieldset>
          {editable && bank.length > 0 && (
            <fieldset>
              <legend>从题库选题（加到末尾）</legend>
              {bank
                .filter((b) => !used.has(b.id))
                .map((b) => (
                  <label>
                    <input type="checkbox" name="fromBank" value={b.id} /> [{QUESTION_TYPE_LABELS[b.type]}] {b.text}
                  </label>
                ))}
            </fieldset>
          )}
          {editable && (
            <p>
              <button type="submit" class="primary">
                保存题目
              </button>
            </p>
          )}
        </form>
      </>
    ),
  });
});

app.post('/items/:id/questions', (c) =>
  formAction(c, href(c.req.param('id')), async ({ user, form }) => {
    const { item } = await loadQuiz(c, c.req.param('id'));
    const removed = new Set(many(form, 'remove').map(Number));
    const written = questionsFromForm(form);
    // the last block is the empty "new question" form unless something was typed in it
    const blank = (q: Record<string, unknown>) => !String(q.text ?? '').trim() && !String(q.explanation ?? '').trim() && !(q.options as string[]).length;
    const kept = written.filter((q, i) => !removed.has(i) && !(i === written.length - 1 && blank(q)));
    if (many(form, 'fromBank').length) {
      const bank = (await listBank({ deps: c.var.deps, actor: user, query: { page: 1, pageSize: 500 } })).questions;
      for (const id of many(form, 'fromBank')) {
        const b = bank.find((x) => x.id === id);
        if (!b) throw ValidationError.field('fromBank', `题库中没有题目 ${id}`);
        kept.push({ type: b.type, text: b.text, options: b.type === 'truefalse' ? [] : b.options, answer: b.answer, explanation: b.explanation, sources: b.sources, ...(b.image ? { image: b.image } : {}), bankId: b.id } as Record<string, unknown>);
      }
    }
    const mins = many(form, 'bandMin');
    const bands = mins
      .map((min, i) => ({ min, max: many(form, 'bandMax')[i] ?? '', title: many(form, 'bandTitle')[i] ?? '', text: many(form, 'bandText')[i] ?? '' }))
      .filter((b) => b.min !== '' || b.max !== '' || b.title.trim() || b.text.trim())
      .map((b) => ({ ...b, min: Number(b.min), max: Number(b.max) }));
    const fields = parseInput(z.object({ intro: QuizFields.intro, questions: QuizFields.questions, bands: BandsSchema }), { intro: one(form, 'intro'), questions: kept, bands });
    const input = { version: Number(one(form, 'version')), ...fields } as unknown as Parameters<typeof updateItem>[0]['input'];
    await updateItem({ deps: c.var.deps, actor: user, id: item.id, input });
    return { ok: `已保存 ${fields.questions.length} 道题` };
  }),
);

export default app;

