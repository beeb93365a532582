import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { readImportFile } from '../http/upload.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import { BankImportResultSchema, BankQuestionSchema, CreateBankQuestionSchema, ListBankQuerySchema, UpdateBankQuestionSchema } from './schema.ts';
import { createBankQuestion, deleteBankQuestion, getBankQuestion, importBank, listBank, updateBankQuestion } from './service.ts';
import { FileFormatSchema } from './import.ts';

const app = createRouter();

app.openapi(
  createRoute({ method: 'get', path: '/', tags: ['quiz'], summary: '题库（本组织；按 q、type、tag 过滤）', request: { query: ListBankQuerySchema }, responses: { 200: jsonOk(z.object({ questions: z.array(BankQuestionSchema), total: z.number(), page: z.number(), pageSize: z.number() })), ...errorResponses } }),
  async (c) => c.json(await listBank({ deps: c.var.deps, actor: assertUser(c.var.user), query: c.req.valid('query') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/', tags: ['quiz'], summary: '添加题目到题库', request: { body: jsonBody(CreateBankQuestionSchema) }, responses: { 201: jsonOk(BankQuestionSchema), ...errorResponses } }),
  async (c) => c.json(await createBankQuestion({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') }), 201),
);

app.openapi(
  createRoute({
    method: 'post',
    path: '/import',
    tags: ['quiz'],
    summary: '从 CSV 或 XLSX 导入题库（请求体为文件内容，或 multipart 的 file 字段）；错误按行号列出',
    request: { query: z.object({ format: FileFormatSchema.optional() }) },
    responses: { 200: jsonOk(BankImportResultSchema), ...errorResponses, 413: { description: '文件过大' } },
  }),
  async (c) => {
    const actor = assertUser(c.var.user);
    const { content, name, type } = await readImportFile(c, 'CSV 或 XLSX');
    const format = c.req.valid('query').format ?? (/\.xlsx$/i.test(name) || type.includes('spreadsheetml') ? 'xlsx' : /\.csv$/i.test(name) || type.includes('csv') ? 'csv' : undefined);
    return c.json(await importBank({ deps: c.var.deps, actor, content, ...(format ? { format } : {}) }), 200);
  },
);

app.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['quiz'], summary: '题库中的一道题', request: { params: IdParams }, responses: { 200: jsonOk(BankQuestionSchema), ...errorResponses } }),
  async (c) => c.json(await getBankQuestion({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id }), 200),
);

app.openapi(
  createRoute({ method: 'patch', path: '/{id}', tags: ['quiz'], summary: '修改题目（整题提交，带 version）', request: { params: IdParams, body: jsonBody(UpdateBankQuestionSchema) }, responses: { 200: jsonOk(BankQuestionSchema), ...errorResponses } }),
  async (c) => c.json(await updateBankQuestion({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['quiz'], summary: '删除题目（带 version）', request: { params: IdParams, body: jsonBody(z.object({ version: z.number().int().positive() })) }, responses: { 204: { description: '已删除' }, ...errorResponses } }),
  async (c) => {
    await deleteBankQuestion({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, version: c.req.valid('json').version });
    return c.body(null, 204);
  },
);

export default app;
