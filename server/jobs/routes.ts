import { createRoute } from '@hono/zod-openapi';
import { assertUser, hasRole } from '../auth/permissions.ts';
import type { Deps } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import { assertCanReview, canReadItem } from '../content/permissions.ts';
import { itemsOf } from '../content/service.ts';
import type { User } from '../users/schema.ts';
import type { Job } from './schema.ts';
import { createRouter, errorResponses, IdParams, jsonOk } from '../http/router.ts';
import { JobSchema } from './schema.ts';

const app = createRouter();

/**
 * Jobs belong to their item's org: reading needs read access to the item (else 404, so ids from
 * edit pages reveal nothing), cancelling needs edit or review rights on it. Jobs without an item: admins.
 */
async function assertJobAccess(deps: Deps, user: User, job: Job, mode: 'read' | 'cancel'): Promise<void> {
  const hidden = new NotFoundError(`任务 ${job.id} 不存在`);
  const item = job.target ? await itemsOf(deps).get(job.target) : undefined;
  if (!item) {
    if (!hasRole(user, 'admin')) throw hidden;
    return;
  }
  // a render is of the working copy, so "published" does not make its job public
  if (!(await canReadItem(deps, user, { orgId: item.orgId, status: 'draft' }))) throw hidden;
  if (mode === 'cancel' && !hasRole(user, 'admin')) {
    const editor = hasRole(user, 'editor') && user.orgId === item.orgId;
    if (!editor) await assertCanReview(deps, user, item, '取消该任务');
  }
}

app.openapi(
  createRoute({ method: 'get', path: '/{id}', tags: ['jobs'], summary: '任务状态：进度、结果、失败时的 ffmpeg 错误尾部', request: { params: IdParams }, responses: { 200: jsonOk(JobSchema), ...errorResponses } }),
  async (c) => {
    const job = await c.var.deps.jobs.get(c.req.valid('param').id);
    await assertJobAccess(c.var.deps, assertUser(c.var.user), job, 'read');
    return c.json(job, 200);
  },
);

app.openapi(
  createRoute({ method: 'delete', path: '/{id}', tags: ['jobs'], summary: '取消排队或运行中的任务', request: { params: IdParams }, responses: { 202: jsonOk(JobSchema, '已请求取消'), ...errorResponses } }),
  async (c) => {
    const deps = c.var.deps;
    await assertJobAccess(deps, assertUser(c.var.user), await deps.jobs.get(c.req.valid('param').id), 'cancel');
    return c.json(await deps.jobs.cancel(c.req.valid('param').id), 202);
  },
);

export default app;
