import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, jsonBody, jsonOk } from '../http/router.ts';
import { CreateLinkSchema, ManualEntrySchema, ShortLinkSchema, SummaryQuerySchema, SummarySchema } from './schema.ts';
import { enterManual, ensureShortLink, listShortLinks, reachSummary, shortUrl } from './service.ts';
import importRoutes from './import-routes.ts';

const app = createRouter();

app.openapi(
  createRoute({ method: 'get', path: '/summary', tags: ['reach'], summary: '传播数据汇总：按稿件、组织（含下级）、栏目、渠道和时段', request: { query: SummaryQuerySchema }, responses: { 200: jsonOk(SummarySchema), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    return c.json(await reachSummary({ deps: c.var.deps, query: c.req.valid('query') }), 200);
  },
);

const LinkOut = ShortLinkSchema.extend({ url: z.string() });
app.openapi(
  createRoute({ method: 'post', path: '/links', tags: ['reach'], summary: '为稿件和渠道生成（或取回）短链接 /r/<code>', request: { body: jsonBody(CreateLinkSchema) }, responses: { 201: jsonOk(LinkOut), ...errorResponses } }),
  async (c) => {
    const { itemId, channel } = c.req.valid('json');
    const link = await ensureShortLink({ deps: c.var.deps, actor: assertUser(c.var.user), itemId, channel });
    return c.json({ ...link, url: shortUrl(c.var.deps, link.id) }, 201);
  },
);

app.openapi(
  createRoute({ method: 'get', path: '/links', tags: ['reach'], summary: '稿件的短链接', request: { query: z.object({ itemId: z.string().min(1).max(128) }) }, responses: { 200: jsonOk(z.array(LinkOut)), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    const links = await listShortLinks({ deps: c.var.deps, itemId: c.req.valid('query').itemId });
    return c.json(links.map((l) => ({ ...l, url: shortUrl(c.var.deps, l.id) })), 200);
  },
);

app.openapi(
  createRoute({ method: 'post', path: '/manual', tags: ['reach'], summary: '手工录入某稿件某日某渠道的数据（重复录入覆盖）', request: { body: jsonBody(ManualEntrySchema) }, responses: { 200: jsonOk(z.unknown()), ...errorResponses } }),
  async (c) => c.json(await enterManual({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') }), 200),
);

app.route('/', importRoutes);

export default app;
