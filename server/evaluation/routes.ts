import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, jsonBody, jsonOk } from '../http/router.ts';
import { chinaDay } from '../reach/day.ts';
import { parsePeriod, previousPeriod } from './period.ts';
import { CommendationSchema, CommentLogSchema, CreateCommendationSchema, CreateCommentSchema, EvaluationSchema, PeriodSchema, WeightsSchema } from './schema.ts';
import { assertCanLogComments, buildEvaluation, commend, commendationsOf, getWeights, listComments, logComment, setWeights, withdrawCommendation } from './service.ts';
import { evaluationCsv } from './outline.ts';
import { DOCX, renderCircularDocx, renderEvaluationDocx } from './render.ts';
import { writeHonors } from './honors-file.ts';

const app = createRouter();

const EvalQuery = z.object({ period: PeriodSchema, org: z.string().max(64).optional(), format: z.enum(['json', 'csv', 'docx']).default('json'), table: z.enum(['orgs', 'members']).default('orgs') });
app.openapi(
  createRoute({ method: 'get', path: '/', tags: ['evaluation'], summary: '评优考评：组织（下级单位）与成员排名，按月、季、年；json、csv、docx', request: { query: EvalQuery }, responses: { 200: jsonOk(EvaluationSchema), ...errorResponses } }),
  async (c) => {
    const { period, org, format, table } = c.req.valid('query');
    const e = await buildEvaluation({ deps: c.var.deps, actor: assertUser(c.var.user), orgId: org, period });
    if (format === 'csv') return c.body(evaluationCsv(e, table), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="evaluation-${e.orgId}-${e.period}-${table}.csv"` }) as never;
    if (format === 'docx') return c.body(new Uint8Array(await renderEvaluationDocx(e)), 200, { 'content-type': DOCX, 'content-disposition': `attachment; filename="evaluation-${e.orgId}-${e.period}.docx"` }) as never;
    return c.json(e, 200);
  },
);

const CircularQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-11'), org: z.string().max(64).optional(), format: z.enum(['json', 'docx']).default('docx') });
app.openapi(
  createRoute({ method: 'get', path: '/circular', tags: ['evaluation'], summary: '月度工作通报（docx 或 json）', request: { query: CircularQuery }, responses: { 200: jsonOk(z.unknown()), ...errorResponses } }),
  async (c) => {
    const { month, org, format } = c.req.valid('query');
    const actor = assertUser(c.var.user);
    const e = await buildEvaluation({ deps: c.var.deps, actor, orgId: org, period: month });
    const prev = await buildEvaluation({ deps: c.var.deps, actor, orgId: org, period: previousPeriod(parsePeriod(month)).key });
    if (format === 'json') return c.json({ current: e, previous: prev }, 200);
    return c.body(new Uint8Array(await renderCircularDocx(e, prev)), 200, { 'content-type': DOCX, 'content-disposition': `attachment; filename="circular-${e.orgId}-${month}.docx"` }) as never;
  },
);

app.openapi(createRoute({ method: 'get', path: '/weights', tags: ['evaluation'], summary: '评优各项权重', responses: { 200: jsonOk(WeightsSchema), ...errorResponses } }), async (c) => {
  assertUser(c.var.user);
  return c.json(await getWeights({ deps: c.var.deps }), 200);
});
app.openapi(
  createRoute({ method: 'put', path: '/weights', tags: ['evaluation'], summary: '修改评优权重（管理员）', request: { body: jsonBody(WeightsSchema) }, responses: { 200: jsonOk(WeightsSchema), ...errorResponses } }),
  async (c) => c.json(await setWeights({ deps: c.var.deps, actor: assertUser(c.var.user), weights: c.req.valid('json') }), 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/comments', tags: ['evaluation'], summary: '登记一条网络评论（链接）', request: { body: jsonBody(CreateCommentSchema) }, responses: { 201: jsonOk(CommentLogSchema), ...errorResponses } }),
  async (c) => {
    const actor = assertUser(c.var.user);
    assertCanLogComments(actor);
    return c.json(await logComment({ deps: c.var.deps, actor, input: c.req.valid('json') }), 201);
  },
);
app.openapi(
  createRoute({ method: 'get', path: '/comments', tags: ['evaluation'], summary: '本组织及下级登记的网络评论', request: { query: z.object({ period: PeriodSchema.optional() }) }, responses: { 200: jsonOk(z.array(CommentLogSchema)), ...errorResponses } }),
  async (c) => {
    const { period } = c.req.valid('query');
    return c.json(await listComments({ deps: c.var.deps, actor: assertUser(c.var.user), period: period ? parsePeriod(period) : undefined }), 200);
  },
);

app.openapi(
  createRoute({ method: 'post', path: '/commendations', tags: ['evaluation'], summary: '表彰组织或成员（管理员）', request: { body: jsonBody(CreateCommendationSchema) }, responses: { 201: jsonOk(CommendationSchema), ...errorResponses } }),
  async (c) => {
    const created = await commend({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') });
    await writeHonors(c.var.deps);
    return c.json(created, 201);
  },
);
app.openapi(
  createRoute({ method: 'get', path: '/commendations', tags: ['evaluation'], summary: '某年的表彰', request: { query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }) }, responses: { 200: jsonOk(z.array(CommendationSchema)), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    const year = c.req.valid('query').year ?? Number(chinaDay(c.var.deps.clock()).slice(0, 4));
    return c.json(await commendationsOf(c.var.deps).list((x) => x.year === year), 200);
  },
);
app.openapi(
  createRoute({ method: 'delete', path: '/commendations/{id}', tags: ['evaluation'], summary: '撤销表彰（管理员）', request: { params: z.object({ id: z.string().min(1).max(64) }) }, responses: { 204: { description: '已撤销' }, ...errorResponses } }),
  async (c) => {
    await withdrawCommendation({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id });
    await writeHonors(c.var.deps);
    return c.body(null, 204) as never;
  },
);

export default app;
