import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { assertUser } from './permissions.ts';
import { SESSION_COOKIE } from './middleware.ts';
import { login, logout } from './service.ts';
import { createRouter, errorResponses, jsonBody, jsonOk } from '../http/router.ts';
import { UserSchema } from '../users/schema.ts';

const LoginSchema = z.object({ username: z.string().trim().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(200) });
const SessionSchema = z.object({ user: UserSchema, csrfToken: z.string(), expiresAt: z.string() });

/** The client's address: the socket's when served by Node, else a placeholder (app.request in tests). */
function clientIp(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return c.req.header('x-test-ip') ?? 'local';
  }
}

const app = createRouter();

app.openapi(
  createRoute({ method: 'post', path: '/', tags: ['session'], summary: '登录', security: [], request: { body: jsonBody(LoginSchema) }, responses: { 200: jsonOk(SessionSchema), ...errorResponses } }),
  async (c) => {
    const { username, password } = c.req.valid('json');
    const deps = c.var.deps;
    const result = await login({ deps, username, password, ip: clientIp(c) });
    setCookie(c, SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      secure: deps.config.secureCookies,
      maxAge: Math.round(deps.config.sessionTtlHours * 3600),
    });
    return c.json({ user: result.user, csrfToken: result.session.csrf, expiresAt: result.session.expiresAt }, 200);
  },
);

app.openapi(createRoute({ method: 'get', path: '/', tags: ['session'], summary: '当前会话', responses: { 200: jsonOk(SessionSchema), ...errorResponses } }), async (c) => {
  const user = assertUser(c.var.user);
  const session = c.var.session!;
  return c.json({ user, csrfToken: session.csrf, expiresAt: session.expiresAt }, 200);
});

app.openapi(createRoute({ method: 'delete', path: '/', tags: ['session'], summary: '退出登录', responses: { 204: { description: '已退出' }, ...errorResponses } }), async (c) => {
  assertUser(c.var.user);
  await logout({ deps: c.var.deps, session: c.var.session! });
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  return c.body(null, 204);
});

export default app;
