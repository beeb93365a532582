/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { AppError } from '../../errors.ts';
import { MAX_IMPORT_FILE, readImportFile } from '../../http/upload.ts';
import { parseInput } from '../../validate.ts';
import { QUESTION_TYPE_LABELS } from '../../kinds/quiz/questions.ts';
import { CreateBankQuestionSchema, ListBankQuerySchema, UpdateBankQuestionSchema, type BankImportResult } from '../../quiz-bank/schema.ts';
import { createBankQuestion, deleteBankQuestion, getBankQuestion, importBank, listBank, updateBankQuestion } from '../../quiz-bank/service.ts';
import { renderPage } from '../shared/layout.tsx';
import { Csrf, FormCard } from '../shared/form-card.tsx';
import { formAction, one } from '../shared/forms.ts';
import { answerText, firstQuestionFromForm, QuestionFields } from './question-form.tsx';
import questions from './questions.tsx';

/** The question bank (题库): list, search, add, edit, delete and import from CSV/XLSX. */
const app = new Hono<AppEnv>();
const BANK = '/workbench/quiz-bank';

async function bankPage(c: Context<AppEnv>, outcome: { result?: BankImportResult; error?: string } = {}, status: 200 | 400 | 413 = 200) {
  const user = assertUser(c.var.user);
  const query = parseInput(ListBankQuerySchema, { q: c.req.query('q') || undefined, page: c.req.query('page') || undefined });
  const bank = await listBank({ deps: c.var.deps, actor: user, query });
  const csrf = c.var.session?.csrf ?? '';
  return renderPage(c, {
    title: '题库',
    nav: 'quiz',
    status,
    body: (
      <>
        <h1>题库（{user.orgId}）</h1>
        <p class="hint">本组织的题目可在多个问答中重复使用：在问答的“题目”页从题库选题。</p>
        <form method="get" action={BANK} class="filters" role="search">
          <label for="q">搜索</label>
          <input id="q" name="q" value={query.q ?? ''} />
          <button type="submit">搜索</button>
        </form>
        <table class="list" data-bank>
          <caption>共 {bank.total} 题</caption>
          <thead>
            <tr>
              <th scope="col">题型</th>
              <th scope="col">题目</th>
              <th scope="col">答案</th>
              <th scope="col">标签</th>
            </tr>
          </thead>
          <tbody>
            {bank.questions.map((q) => (
              <tr>
                <td>{QUESTION_TYPE_LABELS[q.type]}</td>
                <td>
                  <a href={`${BANK}/${q.id}`}>{q.text}</a>
                </td>
                <td>{answerText(q)}</td>
                <td>{q.tags.join('、')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <section class="card narrow" aria-labelledby="import-title">
          <h2 id="import-title">从 CSV / Excel 导入</h2>
          <p class="hint">首行为列名：题型、题目、选项（每个选项用 | 分隔，或 A、B、C、D 列）、答案（字母，判断题填 对/错）、解析，可选 来源、图片、标签。支持 UTF-8 和 GBK 编码的 CSV 以及 .xlsx；同一题目不会重复导入。</p>
          {outcome.error && (
            <p class="flash flash-error" role="alert">
              {outcome.error}
            </p>
          )}
          <form method="post" action={`${BANK}/import`} enctype="multipart/form-data" class="stack">
            <Csrf token={csrf} />
            <label for="file">文件（.csv 或 .xlsx）</label>
            <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv" required />
            <p>
              <button type="submit" class="primary">
                导入
              </button>
            </p>
          </form>
          {outcome.result && (
            <div data-import-result>
              <p role="status">
                导入 <strong data-imported>{outcome.result.imported}</strong> 题，跳过（题库已有）<strong>{outcome.result.skipped}</strong> 题，错误 <strong>{outcome.result.errors.length}</strong> 行。
              </p>
              {outcome.result.errors.length > 0 && (
                <ul>
                  {outcome.result.errors.map((e) => (
                    <li>
                      第 {e.line} 行：{e.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </section>
        <FormCard id="add-title" title="添加题目" action={BANK} csrf={csrf}>
          <QuestionFields n={0} legend="新题目" />
          <label for="tags">标签（用逗号分隔）</label>
          <input id="tags" name="tags" />
          <p>
            <button type="submit" class="primary">
              添加到题库
            </button>
          </p>
        </FormCard>
      </>
    ),
  });
}

app.get('/quiz-bank', (c) => bankPage(c));

app.post('/quiz-bank', (c) =>
  formAction(c, BANK, async ({ user, form }) => {
    const q = await createBankQuestion({ deps: c.var.deps, actor: user, input: parseInput(CreateBankQuestionSchema, firstQuestionFromForm(form)) });
    return { ok: `已添加：${q.text.slice(0, 30)}` };
  }),
);

app.post('/quiz-bank/import', async (c) => {
  const user = assertUser(c.var.user);
  try {
    // streamed to a temp file with the cap; CSRF was checked from the field before the file (auth/middleware.ts)
    const { content, name } = await readImportFile(c, 'CSV 或 XLSX', MAX_IMPORT_FILE, { multipartOnly: true });
    const format = /\.xlsx$/i.test(name) ? 'xlsx' : /\.csv$/i.test(name) ? 'csv' : undefined;
    return bankPage(c, { result: await importBank({ deps: c.var.deps, actor: user, content, ...(format ? { format } : {}) }) });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500 || error.status === 403) throw error;
    return bankPage(c, { error: error.message }, error.status === 413 ? 413 : 400);
  }
});

app.get('/quiz-bank/:id', async (c) => {
  const user = assertUser(c.var.user);
  const q = await getBankQuestion({ deps: c.var.deps, actor: user, id: c.req.param('id') });
  const csrf = c.var.session?.csrf ?? '';
  return renderPage(c, {
    title: '编辑题目',
    nav: 'quiz',
    body: (
      <>
        <p class="meta">
          <a href={BANK}>题库</a>
        </p>
        <h1>编辑题目</h1>
        <form method="post" action={`${BANK}/${q.id}`} class="stack card narrow">
          <Csrf token={csrf} />
          <input type="hidden" name="version" value={String(q.version)} />
          <QuestionFields n={0} q={q} legend="题目" />
          <label for="tags">标签（用逗号分隔）</label>
          <input id="tags" name="tags" value={q.tags.join('，')} />
          <p>
            <button type="submit" class="primary">
              保存
            </button>
          </p>
        </form>
        <form method="post" action={`${BANK}/${q.id}/delete`} class="inline">
          <Csrf token={csrf} />
          <input type="hidden" name="version" value={String(q.version)} />
          <button type="submit">删除这道题</button>
        </form>
      </>
    ),
  });
});

app.post('/quiz-bank/:id', (c) =>
  formAction(c, `${BANK}/${c.req.param('id')}`, async ({ user, form }) => {
    const input = parseInput(UpdateBankQuestionSchema, { ...firstQuestionFromForm(form), version: Number(one(form, 'version')) });
    await updateBankQuestion({ deps: c.var.deps, actor: user, id: c.req.param('id'), input });
    return { ok: '题目已保存' };
  }),
);

app.post('/quiz-bank/:id/delete', (c) =>
  formAction(c, `${BANK}/${c.req.param('id')}`, async ({ user, form }) => {
    await deleteBankQuestion({ deps: c.var.deps, actor: user, id: c.req.param('id'), version: Number(one(form, 'version')) });
    return { ok: '题目已删除', to: BANK };
  }),
);

app.route('/', questions);

export default app;
