import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { ItemRecordSchema as ItemSchema } from '../content/schema.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import { getItem } from '../content/service.ts';
import { IssuesSchema, ScheduleSchema, SlugChangeSchema, VersionSchema } from './schema.ts';
import { cancelSchedule, changePublishedSlug, checkItem, restoreRevision, scheduleItem } from './service.ts';
import { reviewersFor } from './assign.ts';

/** Mounted at /api/items: submit check, revision restore, scheduled publishing, reviewer choice. */
const app = createRouter();

app.openapi(
  createRoute({ method: 'get', path: '/{id}/check', tags: ['editorial'], summary: '提交审核前的检查：各类型的严格校验和渠道规则（字段、中文说明）', request: { params: IdParams }, responses: { 200: jsonOk(IssuesSchema), ...errorResponses } }),
  async (c) => {
    return c.json(await checkItem({ deps: c.var.deps, id: c.req.valid('param').id, actor: assertUser(c.var.user) }), 200);
  },
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/revisions/{revisionId}/restore', tags: ['editorial'], summary: '恢复某个修订版本（作为新版本保存，记入审计）', request: { params: IdParams.extend({ revisionId: z.string().min(1).max(128) }), body: jsonBody(VersionSchema) }, responses: { 200: jsonOk(ItemSchema), ...errorResponses } }),
  async (c) => {
    const { id, revisionId } = c.req.valid('param');
    return c.json(await restoreRevision({ deps: c.var.deps, actor: assertUser(c.var.user), id, revisionId, version: c.req.valid('json').version }), 200);
  },
);

app.openapi(
  createRoute({ method: 'put', path: '/{id}/schedule', tags: ['editorial'], summary: '定时发布：给已通过的稿件设定发布时间（无时区的时间按北京时间）', request: { params: IdParams, body: jsonBody(ScheduleSchema) }, responses: { 200: jsonOk(ItemSchema), ...errorResponses } }),
  async (c) => c.json(await scheduleItem({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'delete', path: '/{id}/schedule', tags: ['editorial'], summary: '取消定时发布', request: { params: IdParams, body: jsonBody(VersionSchema) }, responses: { 200: jsonOk(ItemSchema), ...errorResponses } }),
  async (c) => c.json(await cancelSchedule({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, version: c.req.valid('json').version }), 200),
);

app.openapi(
  createRoute({ method: 'get', path: '/{id}/reviewers', tags: ['editorial'], summary: '可指定的审核人（本组织及上级的审核人员，不含作者）', request: { params: IdParams }, responses: { 200: jsonOk(z.object({ reviewers: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string() })) })), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    const item = await getItem({ deps: c.var.deps, id: c.req.valid('param').id });
    const reviewers = (await reviewersFor(c.var.deps, item)).map(({ id, username, displayName }) => ({ id, username, displayName }));
    return c.json({ reviewers }, 200);
  },
);

app.openapi(
  createRoute({ method: 'put', path: '/{id}/slug', tags: ['editorial'], summary: '管理员修改已发布稿件的地址（旧地址自动跳转到新地址）', request: { params: IdParams, body: jsonBody(SlugChangeSchema) }, responses: { 200: jsonOk(ItemSchema), ...errorResponses } }),
  async (c) => {
    const { slug, version } = c.req.valid('json');
    return c.json(await changePublishedSlug({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, slug, version }), 200);
  },
);

export default app;
