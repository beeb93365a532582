import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../context.ts';
import { ForbiddenError } from '../errors.ts';
import { resolveSession } from './service.ts';
import { csrfBeforeFile } from './csrf-form.ts';

export const SESSION_COOKIE = 'lx_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Loads the session behind the cookie into `c.var.user` / `c.var.session`. */
export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('user', null);
  c.set('session', null);
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    const found = await resolveSession({ deps: c.var.deps, token });
    if (found) {
      c.set('user', found.user);
      c.set('session', found.session);
    }
  }
  await next();
};

/**
 * Cookie-authenticated writes must carry the session's CSRF token in `X-CSRF-Token` (fetch) or a
 * `_csrf` form field (plain forms; in an upload form, before the file). A cross-site page can send the cookie but cannot read the token.
 */
export const csrfMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = c.var.session;
  if (session && !SAFE_METHODS.has(c.req.method)) {
    let token = c.req.header('x-csrf-token');
    const type = c.req.header('content-type') ?? '';
    // The API never parses a body to find the token (an upload would be read before it is refused);
    // workbench forms carry it as a field, in bodies already limited by route (security/body-limit.ts).
    // A multipart form (an upload) is read only up to its `_csrf` field, which must come before the
    // file: the file is streamed by the route (http/spool.ts) once the token is known to be right.
    if (!token && !c.req.path.startsWith('/api/') && c.req.raw.body) {
      if (type.startsWith('multipart/form-data')) {
        const found = await csrfBeforeFile(c.req.raw.body, type);
        token = found.token;
        c.req.raw = new Request(c.req.raw, { body: found.body, duplex: 'half' } as RequestInit);
      } else if (type.startsWith('application/x-www-form-urlencoded')) {
        const form = await c.req.parseBody();
        token = typeof form._csrf === 'string' ? form._csrf : undefined;
      }
    }
    if (token !== session.csrf) throw new ForbiddenError('CSRF 校验失败：缺少或错误的 X-CSRF-Token，请刷新页面后重试');
  }
  await next();
};

/**
 * Writes from another site are refused before anything else (login included, which has no session
 * and so no token yet): a browser's `Origin` / `Sec-Fetch-Site` must name this host.
 */
export const sameOriginMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header('origin');
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    let foreign = c.req.header('sec-fetch-site') === 'cross-site';
    if (origin !== undefined) {
      try {
        foreign ||= origin === 'null' || new URL(origin).host !== host;
      } catch {
        foreign = true;
      }
    }
    if (foreign) throw new ForbiddenError('Origin 校验失败：不接受来自其他网站的提交');
  }
  await next();
};
