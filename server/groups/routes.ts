import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import { IsoWeekSchema } from '../concerns/schema.ts';
import { StartItemSchema, startItemFromGroup } from './answers.ts';
import { addFeedback, EscalateSchema, escalateGroup, FeedbackInputSchema, mergeGroups, MergeGroupsSchema, moveConcerns, MoveConcernsSchema } from './edit.ts';
import { GroupSchema } from './schema.ts';
import { acceptGroups, AcceptGroupsSchema, getGroup, listGroups, ListGroupsQuerySchema, updateGroup, UpdateGroupSchema } from './service.ts';
import { suggestGroups } from './suggest.ts';

const app = createRouter();
const Groups = z.object({ groups: z.array(GroupSchema) });
const ok = jsonOk(GroupSchema);

app.openapi(
  createRoute({ method: 'get', path: '/suggest', tags: ['groups'], summary: '为一周未归组的关切建议分组', request: { query: z.object({ week: IsoWeekSchema }) }, responses: { 200: jsonOk(z.unknown()), ...errorResponses } }),
  async (c) => c.json(await suggestGroups({ deps: c.var.deps, actor: assertUser(c.var.user), week: c.req.valid('query').week }), 200),
);

app.openapi(createRoute({ method: 'get', path: '/', tags: ['groups'], summary: '分组列表（queue=escalated：下级上报到本组织的）', request: { query: ListGroupsQuerySchema }, responses: { 200: jsonOk(Groups), ...errorResponses } }), async (c) =>
  c.json({ groups: await listGroups({ deps: c.var.deps, actor: assertUser(c.var.user), query: c.req.valid('query') }) }, 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/', tags: ['groups'], summary: '接受（可修改后的）分组建议', request: { body: jsonBody(AcceptGroupsSchema) }, responses: { 201: jsonOk(Groups), ...errorResponses } }),
  async (c) => c.json({ groups: await acceptGroups({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') }) }, 201),
);

app.openapi(createRoute({ method: 'get', path: '/{id}', tags: ['groups'], summary: '一个分组', request: { params: IdParams }, responses: { 200: ok, ...errorResponses } }), async (c) =>
  c.json(await getGroup({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id }), 200),
);

app.openapi(
  createRoute({ method: 'patch', path: '/{id}', tags: ['groups'], summary: '改名、摘要、会办决定（带 version）', request: { params: IdParams, body: jsonBody(UpdateGroupSchema) }, responses: { 200: ok, ...errorResponses } }),
  async (c) => c.json(await updateGroup({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/merge', tags: ['groups'], summary: '把其他分组并入本组', request: { params: IdParams, body: jsonBody(MergeGroupsSchema) }, responses: { 200: ok, ...errorResponses } }),
  async (c) => c.json(await mergeGroups({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/move', tags: ['groups'], summary: '移动关切到另一分组，或拆分为新分组', request: { params: IdParams, body: jsonBody(MoveConcernsSchema) }, responses: { 200: jsonOk(z.object({ from: GroupSchema, to: GroupSchema })), ...errorResponses } }),
  async (c) => c.json(await moveConcerns({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/escalate', tags: ['groups'], summary: '上报上级组织', request: { params: IdParams, body: jsonBody(EscalateSchema) }, responses: { 200: ok, ...errorResponses } }),
  async (c) => c.json(await escalateGroup({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/feedback', tags: ['groups'], summary: '上级反馈（逐级反馈到分组及其关切）', request: { params: IdParams, body: jsonBody(FeedbackInputSchema) }, responses: { 200: ok, ...errorResponses } }),
  async (c) => c.json(await addFeedback({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/items', tags: ['groups'], summary: '从分组起草通知或谣言识破攻略', request: { params: IdParams, body: jsonBody(StartItemSchema) }, responses: { 201: jsonOk(z.unknown()), ...errorResponses } }),
  async (c) => c.json(await startItemFromGroup({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 201),
);

export default app;
