import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../../http/router.ts';
import { LiveItemSchema } from './schema.ts';
import {
  CreateUpdateSchema,
  ListQuestionsQuerySchema,
  ListUpdatesQuerySchema,
  LiveUpdateSchema,
  PatchLiveSchema,
  PatchUpdateSchema,
  QuestionSchema,
  QuestionTransitionSchema,
  UpdateTransitionSchema,
} from './updates-schema.ts';
import { createUpdate, listUpdates, patchLive, patchUpdate, transitionUpdate } from './service.ts';
import { listQuestions, moderateQuestion } from './questions.ts';
import { weiboForUpdate } from './share.ts';

/** The live API under /api/items: updates (four-eyes per update), the pinned block and state, the question queue. */
const app = createRouter();
const UpdateParams = IdParams.extend({ uid: z.string().min(1).max(128) });
const QuestionParams = IdParams.extend({ qid: z.string().min(1).max(128) });
const UpdateList = z.object({ item: z.unknown(), counts: z.record(z.string(), z.number()), updates: z.array(z.unknown()) });

app.openapi(
  createRoute({ method: 'get', path: '/{id}/updates', tags: ['live'], summary: '直播更新列表（待发布在前，带等待时长；已发布按序号倒序）', request: { params: IdParams, query: ListUpdatesQuerySchema }, responses: { 200: jsonOk(UpdateList), ...errorResponses } }),
  async (c) => c.json(await listUpdates({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, query: c.req.valid('query') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/updates', tags: ['live'], summary: '新增直播更新（编辑或本场嘉宾；待审核人员发布）', request: { params: IdParams, body: jsonBody(CreateUpdateSchema) }, responses: { 201: jsonOk(LiveUpdateSchema), ...errorResponses } }),
  async (c) => c.json(await createUpdate({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 201),
);

app.openapi(
  createRoute({ method: 'patch', path: '/{id}/updates/{uid}', tags: ['live'], summary: '修改直播更新（带 version；已发布的须填 correction）', request: { params: UpdateParams, body: jsonBody(PatchUpdateSchema) }, responses: { 200: jsonOk(LiveUpdateSchema), ...errorResponses } }),
  async (c) => {
    const { id, uid } = c.req.valid('param');
    return c.json(await patchUpdate({ deps: c.var.deps, actor: assertUser(c.var.user), id, uid, input: c.req.valid('json') }), 200);
  },
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/updates/{uid}/transitions', tags: ['live'], summary: '发布或撤回直播更新（发布：本组织其他审核人员，四眼原则）', request: { params: UpdateParams, body: jsonBody(UpdateTransitionSchema) }, responses: { 200: jsonOk(LiveUpdateSchema), ...errorResponses } }),
  async (c) => {
    const { id, uid } = c.req.valid('param');
    return c.json(await transitionUpdate({ deps: c.var.deps, actor: assertUser(c.var.user), id, uid, input: c.req.valid('json') }), 200);
  },
);

app.openapi(
  createRoute({ method: 'get', path: '/{id}/updates/{uid}/export/weibo', tags: ['live'], summary: '单条更新的微博文案（140 字内）', request: { params: UpdateParams }, responses: { 200: jsonOk(z.object({ text: z.string(), length: z.number(), url: z.string(), images: z.array(z.string()) })), ...errorResponses } }),
  async (c) => {
    const { id, uid } = c.req.valid('param');
    return c.json(await weiboForUpdate({ deps: c.var.deps, actor: assertUser(c.var.user), id, uid }), 200);
  },
);

app.openapi(
  createRoute({ method: 'patch', path: '/{id}/live', tags: ['live'], summary: '修改置顶信息或结束直播（带 version；无需重新审核）', request: { params: IdParams, body: jsonBody(PatchLiveSchema) }, responses: { 200: jsonOk(LiveItemSchema), ...errorResponses } }),
  async (c) => c.json(await patchLive({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'get', path: '/{id}/questions', tags: ['live'], summary: '网友提问（审核队列）', request: { params: IdParams, query: ListQuestionsQuerySchema }, responses: { 200: jsonOk(z.object({ counts: z.record(z.string(), z.number()), questions: z.array(QuestionSchema) })), ...errorResponses } }),
  async (c) => {
    const { state, limit } = c.req.valid('query');
    return c.json(await listQuestions({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, limit, ...(state ? { state } : {}) }), 200);
  },
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/questions/{qid}/transitions', tags: ['live'], summary: '采纳或不采纳网友提问（本组织编辑）', request: { params: QuestionParams, body: jsonBody(QuestionTransitionSchema) }, responses: { 200: jsonOk(QuestionSchema), ...errorResponses } }),
  async (c) => {
    const { id, qid } = c.req.valid('param');
    const { to, version } = c.req.valid('json');
    return c.json(await moderateQuestion({ deps: c.var.deps, actor: assertUser(c.var.user), id, qid, to, ...(version ? { version } : {}) }), 200);
  },
);

export default app;
