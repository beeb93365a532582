import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';

const join = (d: Record<string, string>) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

/**
 * The public site: no inline script at all (the search page loads /search.js and its index as JSON),
 * body images may come from any http(s) host, nothing may frame the pages.
 */
export const SITE_CSP = join({
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: https: http:",
  'media-src': "'self'",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
});

/** The workbench: bundled scripts from /workbench/assets only; the editor shows external images and blob: previews. */
export const WORKBENCH_CSP = join({
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob: https: http:",
  'media-src': "'self' blob:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
});

/** JSON and files from the API never render as a document. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Which policy a path gets: API, workbench (and the API reference), or the public site. */
export function policyFor(path: string): string {
  if (path === '/api/docs') return WORKBENCH_CSP;
  if (path.startsWith('/api/')) return API_CSP;
  if (path === '/workbench' || path.startsWith('/workbench/')) return WORKBENCH_CSP;
  return SITE_CSP;
}

/** The security headers of an answer for `path` (HSTS when cookies are secure, i.e. behind HTTPS). */
export function securityHeadersFor(path: string, secure: boolean): Record<string, string> {
  return {
    'content-security-policy': policyFor(path),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cross-origin-opener-policy': 'same-origin',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/**
 * Security headers on every answer (set after the handler, so static files and errors get them too; a
 * handler's own policy wins). Site files answered ahead of Hono get the same (server/http/site-fast-path.ts).
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const h = c.res.headers;
  for (const [name, value] of Object.entries(securityHeadersFor(c.req.path, c.var.deps?.config.secureCookies ?? false))) {
    if (name !== 'content-security-policy' || !h.has(name)) h.set(name, value);
  }
};
