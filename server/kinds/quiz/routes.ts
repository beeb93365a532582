import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonOk } from '../../http/router.ts';
import { quizStats } from './answers.ts';

const app = createRouter();

app.openapi(
  createRoute({ method: 'get', path: '/{id}/stats', tags: ['quiz'], summary: '答题统计：完成率、每题正确率、最常答错的题', request: { params: IdParams }, responses: { 200: jsonOk(z.unknown()), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    return c.json(await quizStats({ deps: c.var.deps, id: c.req.valid('param').id }), 200);
  },
);

export default app;
