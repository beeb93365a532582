import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, jsonBody, jsonOk } from '../http/router.ts';
import { IsoWeekSchema } from '../concerns/schema.ts';
import { createMonthlyDigest, DigestSchema } from '../groups/answers.ts';
import { renderReportHtml, renderReportMarkdown } from './render-text.ts';
import { WeeklyReportSchema } from './schema.ts';
import { getFiling, writtenOf } from './filing.ts';
import { buildWeeklyReport, responseRates } from './service.ts';

const app = createRouter();
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const WeeklyQuery = z.object({ org: z.string().min(1).max(64), week: IsoWeekSchema, format: z.enum(['json', 'docx', 'html', 'md']).default('json') });
app.openapi(
  createRoute({
    method: 'get',
    path: '/weekly',
    tags: ['reports'],
    summary: '网情民意周报（json、docx、html、md）；上级组织的周报汇总下级',
    request: { query: WeeklyQuery },
    responses: { 200: { description: '周报', content: { 'application/json': { schema: WeeklyReportSchema }, [DOCX]: { schema: z.any() }, 'text/html': { schema: z.string() }, 'text/markdown': { schema: z.string() } } }, ...errorResponses },
  }),
  async (c) => {
    const { org, week, format } = c.req.valid('query');
    const actor = assertUser(c.var.user);
    const live = await buildWeeklyReport({ deps: c.var.deps, actor, orgId: org, week });
    // A submitted report is what was filed: its frozen snapshot, with the team's summary and assessment.
    const filing = await getFiling({ deps: c.var.deps, actor, orgId: org, week });
    const report = filing?.snapshot ?? live;
    const file = `weekly-${org}-${week}`;
    if (format === 'docx') {
      // docx is loaded when a Word report is asked for, not at start-up
      const { renderReportDocx } = await import('./render-docx.ts');
      const bytes = await renderReportDocx(report, filing && writtenOf(filing));
      return c.body(new Uint8Array(bytes), 200, { 'content-type': DOCX, 'content-disposition': `attachment; filename="${file}.docx"` }) as never;
    }
    if (format === 'html') return c.html(renderReportHtml(report, filing && writtenOf(filing)), 200) as never;
    if (format === 'md') return c.body(renderReportMarkdown(report, filing && writtenOf(filing)), 200, { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `attachment; filename="${file}.md"` }) as never;
    return c.json(report, 200);
  },
);

const RateQuery = z.object({ org: z.string().max(64).optional(), week: IsoWeekSchema.optional(), by: z.enum(['org', 'week', 'category', 'district']).default('category') });
app.openapi(
  createRoute({ method: 'get', path: '/response-rate', tags: ['reports'], summary: '回应率（N 日内回应 ÷ 收集），按组织、周、类别或区县', request: { query: RateQuery }, responses: { 200: jsonOk(z.unknown()), ...errorResponses } }),
  async (c) => c.json(await responseRates({ deps: c.var.deps, actor: assertUser(c.var.user), ...c.req.valid('query') }), 200),);

app.openapi(
  createRoute({ method: 'post', path: '/monthly-digest', tags: ['reports'], summary: '生成月度“网民关切回应”通知草稿', request: { body: jsonBody(DigestSchema) }, responses: { 201: jsonOk(z.unknown()), ...errorResponses } }),
  async (c) => c.json(await createMonthlyDigest({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') }), 201),
);

export default app;
