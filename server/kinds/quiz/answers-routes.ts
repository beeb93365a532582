import { createRoute, z } from '@hono/zod-openapi';
import { ValidationError } from '../../errors.ts';
import { createRouter, errorResponses, IdParams, jsonOk } from '../../http/router.ts';
import { parseInput } from '../../validate.ts';
import { QuizAnswersSchema, recordAnswers } from './answers.ts';

/**
 * The public answer counter, mounted before the session middleware: it never reads or sets a
 * cookie, and stores no IP, only counts (see answers.ts).
 */
const app = createRouter();

app.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/answers',
    tags: ['quiz'],
    // open to anonymous readers (the page sends it); see the auth gate
    security: [],
    summary: '匿名提交一次答题（页面用 sendBeacon 发送；不设 Cookie、不存 IP，只累加统计）',
    description: '请求体为 JSON（Content-Type 可为 application/json 或 text/plain）：{"picks": [[0], [1, 2], null], "finished": true}，picks 每题一项（所选选项序号，未答为 null）。',
    // the body is read and checked in the handler: sendBeacon/fetch send it as text/plain
    request: { params: IdParams },
    responses: { 202: jsonOk(z.object({ counted: z.boolean() }), '已计入'), ...errorResponses },
  }),
  async (c) => {
    // sendBeacon posts text/plain (no CORS preflight), so the body is parsed here for both types
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw ValidationError.field('body', '请求体应为 JSON：{"picks": [[0], [1, 2], null…], "finished": true}');
    }
    const origin = c.req.header('origin');
    if (origin && origin === new URL(c.var.deps.config.siteUrl).origin) c.header('Access-Control-Allow-Origin', origin);
    c.header('Cache-Control', 'no-store');
    return c.json(await recordAnswers({ deps: c.var.deps, id: c.req.valid('param').id, input: parseInput(QuizAnswersSchema, body) }), 202);
  },
);

export default app;
