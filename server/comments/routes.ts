import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import { CommentSchema, CreateCommentSchema, UpdateCommentSchema } from './schema.ts';
import { addComment, listComments, setCommentStatus } from './service.ts';
import { getItem } from '../content/service.ts';

/** Mounted at /api/items: the item's comment thread and passage comments. */
const app = createRouter();

app.openapi(
  createRoute({ method: 'get', path: '/{id}/comments', tags: ['comments'], summary: '稿件的评论（整篇和针对段落的），最早在前', request: { params: IdParams }, responses: { 200: jsonOk(z.object({ comments: z.array(CommentSchema) })), ...errorResponses } }),
  async (c) => {
    const deps = c.var.deps;
    const id = c.req.valid('param').id;
    // comments are read like their item: drafts only inside the org scope (404 otherwise)
    await getItem({ deps, id, actor: assertUser(c.var.user) });
    return c.json({ comments: await listComments({ deps, id }) }, 200);
  },
);

app.openapi(
  createRoute({ method: 'post', path: '/{id}/comments', tags: ['comments'], summary: '发表评论（quote 为针对的正文段落；@用户名 会通知对方）', request: { params: IdParams, body: jsonBody(CreateCommentSchema) }, responses: { 201: jsonOk(CommentSchema), ...errorResponses } }),
  async (c) => c.json(await addComment({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 201),
);

app.openapi(
  createRoute({ method: 'patch', path: '/{id}/comments/{commentId}', tags: ['comments'], summary: '标为已解决或重新打开', request: { params: IdParams.extend({ commentId: z.string().min(1).max(128) }), body: jsonBody(UpdateCommentSchema) }, responses: { 200: jsonOk(CommentSchema), ...errorResponses } }),
  async (c) => {
    const { id, commentId } = c.req.valid('param');
    const { status, version } = c.req.valid('json');
    return c.json(await setCommentStatus({ deps: c.var.deps, actor: assertUser(c.var.user), id, commentId, status, version }), 200);
  },
);

export default app;
