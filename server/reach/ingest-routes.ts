import { Hono, type Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from '../context.ts';
import { AppError } from '../errors.ts';
import { isBot, optedOut } from './bots.ts';
import { HitSchema } from './schema.ts';
import { itemPath, linksOf } from './service.ts';
import { itemsOf } from '../content/service.ts';

// 1×1 transparent GIF
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const MAX_BODY = 4096;

function clientIp(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return c.req.header('x-test-ip') ?? 'local';
  }
}

/** The site's origin, and ours when the server serves the site itself; other origins get no CORS headers and a 403. */
function allowedOrigin(c: Context<AppEnv>): string | null | false {
  const origin = c.req.header('origin');
  if (!origin) return null;
  const site = new URL(c.var.deps.config.siteUrl).origin;
  if (origin === site || origin === new URL(c.req.url).origin) return origin;
  return false;
}

function cors(c: Context<AppEnv>, origin: string | null): void {
  if (!origin) return;
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Vary', 'Origin');
}

function reject(c: Context<AppEnv>, status: 400 | 403 | 404, message: string, field = '') {
  return c.json({ error: { code: status === 400 ? 'validation_failed' : status === 404 ? 'not_found' : 'forbidden', message: field ? `${field}: ${message}` : message, issues: [{ path: field, message }] } }, status);
}

/**
 * The public counting endpoints, mounted before the session and CSRF middleware: a reader's beacon must work
 * whether or not the browser also holds a workbench cookie, and it carries no cookie we read.
 */
const app = new Hono<AppEnv>();

app.options('/api/reach/hit', (c) => {
  const origin = allowedOrigin(c);
  if (origin === false) return c.body(null, 403);
  cors(c, origin);
  c.header('Access-Control-Allow-Methods', 'POST');
  c.header('Access-Control-Allow-Headers', 'content-type');
  c.header('Access-Control-Max-Age', '86400');
  return c.body(null, 204);
});

app.post('/api/reach/hit', async (c) => {
  const origin = allowedOrigin(c);
  if (origin === false) return reject(c, 403, '不接受来自其他网站的统计请求');
  cors(c, origin);
  c.header('Cache-Control', 'no-store');
  const ua = c.req.header('user-agent');
  const text = await c.req.text();
  if (text.length > MAX_BODY) return reject(c, 400, `请求体超过 ${MAX_BODY} 字节`, 'body');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return reject(c, 400, '应为 JSON：{ url, itemId, ref }', 'body');
  }
  const parsed = HitSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return reject(c, 400, issue.path.length ? issue.message : '应为 JSON 对象：{ url, itemId, ref }', issue.path.join('.') || 'body');
  }
  // readers who opted out and robots are answered alike but not counted
  if (optedOut({ dnt: c.req.header('dnt'), gpc: c.req.header('sec-gpc') }) || isBot(ua)) return c.body(null, 204);
  try {
    await c.var.deps.reach.count({ itemId: parsed.data.itemId, channel: 'site', source: 'beacon', ip: clientIp(c), userAgent: ua ?? '', ref: parsed.data.ref });
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return reject(c, 404, '没有这篇已发布的稿件', 'itemId');
    throw error;
  }
  return c.body(null, 202);
});

/** The no-JavaScript fallback: `<noscript><img src="/api/reach/pixel.gif?item=…">`; always answers the GIF. */
app.get('/api/reach/pixel.gif', async (c) => {
  const itemId = c.req.query('item') ?? '';
  const ua = c.req.header('user-agent');
  if (HitSchema.shape.itemId.safeParse(itemId).success && !isBot(ua) && !optedOut({ dnt: c.req.header('dnt'), gpc: c.req.header('sec-gpc') })) {
    await c.var.deps.reach.count({ itemId, channel: 'site', source: 'beacon', ip: clientIp(c), userAgent: ua ?? '', ref: c.req.query('ref') ?? '' }).catch((error) => {
      if (!(error instanceof AppError)) throw error;
    });
  }
  return c.body(new Uint8Array(PIXEL), 200, { 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0' });
});

/** Tracked short links: count the click (people only), then redirect to the item's page. */
app.get('/r/:code', async (c) => {
  const code = c.req.param('code');
  const link = /^[A-Za-z0-9]{4,16}$/.test(code) ? await linksOf(c.var.deps).get(code) : undefined;
  if (!link) return c.text('没有这个短链接', 404);
  const ua = c.req.header('user-agent');
  if (!isBot(ua) && !optedOut({ dnt: c.req.header('dnt'), gpc: c.req.header('sec-gpc') })) {
    await c.var.deps.reach.count({ itemId: link.itemId, channel: link.channel, source: 'link', ip: clientIp(c), userAgent: ua ?? '', ref: c.req.header('referer') }).catch((error) => {
      if (!(error instanceof AppError)) throw error; // a retracted item still redirects, uncounted
    });
  }
  c.header('Cache-Control', 'no-store');
  // the item's current page (its slug may have changed since the link was made)
  const item = await itemsOf(c.var.deps).get(link.itemId);
  return c.redirect(new URL(item ? itemPath(item, c.var.deps) : link.target, c.var.deps.config.siteUrl).href, 302);
});

export default app;
