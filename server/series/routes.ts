import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import { CreateSeriesSchema, SeriesWithItemsSchema, UpdateSeriesSchema } from './schema.ts';
import { createSeries, getSeries, listSeries, updateSeries } from './service.ts';

const app = createRouter();
const ListQuery = z.object({ org: z.string().max(64).optional() });

app.openapi(
  createRoute({ method: 'get', path: '/', tags: ['series'], summary: '系列列表（可按 org 过滤）', request: { query: ListQuery }, responses: { 200: jsonOk(z.object({ series: z.array(z.unknown()) })), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    return c.json(await listSeries({ deps: c.var.deps, ...c.req.valid('query') }), 200);
  },
);

app.openapi(
  createRoute({ method: 'post', path: '/', tags: ['series'], summary: '创建系列（编辑，本组织；itemIds 按顺序加入稿件）', request: { body: jsonBody(CreateSeriesSchema) }, responses: { 201: jsonOk(SeriesWithItemsSchema), ...errorResponses } }),
  async (c) => c.json(await createSeries({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') }), 201),
);

app.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['series'], summary: '系列及其稿件（按顺序）', request: { params: IdParams }, responses: { 200: jsonOk(SeriesWithItemsSchema), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    return c.json(await getSeries({ deps: c.var.deps, id: c.req.valid('param').id }), 200);
  },
);

app.openapi(
  createRoute({ method: 'patch', path: '/{id}', tags: ['series'], summary: '修改系列（带 version；itemIds 重排或增删稿件）', request: { params: IdParams, body: jsonBody(UpdateSeriesSchema) }, responses: { 200: jsonOk(SeriesWithItemsSchema), ...errorResponses } }),
  async (c) => c.json(await updateSeries({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

export default app;
