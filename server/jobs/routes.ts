import { createRoute } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonOk } from '../http/router.ts';
import { JobSchema } from './schema.ts';

const app = createRouter();

app.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['jobs'], summary: '任务状态：进度、结果、失败时的 ffmpeg 错误尾部', request: { params: IdParams }, responses: { 200: jsonOk(JobSchema), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    return c.json(await c.var.deps.jobs.get(c.req.valid('param').id), 200);
  },
);

app.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['jobs'], summary: '取消排队或运行中的任务', request: { params: IdParams }, responses: { 202: jsonOk(JobSchema, '已请求取消'), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    return c.json(await c.var.deps.jobs.cancel(c.req.valid('param').id), 202);
  },
);

export default app;
