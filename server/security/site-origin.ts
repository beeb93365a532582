import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';

/** Paths that belong to the workbench origin (the API, the workbench pages and their assets). */
export const isWorkbenchPath = (path: string) => path === '/workbench' || path.startsWith('/workbench/') || path.startsWith('/api/') || path === '/api';

/**
 * The production split (LIANXIN_SITE_ORIGIN): the public site answers on its own origin, which
 * never serves the API or the workbench and never sees the session cookie; the workbench origin
 * sends site pages over there. A script that slipped into a page can then not act as a reader who
 * is also logged in to the workbench. Media stays on both (the editor shows uploaded images).
 */
export function siteOriginSplit(siteOrigin: string | undefined): MiddlewareHandler<AppEnv> {
  if (!siteOrigin) return (_c, next) => next();
  const site = new URL(siteOrigin);
  return async (c, next) => {
    const url = new URL(c.req.url);
    const host = (c.req.header('host') ?? url.host).toLowerCase();
    const onSite = host === site.host.toLowerCase();
    if (onSite && isWorkbenchPath(c.req.path)) return c.text('没有找到', 404);
    if (!onSite && !isWorkbenchPath(c.req.path) && !c.req.path.startsWith('/media/') && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
      return c.redirect(new URL(c.req.path + url.search, site).href, 301);
    }
    return next();
  };
}
