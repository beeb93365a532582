/** @jsxImportSource hono/jsx */
import { OPTION_LETTERS, QUESTION_TYPES, QUESTION_TYPE_LABELS, type Question } from '../../kinds/quiz/questions.ts';
import { correctIndexes } from '../../kinds/quiz/score.ts';
import { many, one, type FormData } from '../shared/forms.ts';

/** The answer as an editor types it: letters (`B`, `AC`) or 正确/错误. */
export function answerText(q: Pick<Question, 'type' | 'answer' | 'options'>): string {
  if (q.type === 'truefalse') return q.answer === true ? '正确' : '错误';
  return correctIndexes(q as Question)
    .map((i) => OPTION_LETTERS[i])
    .join('');
}

/** One question's fields; `n` makes the ids unique when a page holds many (the names repeat, read back in order). */
export function QuestionFields({ n, q, legend }: { n: number; q?: Partial<Question> | undefined; legend: string }) {
  const id = (f: string) => `q${n}-${f}`;
  return (
    <fieldset class="claim" data-question>
      <legend>{legend}</legend>
      <label for={id('type')}>题型</label>
      <select id={id('type')} name="type">
        {QUESTION_TYPES.map((t) => (
          <option value={t} selected={q?.type === t}>
            {QUESTION_TYPE_LABELS[t]}
          </option>
        ))}
      </select>
      <label for={id('text')}>题目</label>
      <textarea id={id('text')} name="text" rows={2} maxlength={500}>
        {q?.text ?? ''}
      </textarea>
      <label for={id('options')}>选项（每行一个，依次为 A、B、C…；判断题留空）</label>
      <textarea id={id('options')} name="options" rows={4}>
        {q?.type === 'truefalse' ? '' : (q?.options ?? []).join('\n')}
      </textarea>
      <label for={id('answer')}>答案（选项字母，如 B 或 AC；判断题填“正确”或“错误”）</label>
      <input id={id('answer')} name="answer" value={q?.type && q.answer !== undefined ? answerText(q as Question) : ''} />
      <label for={id('explanation')}>解析</label>
      <textarea id={id('explanation')} name="explanation" rows={3} maxlength={2000}>
        {q?.explanation ?? ''}
      </textarea>
      <label for={id('sources')}>来源（每行一条：名称 | 网址，可选）</label>
      <textarea id={id('sources')} name="sources" rows={2}>
        {(q?.sources ?? []).map((s) => (s.url ? `${s.name} | ${s.url}` : s.name)).join('\n')}
      </textarea>
      <input type="hidden" name="bankId" value={q?.bankId ?? ''} />
    </fieldset>
  );
}

const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/** Questions from a form with repeated question fields, in page order (raw: the schema checks them). */
export function questionsFromForm(form: FormData): Record<string, unknown>[] {
  const types = many(form, 'type');
  const at = (key: string, i: number) => many(form, key)[i] ?? '';
  return types.map((type, i) => {
    const options = lines(at('options', i));
    const answer = at('answer', i).trim();
    const sources = lines(at('sources', i)).map((l) => {
      const [name, url] = l.split(/\s*[|｜]\s*/);
      return url ? { name: name ?? '', url } : { name: name ?? '' };
    });
    const bankId = at('bankId', i);
    return {
      type,
      text: at('text', i),
      options: type === 'truefalse' ? [] : options,
      // several letters without separators are a multiple-choice answer: keep the string, the schema splits it
      answer: type === 'multiple' && /^[A-Ha-h]+$/.test(answer) ? [...answer.toUpperCase()] : answer,
      explanation: at('explanation', i),
      sources,
      ...(bankId ? { bankId } : {}),
    };
  });
}

export const firstQuestionFromForm = (form: FormData) => ({ ...questionsFromForm(form)[0], tags: one(form, 'tags').split(/[,，、\s]+/).filter(Boolean) });
