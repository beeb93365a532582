/** @jsxImportSource hono/jsx */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { parseInput } from '../../validate.ts';
import { ScheduleSchema } from '../../editorial/schema.ts';
import { cancelSchedule, restoreRevision, scheduleItem } from '../../editorial/service.ts';
import { CreateCommentSchema, UpdateCommentSchema } from '../../comments/schema.ts';
import { addComment, setCommentStatus } from '../../comments/service.ts';
import { listNotifications, markRead } from '../../notifications/service.ts';
import { NOTIFICATION_LABELS } from '../../notifications/schema.ts';
import { exportWechat, readPublished } from '../../exports/service.ts';
import { zipFiles } from '../../exports/zip.ts';
import { defaultSiteDir } from '../../publish/publisher.ts';
import { renderPage } from '../shared/layout.tsx';
import { formAction, one } from '../shared/forms.ts';
import { formatTime, loadLookups } from '../shared/lookups.ts';
import { editHref, reviewHref } from '../home/panels.ts';

/** Workbench actions of the editorial flow: scheduling, comments, restoring revisions, the WeChat package, the notification centre. */
const app = new Hono<AppEnv>();
const back = (form: Record<string, string | string[]>, fallback: string) => one(form, 'back') || fallback;

app.post('/items/:id/schedule', (c) => {
  const id = c.req.param('id');
  return formAction(c, reviewHref({ id }), async ({ user, form }) => {
    const input = parseInput(ScheduleSchema, { at: one(form, 'at'), version: Number(one(form, 'version')) || 0 });
    const item = await scheduleItem({ deps: c.var.deps, actor: user, id, input });
    return { ok: `已设定时发布：${formatTime(item.scheduledAt)}（北京时间）`, to: back(form, reviewHref(item)) };
  });
});

app.post('/items/:id/unschedule', (c) => {
  const id = c.req.param('id');
  return formAction(c, reviewHref({ id }), async ({ user, form }) => {
    const item = await cancelSchedule({ deps: c.var.deps, actor: user, id, version: Number(one(form, 'version')) || 0 });
    return { ok: '已取消定时发布', to: back(form, reviewHref(item)) };
  });
});

app.post('/items/:id/comments', (c) => {
  const id = c.req.param('id');
  return formAction(c, reviewHref({ id }), async ({ user, form }) => {
    const input = parseInput(CreateCommentSchema, { body: one(form, 'body'), quote: one(form, 'quote').trim() || undefined });
    await addComment({ deps: c.var.deps, actor: user, id, input });
    return { ok: '评论已发表', to: back(form, reviewHref({ id })) };
  });
});

app.post('/items/:id/comments/:commentId/status', (c) => {
  const { id, commentId } = c.req.param();
  return formAction(c, reviewHref({ id }), async ({ user, form }) => {
    const input = parseInput(UpdateCommentSchema, { status: one(form, 'status'), version: Number(one(form, 'version')) || 0 });
    await setCommentStatus({ deps: c.var.deps, actor: user, id, commentId, ...input });
    return { ok: input.status === 'resolved' ? '评论已标为已解决' : '评论已重新打开', to: back(form, reviewHref({ id })) };
  });
});

app.post('/items/:id/revisions/:revisionId/restore', (c) => {
  const { id, revisionId } = c.req.param();
  return formAction(c, reviewHref({ id }), async ({ user, form }) => {
    const item = await restoreRevision({ deps: c.var.deps, actor: user, id, revisionId, version: Number(one(form, 'version')) || 0 });
    return { ok: `已恢复为新版本（第 ${item.version} 版）`, to: editHref(item) };
  });
});

/** The WeChat package as one .zip (opens on Windows and macOS as it is): package.json (draft/add articles[]), the re-encoded images and preview.html. */
app.get('/items/:id/wechat-package', async (c) => {
  assertUser(c.var.user);
  const { dataDir, siteUrl } = c.var.deps.config;
  const item = readPublished({ dataDir, id: c.req.param('id') });
  const siteDir = defaultSiteDir(dataDir);
  await exportWechat({ dataDir, siteDir, siteUrl, item });
  const dir = join(siteDir, 'exports', 'wechat', item.id);
  const files = readdirSync(dir).filter((f) => !f.startsWith('.'));
  const zip = zipFiles(files.sort().map((name) => ({ name, data: readFileSync(join(dir, name)) })), c.var.deps.clock());
  c.header('Content-Type', 'application/zip');
  c.header('Content-Disposition', `attachment; filename="wechat-${item.slug}.zip"`);
  return c.body(new Uint8Array(zip));
});

app.get('/notifications', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const [{ items, unread }, names] = await Promise.all([listNotifications({ deps, user, limit: 100 }), loadLookups(deps)]);
  const body = (
    <>
      <div class="page-head">
        <h1>通知</h1>
        <p class="meta">
          未读 <span data-unread>{unread}</span> 条
        </p>
        {unread > 0 && (
          <form method="post" action="/workbench/notifications/read">
            <input type="hidden" name="_csrf" value={c.var.session?.csrf ?? ''} />
            <button type="submit">全部标为已读</button>
          </form>
        )}
      </div>
      {items.length === 0 ? (
        <p class="empty">还没有通知：稿件被退回、通过、发布，有人 @ 你或请你审核时，会在这里告诉你。</p>
      ) : (
        <ol class="notifications card">
          {items.map((n) => (
            <li class={n.read ? 'notification' : 'notification unread'} data-notification={n.type}>
              <span class={`badge badge-${n.type}`}>{NOTIFICATION_LABELS[n.type]}</span>{' '}
              <a href={n.type === 'assigned' || n.type === 'mentioned' || n.type === 'commented' ? reviewHref({ id: n.itemId }) : editHref({ id: n.itemId })}>{n.text}</a>
              <span class="meta">
                {' '}
                · {names.userName(n.actorId)} · <time datetime={n.createdAt}>{formatTime(n.createdAt)}</time>
                {!n.read && <span class="sr-only">（未读）</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
  return renderPage(c, { title: '通知', nav: 'none', body });
});

app.post('/notifications/read', (c) =>
  formAction(c, '/workbench/notifications', async ({ user }) => {
    const { marked } = await markRead({ deps: c.var.deps, user });
    return { ok: `已将 ${marked} 条通知标为已读` };
  }),
);

export default app;
