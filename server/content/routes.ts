import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import type { Deps } from '../context.ts';
import { ListItemsQuerySchema, type CreateItem, type UpdateItem } from './schema.ts';
import { createItem, deleteItem, getItem, itemHistory, listItems, updateItem } from './service.ts';
import { allowedTransitions } from '../review/service.ts';

const ItemList = z.object({ items: z.array(z.unknown()), total: z.number(), page: z.number(), pageSize: z.number() });

/** The items API; request and response schemas come from the registered kinds. */
export function createItemRoutes(kinds: Deps['kinds']) {
  const app = createRouter();
  const ItemSchema = kinds.schemas.item;
  const CreateItemSchema = kinds.schemas.create;
  const UpdateItemSchema = kinds.schemas.update;
  const ItemWithActions = z.object({ item: ItemSchema, transitions: z.array(z.object({ to: z.string(), label: z.string(), comment: z.boolean() })) });

  app.openapi(
    createRoute({ method: 'get', path: '/', tags: ['items'], summary: '稿件列表（按 kind、status、org、author、tag、q 过滤，分页）；每行是摘要（无正文、无历史），全文见 GET /api/items/{id}', request: { query: ListItemsQuerySchema }, responses: { 200: jsonOk(ItemList), ...errorResponses } }),
    async (c) => {
      return c.json(await listItems({ deps: c.var.deps, query: c.req.valid('query'), actor: assertUser(c.var.user) }), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/', tags: ['items'], summary: '创建稿件（编辑，本组织）', request: { body: jsonBody(CreateItemSchema) }, responses: { 201: jsonOk(ItemSchema), ...errorResponses } }),
    async (c) => c.json(await createItem({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') as CreateItem }), 201),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/{id}', tags: ['items'], summary: '稿件及当前用户可做的流转', request: { params: IdParams }, responses: { 200: jsonOk(ItemWithActions), ...errorResponses } }),
    async (c) => {
      const actor = assertUser(c.var.user);
      const deps = c.var.deps;
      const item = await getItem({ deps, id: c.req.valid('param').id, actor });
      return c.json({ item, transitions: await allowedTransitions({ deps, actor, item }) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'patch', path: '/{id}', tags: ['items'], summary: '修改稿件（带 version；已发布稿件需 correction）', request: { params: IdParams, body: jsonBody(UpdateItemSchema) }, responses: { 200: jsonOk(ItemSchema), ...errorResponses } }),
    async (c) => c.json(await updateItem({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') as UpdateItem }), 200),
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/{id}', tags: ['items'], summary: '删除草稿（带 version）', request: { params: IdParams, body: jsonBody(z.object({ version: z.number().int().positive() })) }, responses: { 204: { description: '已删除' }, ...errorResponses } }),
    async (c) => {
      await deleteItem({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, version: c.req.valid('json').version });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/{id}/history', tags: ['items'], summary: '稿件历史：流转、修订、审计', request: { params: IdParams }, responses: { 200: jsonOk(z.unknown()), ...errorResponses } }),
    async (c) => {
      return c.json(await itemHistory({ deps: c.var.deps, id: c.req.valid('param').id, actor: assertUser(c.var.user) }), 200);
    },
  );

  return app;
}
