import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, jsonOk } from '../http/router.ts';
import { readSiteStatus } from './status.ts';

const FailureSchema = z.object({ itemId: z.string().optional(), path: z.string(), reason: z.string(), at: z.string() });

/** Mounted at /api/site: what the last site builds could not publish (one item's failure never keeps the others off the site). */
const app = createRouter();

app.openapi(
  createRoute({
    method: 'get',
    path: '/status',
    tags: ['site'],
    summary: '站点构建状态：未能上线的稿件或页面及原因（item=稿件 id 只看该稿件）',
    request: { query: z.object({ item: z.string().max(80).optional() }) },
    responses: { 200: jsonOk(z.object({ updatedAt: z.string(), ok: z.boolean(), failures: z.array(FailureSchema) })), ...errorResponses },
  }),
  (c) => {
    assertUser(c.var.user);
    const status = readSiteStatus(c.var.deps.config.dataDir);
    const { item } = c.req.valid('query');
    const failures = item ? status.failures.filter((f) => f.itemId === item) : status.failures;
    return c.json({ updatedAt: status.updatedAt, ok: failures.length === 0, failures }, 200);
  },
);

export default app;
