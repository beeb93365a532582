/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { clientIp } from '../../auth/client-ip.ts';
import type { AppEnv } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { SESSION_COOKIE } from '../../auth/middleware.ts';
import { login, logout } from '../../auth/service.ts';
import { renderPage } from '../shared/layout.tsx';
import { one, readForm } from '../shared/forms.ts';
import { safeNext } from '../shared/flash.ts';

const app = new Hono<AppEnv>();


function LoginForm({ next, username, error }: { next: string; username: string; error?: string | undefined }) {
  return (
    <section class="login card">
      <h1>登录连心工作台</h1>
      {error && (
        <p class="flash flash-error" role="alert" id="login-error">
          {error}
        </p>
      )}
      <form method="post" action="/workbench/login" class="stack">
        <input type="hidden" name="next" value={next} />
        <label for="username">用户名</label>
        <input id="username" name="username" autocomplete="username" required value={username} autofocus aria-describedby={error ? 'login-error' : undefined} />
        <label for="password">密码</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit" class="primary">
          登录
        </button>
      </form>
      <p class="hint">忘记密码请联系本组织的管理员重置。</p>
    </section>
  );
}

app.get('/login', async (c) => {
  if (c.var.user) return c.redirect(safeNext(c.req.query('next')), 303);
  return renderPage(c, { title: '登录', nav: 'none', body: <LoginForm next={safeNext(c.req.query('next'))} username="" /> });
});

app.post('/login', async (c) => {
  const form = await readForm(c);
  const next = safeNext(one(form, 'next'));
  const username = one(form, 'username').trim();
  try {
    const deps = c.var.deps;
    const result = await login({ deps, username, password: one(form, 'password'), ip: clientIp(c) });
    setCookie(c, SESSION_COOKIE, result.token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: deps.config.secureCookies, maxAge: Math.round(deps.config.sessionTtlHours * 3600) });
    return c.redirect(next, 303);
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return renderPage(c, { title: '登录', nav: 'none', status: error.status as 400, body: <LoginForm next={next} username={username} error={error.message} /> });
  }
});

app.post('/logout', async (c) => {
  if (c.var.session) await logout({ deps: c.var.deps, session: c.var.session });
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  return c.redirect('/workbench/login', 303);
});

export default app;
