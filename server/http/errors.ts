import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../errors.ts';

/** One place turns errors into JSON: AppErrors keep their status; 4xx are answered, not logged; anything else is a logged 500. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof AppError) {
    const retry = (error.data as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if ((error.status === 429 || error.status === 503) && typeof retry === 'number') c.header('Retry-After', String(Math.max(1, Math.ceil(retry))));
    return c.json(error.toJSON(), error.status as 400);
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    const message = status === 400 && /json/i.test(error.message) ? 'body: 请求体不是合法的 JSON' : error.message || '请求无效';
    return c.json({ error: { code: status === 413 ? 'payload_too_large' : 'bad_request', message, issues: [] } }, status);
  }
  console.error(`[lianxin] ${c.req.method} ${c.req.path} failed:`, error);
  return c.json({ error: { code: 'internal', message: '服务器内部错误，已记录', issues: [] } }, 500);
}
