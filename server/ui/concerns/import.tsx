/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { AppError } from '../../errors.ts';
import { readImportFile } from '../../http/upload.ts';
import { CONCERN_IMPORT_MAX_BYTES } from '../../security/body-limit.ts';
import { getImport, importView, listImports, type ConcernImportView } from '../../concerns/imports.ts';
import { commitImport, importConcerns } from '../../concerns/service.ts';
import { importFormat } from '../../concerns/upload.ts';
import { renderPage } from '../shared/layout.tsx';
import { setFlash } from '../shared/flash.ts';
import { formatTime } from '../shared/lookups.ts';
import { ConcernsNav, Csrf, FormError, pickWeek } from './common.tsx';

const app = new Hono<AppEnv>();
const importHref = (id: string) => `/workbench/concerns/imports/${id}`;

const HEADERS = ['内容', '平台', '链接', '类别', '区县', '时间', '作者'];
const EXAMPLE = ['青年路地下通道积水一米深，车辆熄火', '微博', 'https://weibo.com/123/AbCd', '交通', '亭湖区', '2026/11/29 9:30', '小盐粒'];
// UTF-8 with a BOM so that Excel on Chinese Windows opens the headers as Chinese, not mojibake.
const TEMPLATE = `\uFEFF${HEADERS.join(',')}\r\n${EXAMPLE.join(',')}\r\n`;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (ascii: string, name: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

app.get('/concerns/import/template.csv', (c) => {
  assertUser(c.var.user);
  return c.body(TEMPLATE, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment('template.csv', '关切导入模板.csv') });
});

// The same template as an Excel workbook: the time column is a real date cell, as Excel users fill it in.
app.get('/concerns/import/template.xlsx', async (c) => {
  assertUser(c.var.user);
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  const sheet = book.addWorksheet('关切');
  sheet.addRow(HEADERS).font = { bold: true };
  // exceljs writes a Date as the wall-clock time it holds in UTC: 2026/11/29 9:30 China time
  sheet.addRow([...EXAMPLE.slice(0, 5), new Date(Date.UTC(2026, 10, 29, 9, 30)), EXAMPLE[6]]);
  sheet.getColumn(6).numFmt = 'yyyy/m/d h:mm';
  sheet.getColumn(1).width = 40;
  const bytes = await book.xlsx.writeBuffer();
  return c.body(new Uint8Array(bytes as ArrayBuffer), 200, { 'content-type': XLSX_TYPE, 'content-disposition': attachment('template.xlsx', '关切导入模板.xlsx') });
});

function Counts({ record }: { record: ConcernImportView }) {
  const preview = record.status === 'preview';
  return (
    <p role="status">
      {preview ? '将导入' : '导入'} <strong data-imported>{record.imported}</strong> 条，跳过（已登记过）<strong data-skipped>{record.skipped}</strong> 条
      {record.duplicates ? `，其中 ${record.duplicates} 条与本周已有关切重复${preview ? '，将' : '并已'}关联` : ''}，错误 <strong data-errors>{record.errorCount}</strong> 行{preview ? '（不会导入）' : ''}。
    </p>
  );
}

function ImportRecordView({ record, csrf }: { record: ConcernImportView; csrf: string }) {
  const preview = record.status === 'preview';
  const cell = (row: ConcernImportView['preview'][number], key: string) => row.values[key] ?? '';
  return (
    <>
      <section class="card" aria-labelledby="result-title" {...(preview ? { 'data-import-preview': '' } : { 'data-import-result': '' })}>
        <h2 id="result-title">
          {preview ? '导入预览' : '导入结果'}
          {record.name ? `：${record.name}` : ''}
        </h2>
        <p class="meta">
          上传于 {formatTime(record.createdAt)}
          {record.committedAt ? ` · 确认导入于 ${formatTime(record.committedAt)}` : ''} · 共读到 {record.rows} 行
        </p>
        <Counts record={record} />
        {preview && (
          <form method="post" action={`${importHref(record.id)}/commit`} class="row">
            <Csrf token={csrf} />
            <button type="submit" class="primary" disabled={record.imported === 0}>
              确认导入 {record.imported} 条
            </button>
            <a href="/workbench/concerns/import">取消，重新上传</a>
          </form>
        )}
        {!preview && (
          <p>
            <a href="/workbench/concerns">查看本周关切</a>
          </p>
        )}
      </section>
      {record.preview.length > 0 && (
        <section class="card" aria-labelledby="preview-title">
          <h2 id="preview-title">前 {record.preview.length} 行</h2>
          <table class="list cards" data-preview-rows>
            <caption class="sr-only">文件的前几行，有问题的行标出原因</caption>
            <thead>
              <tr>
                <th scope="col">内容</th>
                <th scope="col">行号</th>
                <th scope="col">平台</th>
                <th scope="col">区县</th>
                <th scope="col">时间</th>
                <th scope="col">问题</th>
              </tr>
            </thead>
            <tbody>
              {record.preview.map((row) => (
                <tr class={row.error ? 'row-error' : undefined}>
                  <td>{cell(row, 'text') || '（空）'}</td>
                  <td>第 {row.line} 行</td>
                  <td>{cell(row, 'platform')}</td>
                  <td>{cell(row, 'district')}</td>
                  <td>{cell(row, 'capturedAt')}</td>
                  <td>{row.error ? <strong class="overdue-note">{row.error}</strong> : <span class="status concern-answered">可导入</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {record.errors.length > 0 && (
        <section class="card" aria-labelledby="errors-title">
          <h2 id="errors-title">有问题的行（{preview ? '不会' : '未'}导入）</h2>
          <table class="list cards" data-import-errors>
            <caption class="sr-only">有问题的行</caption>
            <thead>
              <tr>
                <th scope="col">原因</th>
                <th scope="col">行号</th>
              </tr>
            </thead>
            <tbody>
              {record.errors.map((e) => (
                <tr>
                  <td>{e.message}</td>
                  <td>第 {e.line} 行</td>
                </tr>
              ))}
            </tbody>
          </table>
          {record.errorCount > record.errors.length && <p class="hint">只列出前 {record.errors.length} 行，共 {record.errorCount} 行有问题。</p>}
        </section>
      )}
    </>
  );
}

async function render(c: Context<AppEnv>, error?: string, status: 200 | 400 | 403 | 413 = 200) {
  const user = assertUser(c.var.user);
  const recent = await listImports({ deps: c.var.deps, actor: user, limit: 10 });
  const body = (
    <>
      <h1>批量导入关切</h1>
      <ConcernsNav current="import" week={pickWeek(c.var.deps, undefined)} />
      <section class="card narrow" aria-labelledby="import-title">
        <h2 id="import-title">上传文件</h2>
        <p class="hint">
          Excel 表格（.xlsx）、CSV（首行为列名，可用中文列名：内容、平台、链接、类别、区县、时间、作者）或 JSON Lines（每行一个对象）。时间可写 2026-11-29 9:30、2026/11/29、2026年11月29日 9:30 或 Excel 日期；区县可简写（亭湖 → 亭湖区）。文件可为 UTF-8（带或不带 BOM）或 GB18030。上传后先预览前几行和有问题的行，确认后才导入；同一文件重复导入不会重复登记。
        </p>
        <p class="row">
          <a href="/workbench/concerns/import/template.xlsx" download="关切导入模板.xlsx" data-template-xlsx>
            下载 Excel 模板（中文列名）
          </a>
          <a href="/workbench/concerns/import/template.csv" download="关切导入模板.csv" data-template>
            下载 CSV 模板
          </a>
        </p>
        <FormError message={error} />
        <form method="post" action="/workbench/concerns/import" enctype="multipart/form-data" class="stack">
          <Csrf token={c.var.session?.csrf ?? ''} />
          <label for="file">文件（.xlsx、.csv 或 .jsonl）</label>
          <input id="file" name="file" type="file" accept=".xlsx,.csv,.jsonl,.ndjson,.json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
          <p>
            <button type="submit" class="primary">
              上传并预览
            </button>
          </p>
        </form>
      </section>
      <section class="card" aria-labelledby="recent-title" data-import-records>
        <h2 id="recent-title">我的导入记录</h2>
        {recent.length === 0 ? (
          <p class="empty">还没有导入过文件。</p>
        ) : (
          <ul class="rows">
            {recent.map((r) => (
              <li>
                <a href={importHref(r.id)}>{r.name || '（未命名文件）'}</a>
                <span class="meta">
                  {formatTime(r.createdAt)} · {r.status === 'preview' ? `待确认（可导入 ${r.imported} 条）` : `导入 ${r.imported} 条，跳过 ${r.skipped} 条，错误 ${r.errorCount} 行`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
  return renderPage(c, { title: '批量导入关切', nav: 'concerns', body, status });
}

app.get('/concerns/import', (c) => render(c));

app.post('/concerns/import', async (c) => {
  const actor = assertUser(c.var.user);
  try {
    // streamed to a temp file with the cap (413 naming `file` at once past it); CSRF was checked from
    // the `_csrf` field before the file (auth/middleware.ts), so nothing is read for a forged form
    const { content, name, type } = await readImportFile(c, 'Excel、CSV 或 JSON Lines', CONCERN_IMPORT_MAX_BYTES, { multipartOnly: true });
    const result = await importConcerns({ deps: c.var.deps, actor, content, format: importFormat(content, undefined, name, type), name, preview: true });
    return c.redirect(importHref(result.importId), 303);
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return render(c, error.message, error.status === 403 || error.status === 413 ? error.status : 400);
  }
});

app.get('/concerns/imports/:id', async (c) => {
  const actor = assertUser(c.var.user);
  const record = importView(await getImport({ deps: c.var.deps, actor, id: c.req.param('id') }));
  const body = (
    <>
      <h1>{record.status === 'preview' ? '导入预览' : '导入结果'}</h1>
      <ConcernsNav current="import" week={pickWeek(c.var.deps, undefined)} />
      <ImportRecordView record={record} csrf={c.var.session?.csrf ?? ''} />
    </>
  );
  return renderPage(c, { title: record.status === 'preview' ? '导入预览' : '导入结果', nav: 'concerns', body });
});

app.post('/concerns/imports/:id/commit', async (c) => {
  const actor = assertUser(c.var.user);
  const id = c.req.param('id');
  try {
    const done = await commitImport({ deps: c.var.deps, actor, id });
    setFlash(c, { kind: 'ok', text: `已导入 ${done.imported} 条` });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    setFlash(c, { kind: 'error', text: error.message });
  }
  return c.redirect(importHref(id), 303);
});

export default app;
