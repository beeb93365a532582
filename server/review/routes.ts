import { createRoute } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { ItemRecordSchema, TransitionSchema } from '../content/schema.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import { transitionItem } from './service.ts';

const app = createRouter();

app.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/transitions',
    tags: ['review'],
    summary: '流转：提交审核、退回、通过（四眼原则）、发布、撤回',
    request: { params: IdParams, body: jsonBody(TransitionSchema) },
    responses: { 200: jsonOk(ItemRecordSchema), ...errorResponses },
  }),
  async (c) => c.json(await transitionItem({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

export default app;
