import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, jsonBody, jsonOk } from '../http/router.ts';
import { REACH_IMPORT_MAX_BYTES, readImportFile } from '../http/upload.ts';
import { ImportResultSchema, importReach, listUnmatched, matchUnmatched, PLATFORMS, UnmatchedSchema } from './import.ts';

const app = createRouter();

app.openapi(
  createRoute({
    method: 'post',
    path: '/import',
    tags: ['reach'],
    summary: '导入微信公众号 / 微博导出的统计（CSV 或 XLSX；请求体为文件，或 multipart 的 file 字段）；重复导入不重复计数',
    request: { query: z.object({ platform: z.enum(PLATFORMS).optional() }) },
    responses: { 200: jsonOk(ImportResultSchema), ...errorResponses },
  }),
  async (c) => {
    const actor = assertUser(c.var.user);
    const { content } = await readImportFile(c, 'CSV 或 XLSX', REACH_IMPORT_MAX_BYTES);
    return c.json(await importReach({ deps: c.var.deps, actor, content, platform: c.req.valid('query').platform }), 200);
  },
);

app.openapi(createRoute({ method: 'get', path: '/unmatched', tags: ['reach'], summary: '导入时未能匹配到稿件的文章/微博', responses: { 200: jsonOk(z.array(UnmatchedSchema)), ...errorResponses } }), async (c) => {
  assertUser(c.var.user);
  return c.json(await listUnmatched({ deps: c.var.deps }), 200);
});

app.openapi(
  createRoute({ method: 'post', path: '/unmatched/{id}/match', tags: ['reach'], summary: '手工把未匹配的文章/微博对应到稿件', request: { params: z.object({ id: z.string().min(1).max(64) }), body: jsonBody(z.object({ itemId: z.string().min(1, '请选择稿件').max(128) })) }, responses: { 200: jsonOk(z.object({ written: z.number() })), ...errorResponses } }),
  async (c) => c.json(await matchUnmatched({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, itemId: c.req.valid('json').itemId }), 200),
);

export default app;
