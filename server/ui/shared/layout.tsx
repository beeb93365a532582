/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../context.ts';
import type { Org } from '../../orgs/schema.ts';
import { ROLE_LABELS, type User } from '../../users/schema.ts';
import { hasRole } from '../../auth/permissions.ts';
import { loadAssets } from './assets.ts';
import { takeFlash, type Flash } from './flash.ts';
import { unreadCount } from '../../notifications/service.ts';

export type NavKey = 'home' | 'items' | 'concerns' | 'review' | 'live' | 'users' | 'orgs' | 'series' | 'quiz' | 'reach' | 'evaluation' | 'none';

interface ShellProps {
  title: string;
  user: User | null;
  org?: Org | undefined;
  csrf?: string | undefined;
  nav: NavKey;
  flash?: Flash | undefined;
  unread?: number;
  styles: string;
  scripts: string[];
  children?: Child;
}

function Header({ user, org, csrf, nav, unread = 0 }: Pick<ShellProps, 'user' | 'org' | 'csrf' | 'nav' | 'unread'>) {
  const link = (key: NavKey, href: string, label: string) => (
    <li>
      <a href={href} aria-current={nav === key ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  // a volunteer who only logs concerns (or a live guest) is not shown the desks they cannot work at; the pages
  // themselves still open read-only from a link
  const writes = Boolean(user && (hasRole(user, 'editor') || hasRole(user, 'reviewer') || hasRole(user, 'admin')));
  return (
    <header class="top">
      <a class="brand" href="/workbench">
        连心工作台
      </a>
      {user && (
        <nav aria-label="主导航">
          <ul>
            {link('home', '/workbench', '工作台')}
            {writes && link('items', '/workbench/items', '稿件')}
            {link('concerns', '/workbench/concerns', '网民关切')}
            {writes && link('series', '/workbench/series', '系列')}
            {writes && link('quiz', '/workbench/quiz-bank', '题库')}
            {link('reach', '/workbench/reach', '传播')}
            {link('evaluation', '/workbench/evaluation', '评优')}
            {hasRole(user, 'reviewer') && link('review', '/workbench/review', '审核')}
            {(writes || hasRole(user, 'guest')) && link('live', '/workbench/live', '直播')}
            {hasRole(user, 'admin') && link('users', '/workbench/admin/users', '用户')}
            {hasRole(user, 'admin') && link('orgs', '/workbench/admin/orgs', '组织')}
          </ul>
        </nav>
      )}
      {user && (
        <div class="who">
          <a class="bell" href="/workbench/notifications" aria-label={unread ? `通知，${unread} 条未读` : '通知'} data-bell>
            <svg class="bell-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
              <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
            </svg>
            <span class="bell-label" aria-hidden="true">
              通知
            </span>
            {unread > 0 && (
              <span class="bell-count" aria-hidden="true">
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </a>
          <span class="who-name">{user.displayName}</span>
          <span class="who-org" data-org-id={user.orgId}>
            {org?.name ?? user.orgId}
          </span>
          <span class="who-roles">{user.roles.map((r) => ROLE_LABELS[r]).join('、')}</span>
          <form method="post" action="/workbench/logout" class="inline">
            <input type="hidden" name="_csrf" value={csrf ?? ''} />
            <button type="submit" class="link-button">
              退出
            </button>
          </form>
        </div>
      )}
    </header>
  );
}

function Shell(props: ShellProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · 连心工作台`}</title>
        <link rel="stylesheet" href={props.styles} />
        {props.csrf && <meta name="csrf-token" content={props.csrf} />}
      </head>
      <body>
        <a class="skip" href="#main">
          跳到正文
        </a>
        <Header user={props.user} org={props.org} csrf={props.csrf} nav={props.nav} unread={props.unread ?? 0} />
        <main id="main" tabindex={-1}>
          {props.flash && (
            <p class={`flash flash-${props.flash.kind}`} role={props.flash.kind === 'error' ? 'alert' : 'status'}>
              {props.flash.text}
            </p>
          )}
          {props.children}
        </main>
        {props.scripts.map((src) => (
          <script type="module" src={src}></script>
        ))}
      </body>
    </html>
  );
}

/** Renders a workbench page inside the shell (header with the user's org and roles, flash, scripts). */
export async function renderPage(c: Context<AppEnv>, page: { title: string; nav: NavKey; body: Child; scripts?: ('editor' | 'app' | 'review' | 'report')[]; status?: ContentfulStatusCode }) {
  const assets = await loadAssets();
  const user = c.var.user;
  const org = user ? await c.var.deps.store.collection<Org>('orgs').get(user.orgId) : undefined;
  const unread = user ? await unreadCount({ deps: c.var.deps, user }) : 0;
  const scripts = ['app', ...(page.scripts ?? [])].filter((s, i, all) => all.indexOf(s) === i).map((s) => assets.urls[`${s}.js`]!);
  const html = (
    <Shell title={page.title} user={user} org={org} csrf={c.var.session?.csrf} nav={page.nav} flash={takeFlash(c)} unread={unread} styles={assets.urls['app.css']!} scripts={scripts}>
      {page.body}
    </Shell>
  );
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${await html}`, page.status ?? 200);
}
