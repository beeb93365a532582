/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser, hasRole } from '../../auth/permissions.ts';
import { homePanels, type PanelRow } from './panels.ts';
import { renderPage } from '../shared/layout.tsx';

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
  const loaded = await Promise.all([...homePanels].sort((a, b) => a.order - b.order).map(async (panel) => ({ panel, rows: await panel.load({ deps, user }) })));
  const body = (
    <>
      <div class="page-head">
        <h1>工作台</h1>
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
