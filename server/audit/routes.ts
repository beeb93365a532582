import { createRoute, z } from '@hono/zod-openapi';
import { assertAdmin, assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, jsonOk } from '../http/router.ts';

const AuditQuerySchema = z.object({
  target: z.string().max(128).optional(),
  actor: z.string().max(128).optional(),
  action: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const app = createRouter();

app.openapi(
  createRoute({ method: 'get', path: '/', tags: ['audit'], summary: '审计日志（管理员，新的在前）', request: { query: AuditQuerySchema }, responses: { 200: jsonOk(z.object({ entries: z.array(z.unknown()) })), ...errorResponses } }),
  async (c) => {
    assertAdmin(assertUser(c.var.user), '查看审计日志');
    const q = c.req.valid('query');
    const entries = await c.var.deps.store.audit.list({ targetId: q.target, actor: q.actor, action: q.action, limit: q.limit });
    return c.json({ entries }, 200);
  },
);

export default app;
