/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser, hasRole } from '../../auth/permissions.ts';
import { homePanels, type PanelRow } from './panels.ts';
import { renderPage } from '../shared/layout.tsx';
import type { Concern } from '../../concerns/schema.ts';
import { isoWeekOf } from '../../concerns/week.ts';

const app = new Hono<AppEnv>();

function Panel({ id, title, rows, empty, moreHref }: { id: string; title: string; rows: PanelRow[]; empty: string; moreHref?: string | undefined }) {
  return (
    <section class="panel card" aria-labelledby={`panel-${id}`} data-panel={id}>
      <h2 id={`panel-${id}`}>
        {title} <span class="count">{(rows as { total?: number }).total ?? rows.length}</span>
      </h2>
      {rows.length === 0 ? (
        <p class="empty">{empty}</p>
      ) : (
        <ul class="rows">
          {rows.map((row) => (
            <li>
              {row.href ? <a href={row.href}>{row.title}</a> : <span>{row.title}</span>}
              <span class="meta">{row.meta}</span>
              {row.extra && (
                <a class="row-extra" href={row.extra.href}>
                  {row.extra.text}
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
      {moreHref && (
        <p class="more">
          <a href={moreHref}>查看全部</a>
        </p>
      )}
    </section>
  );
}

app.get('/', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const logs = ['reporter', 'editor', 'admin'].some((r) => hasRole(user, r as never));
  const week = isoWeekOf(deps.clock());
  const thisWeek = logs ? (await deps.store.collection<Concern>('concerns').list((c) => c.capturedBy === user.id && c.week === week)).length : 0;
  const loaded = await Promise.all([...homePanels].sort((a, b) => a.order - b.order).map(async (panel) => ({ panel, rows: await panel.load({ deps, user }) })));
  const body = (
    <>
      <div class="page-head">
        <h1>工作台</h1>
        {logs && (
          <div class="capture-cta" data-capture>
            <a class="button primary big" href="/workbench/concerns#intake-title">
              登记关切
            </a>
            <p class="meta">
              本周我已登记 <strong data-week-count>{thisWeek}</strong> 条 · <a href="/workbench/concerns/import">批量导入</a>
            </p>
          </div>
        )}
        {hasRole(user, 'editor') && (
          <p class="actions">
            <a class="button primary" href="/workbench/items/new?kind=notice">
              写微公告
            </a>
            <a class="button" href="/workbench/items/new?kind=rumor-guide">
              写谣言识破攻略
            </a>
          </p>
        )}
      </div>
      <div class="panels">
        {loaded
          .filter((p) => p.rows !== null)
          .map(({ panel, rows }) => (
            <Panel id={panel.id} title={panel.title} rows={rows ?? []} empty={panel.empty} moreHref={panel.moreHref} />
          ))}
      </div>
    </>
  );
  return renderPage(c, { title: '工作台', nav: 'home', body });
});

export default app;
