/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { listItems } from '../../content/service.ts';
import { ITEM_STATUSES, ListItemsQuerySchema, STATUS_LABELS } from '../../content/schema.ts';
import { parseInput } from '../../validate.ts';
import { renderPage } from '../shared/layout.tsx';
import { loadLookups, orgTree } from '../shared/lookups.ts';
import { editHref, reviewHref } from '../home/panels.ts';
import { ItemTable } from '../shared/item-table.tsx';

const app = new Hono<AppEnv>();
const PAGE_SIZE = 20;

app.get('/', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const raw = c.req.query();
  const filters = { kind: raw.kind || undefined, status: raw.status || undefined, org: raw.org || undefined, author: raw.mine === '1' ? user.id : raw.author || undefined, tag: raw.tag?.trim() || undefined, q: raw.q?.trim() || undefined };
  const query = parseInput(ListItemsQuerySchema, { ...filters, page: raw.page || 1, pageSize: PAGE_SIZE });
  const [result, names] = await Promise.all([listItems({ deps, query }), loadLookups(deps)]);
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const pageHref = (page: number) => `/workbench/items?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v) as [string, string][]), page: String(page) })}`;
  const select = (name: string, label: string, options: [string, string][], value: string | undefined) => (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name}>
        <option value="">全部</option>
        {options.map(([v, text]) => (
          <option value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  const body = (
    <>
      <div class="page-head">
        <h1>稿件</h1>
        <p class="actions">
          {c.var.deps.kinds.list.map((k) => (
            <a class="button" href={`/workbench/items/new?kind=${k.kind}`}>
              新建{k.label}
            </a>
          ))}
        </p>
      </div>
      <form method="get" action="/workbench/items" class="filters card" role="search" aria-label="筛选稿件">
        {select('kind', '类型', c.var.deps.kinds.list.map((k) => [k.kind, k.label]), filters.kind)}
        {select('status', '状态', ITEM_STATUSES.map((s) => [s, STATUS_LABELS[s]]), filters.status)}
        {select('org', '组织', orgTree(names.orgs).map(({ org, depth }) => [org.id, `${'　'.repeat(depth)}${org.name}`]), filters.org)}
        {select('author', '作者', names.users.map((u) => [u.id, u.displayName]), filters.author)}
        <div class="field">
          <label for="f-tag">标签</label>
          <input id="f-tag" name="tag" value={filters.tag ?? ''} />
        </div>
        <div class="field grow">
          <label for="f-q">搜索</label>
          <input id="f-q" name="q" type="search" value={filters.q ?? ''} placeholder="标题、摘要或正文" />
        </div>
        <button type="submit">筛选</button>
      </form>
      <p class="meta" role="status">
        共 {result.total} 篇，第 {result.page} / {pages} 页
      </p>
      <ItemTable
        caption="稿件列表"
        timeLabel="更新时间"
        items={result.items}
        names={names}
        kindLabel={c.var.deps.kinds.label}
        title={(item) => (
          <>
            <a href={item.status === 'in-review' ? reviewHref(item) : editHref(item)}>{item.title}</a>
            {item.tags.length > 0 && <span class="tags">{item.tags.map((t) => `#${t}`).join(' ')}</span>}
          </>
        )}
      />
      {result.items.length === 0 && <p class="empty">没有符合条件的稿件。</p>}
      <nav class="pager" aria-label="分页">
        {query.page > 1 && (
          <a href={pageHref(query.page - 1)} rel="prev">
            上一页
          </a>
        )}
        {query.page < pages && (
          <a href={pageHref(query.page + 1)} rel="next">
            下一页
          </a>
        )}
      </nav>
    </>
  );
  return renderPage(c, { title: '稿件', nav: 'items', body });
});

export default app;
