import { createRoute } from '@hono/zod-openapi';
import { assertUser } from '../../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonOk } from '../../http/router.ts';
import { JobSchema } from '../../jobs/schema.ts';
import { startRender } from './render-job.ts';

const app = createRouter();

app.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/render',
    tags: ['video'],
    summary: '渲染微视频（编辑，本组织；草稿或退回修改）→ 任务，用 GET /api/jobs/{id} 查进度',
    request: { params: IdParams },
    responses: { 202: jsonOk(JobSchema, '已排队'), ...errorResponses },
  }),
  async (c) => c.json(await startRender({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id }), 202),
);

export default app;
