/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { raw } from 'hono/html';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { getItem } from '../../content/service.ts';
import { renderBodyHtml } from '../../content/tiptap.ts';
import { loadAssets } from '../shared/assets.ts';
import { formatTime, loadLookups } from '../shared/lookups.ts';

const app = new Hono<AppEnv>();

/** The saved version as the public site shows it (body rendered by the same server renderer the publish snapshot uses). */
app.get('/items/:id/preview', async (c) => {
  assertUser(c.var.user);
  const deps = c.var.deps;
  const [item, names, assets] = await Promise.all([getItem({ deps, id: c.req.param('id') }), loadLookups(deps), loadAssets()]);
  const kind = deps.kinds.get(item.kind);
  const page = (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`预览：${item.title}`}</title>
        <link rel="stylesheet" href={assets.urls['app.css']} />
      </head>
      <body class="site-page">
        <p class="preview-banner" role="note">
          预览（未发布的内容仅工作台可见）
        </p>
        <main class="site-article">
          <p class="site-kicker">{kind.label}</p>
          <h1>{item.title}</h1>
          <p class="site-meta">
            {names.orgName(item.orgId)} · {formatTime(item.publishedAt ?? item.updatedAt)}
          </p>
          {item.cover && <img class="site-cover" src={item.cover} alt="" />}
          {item.summary && <p class="site-summary">{item.summary}</p>}
          <div class="site-body">{raw(renderBodyHtml(item.body))}</div>
          {kind.editor.preview?.(item)}
        </main>
      </body>
    </html>
  );
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${await page}`);
});

export default app;
