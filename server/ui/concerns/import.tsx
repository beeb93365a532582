/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { AppError, PayloadTooLargeError, ValidationError } from '../../errors.ts';
import type { ImportResult } from '../../concerns/schema.ts';
import { importConcerns } from '../../concerns/service.ts';
import { renderPage } from '../shared/layout.tsx';
import { ConcernsNav, Csrf, FormError, pickWeek } from './common.tsx';

const app = new Hono<AppEnv>();
const MAX_UPLOAD = 10_000_000;

// UTF-8 with a BOM so that Excel on Chinese Windows opens the headers as Chinese, not mojibake.
const TEMPLATE = `\uFEFF内容,平台,链接,类别,区县,时间,作者\r\n青年路地下通道积水一米深，车辆熄火,微博,https://weibo.com/123/AbCd,交通,亭湖区,2026/11/29 9:30,小盐粒\r\n`;

app.get('/concerns/import/template.csv', (c) => {
  assertUser(c.var.user);
  return c.body(TEMPLATE, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="template.csv"; filename*=UTF-8''${encodeURIComponent('关切导入模板.csv')}` });
});

function render(c: Context<AppEnv>, outcome: { result?: ImportResult; error?: string; name?: string } = {}, status: 200 | 400 | 403 | 413 = 200) {
  const { result, error, name } = outcome;
  const body = (
    <>
      <h1>批量导入关切</h1>
      <ConcernsNav current="import" week={pickWeek(c.var.deps, undefined)} />
      <section class="card narrow" aria-labelledby="import-title">
        <h2 id="import-title">上传文件</h2>
        <p class="hint">
          CSV（首行为列名，可用中文列名：内容、平台、链接、类别、区县、时间、作者）或 JSON Lines（每行一个对象）。时间可写 2026-11-29 9:30、2026/11/29、2026年11月29日 9:30 或 Excel 日期；区县可简写（亭湖 → 亭湖区）。文件可为 UTF-8（带或不带 BOM）或 GB18030。同一文件重复导入不会重复登记。
        </p>
        <p>
          <a href="/workbench/concerns/import/template.csv" download="关切导入模板.csv" data-template>
            下载导入模板（中文列名）
          </a>
        </p>
        <FormError message={error} />
        <form method="post" action="/workbench/concerns/import" enctype="multipart/form-data" class="stack">
          <Csrf token={c.var.session?.csrf ?? ''} />
          <label for="file">文件（.csv 或 .jsonl）</label>
          <input id="file" name="file" type="file" accept=".csv,.jsonl,.ndjson,.json,text/csv" required />
          <p>
            <button type="submit" class="primary">
              导入
            </button>
          </p>
        </form>
      </section>
      {result && (
        <section class="card" aria-labelledby="result-title" data-import-result>
          <h2 id="result-title">导入结果{name ? `：${name}` : ''}</h2>
          <p role="status">
            导入 <strong data-imported>{result.imported}</strong> 条，跳过（已登记过）<strong data-skipped>{result.skipped}</strong> 条
            {result.duplicates ? `，其中 ${result.duplicates} 条与本周已有关切重复并已关联` : ''}，错误 <strong>{result.errors.length}</strong> 行。
          </p>
          {result.errors.length > 0 && (
            <table class="list">
              <caption>有问题的行（未导入）</caption>
              <thead>
                <tr>
                  <th scope="col">行号</th>
                  <th scope="col">原因</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((e) => (
                  <tr>
                    <td>第 {e.line} 行</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            <a href="/workbench/concerns">查看本周关切</a>
          </p>
        </section>
      )}
    </>
  );
  return renderPage(c, { title: '批量导入关切', nav: 'concerns', body, status });
}

app.get('/concerns/import', (c) => render(c));

app.post('/concerns/import', async (c) => {
  const actor = assertUser(c.var.user);
  try {
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0) throw ValidationError.field('file', '请选择一个 CSV 或 JSON Lines 文件');
    if (file.size > MAX_UPLOAD) throw new PayloadTooLargeError(`file: 文件超过 ${MAX_UPLOAD / 1e6} MB 上限`);
    const format = /\.(jsonl|ndjson|json)$/i.test(file.name) ? 'jsonl' : /\.csv$/i.test(file.name) ? 'csv' : undefined;
    const result = await importConcerns({ deps: c.var.deps, actor, content: new Uint8Array(await file.arrayBuffer()), ...(format ? { format } : {}) });
    return render(c, { result, name: file.name });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return render(c, { error: error.message }, error.status === 403 || error.status === 413 ? error.status : 400);
  }
});

export default app;
