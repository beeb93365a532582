/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { AppError } from '../errors.ts';
import { csrfMiddleware } from '../auth/middleware.ts';
import { loadAssets } from './shared/assets.ts';
import { chooseCoding, codedTag } from '../publish/static-encoding.ts';
import { renderPage } from './shared/layout.tsx';
import home from './home/index.tsx';
import items from './items/index.tsx';
import review from './review/page.tsx';
import admin from './admin/pages.tsx';
import concerns from './concerns/index.tsx';
import live from './live/index.tsx';
import series from './series/index.tsx';
import quiz from './quiz/index.tsx';
import editorial from './editorial/index.tsx';
import reach from './reach/index.tsx';
import evaluation from './evaluation/index.tsx';

/** The workbench pages, mounted at /workbench: server-rendered, with small bundled client scripts. */
const app = new Hono<AppEnv>();

app.get('/assets/:name', async (c) => {
  const asset = (await loadAssets()).byPath.get(c.req.param('name'));
  if (!asset) return c.text('没有这个文件', 404);
  // as the site's files: the coding the request accepts (q > 0; br first), an ETag per coding
  const coding = chooseCoding(c.req.header('accept-encoding'));
  const etag = coding ? codedTag(asset.etag, coding) : asset.etag;
  c.header('Cache-Control', 'public, max-age=31536000, immutable');
  c.header('Vary', 'Accept-Encoding');
  c.header('ETag', etag);
  if (c.req.header('if-none-match') === etag) return c.body(null, 304);
  c.header('Content-Type', asset.type);
  if (coding) c.header('Content-Encoding', coding);
  return c.body((coding ? asset[coding] : asset.body) as Uint8Array<ArrayBuffer>);
});

app.use('*', async (c, next) => {
  // every page but the login form needs a session
  if (!c.var.user && c.req.path !== '/workbench/login') {
    if (c.req.method !== 'GET') return c.redirect('/workbench/login', 303);
    const url = new URL(c.req.url);
    return c.redirect(`/workbench/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  }
  return next();
});
// after the session check, so a form from someone not logged in is never parsed
app.use('*', csrfMiddleware);

app.onError(async (error, c) => {
  if (!(error instanceof AppError) || error.status >= 500) {
    console.error(`[lianxin] ${c.req.method} ${c.req.path} failed:`, error);
    return renderPage(c, { title: '出错了', nav: 'none', status: 500, body: <section class="card narrow"><h1>服务器内部错误</h1><p role="alert">已记录，请稍后重试。</p></section> });
  }
  if (error.status === 401) return c.redirect('/workbench/login', 303);
  const title = error.status === 404 ? '没有找到' : error.status === 403 ? '没有权限' : '无法完成';
  const status = error.status === 404 || error.status === 403 || error.status === 409 ? error.status : 400;
  return renderPage(c, { title, nav: 'none', status, body: <section class="card narrow"><h1>{title}</h1><p role="alert">{error.message}</p><p><a href="/workbench">返回工作台</a></p></section> });
});

app.route('/', home);
app.route('/', items);
app.route('/', review);
app.route('/', admin);
app.route('/', concerns);
app.route('/', live);
app.route('/', series);
app.route('/', quiz);
app.route('/', editorial);
app.route('/', reach);
app.route('/', evaluation);
app.all('*', (c) => renderPage(c, { title: '没有找到', nav: 'none', status: 404, body: <section class="card narrow"><h1>没有找到</h1><p>没有这个页面：{c.req.path}</p><p><a href="/workbench">返回工作台</a></p></section> }));

export default app;
