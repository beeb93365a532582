import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { readImportFile } from '../http/upload.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import { ConcernInputSchema, ConcernSchema, ImportResultSchema } from './schema.ts';
import { commitImport, createConcern, forgetAuthor, getConcern, importConcerns, listConcerns, ListConcernsQuerySchema } from './service.ts';
import { getImport, importView, listImports } from './imports.ts';
import { importFormat } from './upload.ts';
import { getConcernSettings, updateCategories, UpdateCategoriesSchema } from './settings.ts';
import { ConcernTransitionSchema, transitionConcern } from './transitions.ts';

const app = createRouter();
const Settings = z.object({ categories: z.array(z.string()), version: z.number() });

app.openapi(
  createRoute({ method: 'get', path: '/', tags: ['concerns'], summary: '关切列表（week、status、category、district、org、group、overdue 过滤）', request: { query: ListConcernsQuerySchema }, responses: { 200: jsonOk(z.object({ concerns: z.array(z.unknown()), total: z.number() })), ...errorResponses } }),
  async (c) => c.json(await listConcerns({ deps: c.var.deps, actor: assertUser(c.var.user), query: c.req.valid('query') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/', tags: ['concerns'], summary: '登记一条关切（快速表单）', request: { body: jsonBody(ConcernInputSchema) }, responses: { 201: jsonOk(ConcernSchema), ...errorResponses } }),
  async (c) => c.json(await createConcern({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') }), 201),
);

const ImportQuery = z.object({ format: z.enum(['csv', 'jsonl', 'xlsx']).optional(), preview: z.enum(['true', 'false']).optional() });
app.openapi(
  createRoute({
    method: 'post',
    path: '/import',
    tags: ['concerns'],
    summary: '批量导入 CSV、JSON Lines 或 XLSX（请求体为文件内容，或 multipart 的 file 字段）；preview=true 只预览，之后用 /imports/{id}/commit 确认',
    request: { query: ImportQuery },
    responses: { 200: jsonOk(ImportResultSchema), ...errorResponses, 413: { description: '文件过大' } },
  }),
  async (c) => {
    const actor = assertUser(c.var.user);
    // the file part's type in a multipart form, the request's for a raw body
    const { content, name, type } = await readImportFile(c, 'CSV、JSON Lines 或 XLSX');
    const query = c.req.valid('query');
    const format = importFormat(content, query.format, name, type);
    return c.json(await importConcerns({ deps: c.var.deps, actor, content, format, name, preview: query.preview === 'true' }), 200);
  },
);

const ImportRecord = z.object({ id: z.string(), status: z.enum(['preview', 'done']), name: z.string(), imported: z.number(), skipped: z.number(), duplicates: z.number(), errorCount: z.number(), errors: z.array(z.unknown()), preview: z.array(z.unknown()) }).passthrough();
app.openapi(createRoute({ method: 'get', path: '/imports', tags: ['concerns'], summary: '我的导入记录（最近 20 次）', responses: { 200: jsonOk(z.object({ imports: z.array(ImportRecord) })), ...errorResponses } }), async (c) =>
  c.json({ imports: await listImports({ deps: c.var.deps, actor: assertUser(c.var.user) }) }, 200),
);
app.openapi(createRoute({ method: 'get', path: '/imports/{id}', tags: ['concerns'], summary: '一次导入的结果或预览', request: { params: IdParams }, responses: { 200: jsonOk(ImportRecord), ...errorResponses } }), async (c) =>
  c.json(importView(await getImport({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id })), 200),
);
app.openapi(createRoute({ method: 'post', path: '/imports/{id}/commit', tags: ['concerns'], summary: '确认预览过的导入', request: { params: IdParams }, responses: { 200: jsonOk(ImportRecord), ...errorResponses } }), async (c) =>
  c.json(await commitImport({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id }), 200),
);

app.openapi(createRoute({ method: 'get', path: '/settings', tags: ['concerns'], summary: '关切类别（管理员可修改）', responses: { 200: jsonOk(Settings), ...errorResponses } }), async (c) => {
  assertUser(c.var.user);
  return c.json(await getConcernSettings({ deps: c.var.deps }), 200);
});

app.openapi(
  createRoute({ method: 'put', path: '/settings', tags: ['concerns'], summary: '修改关切类别（管理员）', request: { body: jsonBody(UpdateCategoriesSchema) }, responses: { 200: jsonOk(Settings), ...errorResponses } }),
  async (c) => c.json(await updateCategories({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') }), 200),
);

app.openapi(createRoute({ method: 'get', path: '/{id}', tags: ['concerns'], summary: '一条关切', request: { params: IdParams }, responses: { 200: jsonOk(ConcernSchema), ...errorResponses } }), async (c) =>
  c.json(await getConcern({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/transitions', tags: ['concerns'], summary: '听—答—办—复：更新关切状态', request: { params: IdParams, body: jsonBody(ConcernTransitionSchema) }, responses: { 200: jsonOk(ConcernSchema), ...errorResponses } }),
  async (c) => c.json(await transitionConcern({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/forget', tags: ['concerns'], summary: '删除作者信息（保留内容与统计）', request: { params: IdParams }, responses: { 200: jsonOk(ConcernSchema), ...errorResponses } }),
  async (c) => c.json(await forgetAuthor({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id }), 200),
);

export default app;
