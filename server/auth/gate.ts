import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { UnauthorizedError } from '../errors.ts';

interface RouteRule {
  method: string;
  pattern: RegExp;
  open: boolean;
}

/** The app's documented API routes; a route is open when its definition says `security: []`. */
function routeRules(app: OpenAPIHono<AppEnv>): RouteRule[] {
  return app.openAPIRegistry.definitions.flatMap((d) => {
    if (d.type !== 'route') return [];
    const { method, path, security } = d.route;
    const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    return [{ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), open: Array.isArray(security) && security.length === 0 }];
  });
}

/**
 * Authentication before validation: an anonymous request to a protected route gets 401 before any
 * validator reads its body, id or query (so it learns nothing about the schema). Routes are protected
 * unless their OpenAPI definition declares `security: []`; the table is read from the app's registry on
 * the first request, when every sub-app is mounted.
 */
export function requireUserForProtectedRoutes(app: OpenAPIHono<AppEnv>): MiddlewareHandler<AppEnv> {
  let rules: RouteRule[] | undefined;
  return async (c, next) => {
    if (!c.var.user) {
      rules ??= routeRules(app);
      const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
      const matches = rules.filter((r) => r.method === method && r.pattern.test(c.req.path));
      if (matches.length && !matches.some((r) => r.open)) throw new UnauthorizedError();
    }
    await next();
  };
}
