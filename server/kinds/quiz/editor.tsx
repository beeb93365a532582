/** @jsxImportSource hono/jsx */
import { QUESTION_TYPE_LABELS } from './questions.ts';
import { answerLabel } from './score.ts';
import { diffQuestions, bandLines } from './diff.ts';
import { approvedOf } from './wire.ts';
import type { EditorContext, ReviewContext } from '../types.ts';
import type { QuizItem } from './schema.ts';

/** On the edit page: the questions at a glance and the link to the questions page. */
export function QuizFieldsPart({ item, mode }: EditorContext<QuizItem>) {
  return (
    <section class="claims" aria-labelledby="quiz-title" data-quiz-summary>
      <h2 id="quiz-title">
        题目（{item.questions.length} 题）与评分（{item.bands.length} 档）
      </h2>
      <p>
        <a href={`/workbench/items/${item.id}/questions`}>{mode === 'edit' ? '编辑题目、评分和从题库选题' : '查看题目与答题统计'}</a>
      </p>
      <ol>
        {item.questions.map((q) => (
          <li>
            [{QUESTION_TYPE_LABELS[q.type]}] {q.text} <span class="meta">答案：{answerLabel(q)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function QuizPreview(item: QuizItem) {
  return (
    <section>
      <h2>问答（{item.questions.length} 题）</h2>
      {item.intro && <p>{item.intro}</p>}
      <ol>
        {item.questions.map((q) => (
          <li>
            <p>{q.text}</p>
            <p class="meta">答案：{answerLabel(q)}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Review: what changed in the questions and bands since the last approval (all of them on a first review). */
export async function QuizReview({ deps, item }: ReviewContext<QuizItem>) {
  const approved = await approvedOf(deps).get(item.id);
  const changes = diffQuestions(approved?.questions ?? [], item.questions);
  const bandsBefore = bandLines(approved?.bands ?? []);
  const bandsAfter = bandLines(item.bands);
  const bandsChanged = bandsBefore.join('\n') !== bandsAfter.join('\n');
  const op = { add: '新增', remove: '删除', change: '修改' } as const;
  return (
    <section class="card" aria-labelledby="quiz-diff-title" data-quiz-diff>
      <h2 id="quiz-diff-title">题目变化{approved ? '（与上次审核通过的版本相比）' : '（首次审核，全部为新增）'}</h2>
      {changes.length === 0 ? (
        <p>题目没有变化。</p>
      ) : (
        <ol class="diff-blocks">
          {changes.map((c) => (
            <li data-op={c.op}>
              <strong>
                {op[c.op]}第 {c.index + 1} 题：
              </strong>
              {c.text}
              {c.op === 'change' && (
                <ul>
                  {c.fields.map((f) => (
                    <li>
                      {f.label}：<del>{f.before || '（空）'}</del> → <ins>{f.after || '（空）'}</ins>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      <h3>评分分段{bandsChanged && approved ? '（有变化）' : ''}</h3>
      <ul>
        {bandsAfter.map((b) => (
          <li>{bandsBefore.includes(b) || !approved ? b : <ins>{b}</ins>}</li>
        ))}
        {approved && bandsBefore.filter((b) => !bandsAfter.includes(b)).map((b) => <li><del>{b}</del></li>)}
      </ul>
    </section>
  );
}
