import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, jsonBody, jsonOk } from '../http/router.ts';
import { MarkReadSchema, NotificationSchema } from './schema.ts';
import { listNotifications, markRead } from './service.ts';

/** Mounted at /api/notifications: the signed-in user's notification centre. */
const app = createRouter();

app.openapi(
  createRoute({ method: 'get', path: '/', tags: ['notifications'], summary: '我的通知（最新在前）和未读数', responses: { 200: jsonOk(z.object({ items: z.array(NotificationSchema), unread: z.number(), total: z.number() })), ...errorResponses } }),
  async (c) => c.json(await listNotifications({ deps: c.var.deps, user: assertUser(c.var.user) }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/read', tags: ['notifications'], summary: '标为已读（不给 ids 则全部）', request: { body: jsonBody(MarkReadSchema) }, responses: { 200: jsonOk(z.object({ marked: z.number() })), ...errorResponses } }),
  async (c) => c.json(await markRead({ deps: c.var.deps, user: assertUser(c.var.user), ids: c.req.valid('json').ids }), 200),
);

export default app;
