/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { ChartFigure } from '../shared/chart.tsx';
import type { AppEnv } from '../../context.ts';
import { assertUser, hasRole } from '../../auth/permissions.ts';
import { visibleOrgIds } from '../../concerns/access.ts';
import { ValidationError } from '../../errors.ts';
import { isSafeUrl } from '../../security/url.ts';
import { REACH_IMPORT_MAX_BYTES, readImportFile } from '../../http/upload.ts';
import { itemsOf } from '../../content/service.ts';
import { buildDashboard, dashboardCsv, TABLES, type Dashboard, type Row, type TableName } from '../../reach/dashboard.ts';
import { importReach, listUnmatched, matchUnmatched, PLATFORMS } from '../../reach/import.ts';
import { enterManual, ensureShortLink, linksOf, shortUrl } from '../../reach/service.ts';
import { qrSvg } from '../../reach/qr.ts';
import { CHANNEL_LABELS, CHANNELS, ChannelSchema, ManualEntrySchema, SummaryQuerySchema, type SummaryQuery } from '../../reach/schema.ts';
import { renderPage } from '../shared/layout.tsx';
import { FormCard } from '../shared/form-card.tsx';
import { loadLookups, orgTree } from '../shared/lookups.ts';
import { formAction, one } from '../shared/forms.ts';
import { setFlash } from '../shared/flash.ts';

const app = new Hono<AppEnv>();
const n = (v: number) => v.toLocaleString('zh-CN');
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** Reads the dashboard filters from the query string; a bad one is a 400 naming it. */
function readQuery(q: Record<string, string>): SummaryQuery {
  const raw = Object.fromEntries(Object.entries({ org: q.org, column: q.column, channel: q.channel, from: q.from, to: q.to, itemId: q.item }).filter(([, v]) => v));
  const parsed = SummaryQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw ValidationError.field(issue.path.join('.'), issue.message);
  }
  return parsed.data;
}

function queryString(d: Dashboard, extra: Record<string, string> = {}): string {
  const q = d.query;
  return new URLSearchParams(Object.entries({ org: q.org ?? '', column: q.column ?? '', channel: q.channel ?? '', from: q.from, to: q.to, item: q.itemId ?? '', ...extra }).filter(([, v]) => v) as [string, string][]).toString();
}

function Table({ d, table, caption, first, rows }: { d: Dashboard; table: TableName; caption: string; first: string; rows: Row[] }) {
  return (
    <section class="card" aria-labelledby={`t-${table}`}>
      <div class="page-head">
        <h2 id={`t-${table}`}>{caption}</h2>
        <a class="button" href={`/workbench/reach/export.csv?${queryString(d, { table })}`} data-csv={table}>导出 CSV</a>
      </div>
      <table class="list">
        <thead><tr><th scope="col">{first}</th><th scope="col">阅读</th><th scope="col">读者</th><th scope="col">分享/转发</th><th scope="col">短链点击</th></tr></thead>
        <tbody>
          {rows.length === 0 && <tr><td colspan={5}>这段时间没有数据</td></tr>}
          {rows.map((r) => (
            <tr>
              <td>{table === 'items' ? <a href={`/workbench/items/${r.key}/edit`}>{r.label}</a> : r.label}</td>
              <td>{n(r.views)}</td><td>{n(r.uniques)}</td><td>{n(r.shares)}</td><td>{n(r.clicks)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

app.get('/reach', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const query = readQuery(c.req.query());
  const [d, names, scope, unmatched] = await Promise.all([buildDashboard({ deps, actor: user, query }), loadLookups(deps), visibleOrgIds(deps, user), listUnmatched({ deps })]);
  const published = await itemsOf(deps).list((i) => i.status === 'published' && scope.has(i.orgId));
  const s = d.summary;
  const canEdit = hasRole(user, 'editor') || hasRole(user, 'admin');
  const csrf = c.var.session?.csrf ?? '';
  const top = d.topItems.slice(0, 20);
  // echarts is loaded on the first dashboard view, not at server start-up
  const { barChartSvg, colorAt, lineChartSvg, pieChartSvg } = await import('../../reach/charts.ts');
  const body = (
    <>
      <div class="page-head">
        <h1>传播看板</h1>
        <p class="meta">{names.orgName(d.query.org!)}（含下级）· {d.query.from} 至 {d.query.to}</p>
      </div>
      <form method="get" action="/workbench/reach" class="filters card" aria-label="筛选">
        <div class="field">
          <label for="f-org">组织</label>
          <select id="f-org" name="org">
            {orgTree(names.orgs.filter((o) => scope.has(o.id))).map(({ org, depth }) => <option value={org.id} selected={org.id === d.query.org}>{`${'　'.repeat(depth)}${org.name}`}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-column">栏目</label>
          <select id="f-column" name="column">
            <option value="">全部栏目</option>
            {deps.kinds.columns.map((col) => <option value={col.key} selected={col.key === d.query.column}>{col.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-channel">渠道</label>
          <select id="f-channel" name="channel">
            <option value="">全部渠道</option>
            {CHANNELS.map((ch) => <option value={ch} selected={ch === d.query.channel}>{CHANNEL_LABELS[ch]}</option>)}
          </select>
        </div>
        <div class="field"><label for="f-from">开始日期</label><input id="f-from" type="date" name="from" value={d.query.from} /></div>
        <div class="field"><label for="f-to">结束日期</label><input id="f-to" type="date" name="to" value={d.query.to} /></div>
        {d.query.itemId && <input type="hidden" name="item" value={d.query.itemId} />}
        <button type="submit">查看</button>
      </form>
      <section class="card" aria-labelledby="kpi-title">
        <h2 id="kpi-title">总览</h2>
        <dl class="kpis" data-kpis>
          <div><dt>阅读</dt><dd data-kpi="views">{n(s.views)}</dd></div>
          <div><dt>读者（按日去重合计）</dt><dd data-kpi="uniques">{n(s.uniques)}</dd></div>
          <div><dt>分享/转发</dt><dd data-kpi="shares">{n(s.shares)}</dd></div>
          <div><dt>短链点击</dt><dd data-kpi="clicks">{n(s.clicks)}</dd></div>
          <div><dt>网民关切回应率（{d.response.withinDays} 日内）</dt><dd data-kpi="response">{pct(d.response.rate)}</dd><dd class="meta">收集 {d.response.received} 条，已回应 {d.response.answered} 条</dd></div>
        </dl>
      </section>
      <section class="card charts" aria-label="图表">
        <ChartFigure label="每日阅读（按渠道）" svg={lineChartSvg({ title: '每日阅读（按渠道）', days: d.days, series: d.series.length ? d.series.map((x) => ({ name: x.label, data: x.data, color: colorAt(CHANNELS.indexOf(x.channel)) })) : [{ name: '阅读', data: d.days.map(() => 0) }] })} />
        {d.byChannel.length > 0 && <ChartFigure label="渠道占比" svg={pieChartSvg({ title: '阅读渠道占比', slices: d.byChannel.map((r) => ({ name: r.label, value: r.views, color: colorAt(CHANNELS.indexOf(r.key as never)) })) })} />}
        {d.byOrg.length > 0 && <ChartFigure label="各组织阅读" svg={barChartSvg({ title: '各组织阅读', labels: d.byOrg.slice(0, 15).map((r) => r.label), series: [{ name: '阅读', data: d.byOrg.slice(0, 15).map((r) => r.views) }] })} />}
        {d.byColumn.length > 0 && <ChartFigure label="各栏目阅读" svg={barChartSvg({ title: '各栏目阅读', labels: d.byColumn.map((r) => r.label), series: [{ name: '阅读', data: d.byColumn.map((r) => r.views) }] })} />}
        {top.length > 0 && <ChartFigure label="阅读最多的稿件" svg={barChartSvg({ title: '阅读最多的稿件', labels: top.slice(0, 10).map((r) => r.label), series: [{ name: '阅读', data: top.slice(0, 10).map((r) => r.views) }] })} />}
      </section>
      <Table d={d} table="items" caption="稿件排行" first="稿件" rows={top} />
      <Table d={d} table="channels" caption="按渠道" first="渠道" rows={d.byChannel} />
      <Table d={d} table="orgs" caption="按组织" first="组织" rows={d.byOrg} />
      <Table d={d} table="columns" caption="按栏目" first="栏目" rows={d.byColumn} />
      <section class="card" aria-labelledby="t-days">
        <div class="page-head">
          <h2 id="t-days">按日</h2>
          <a class="button" href={`/workbench/reach/export.csv?${queryString(d, { table: 'days' })}`} data-csv="days">导出 CSV</a>
        </div>
        <table class="list">
          <thead><tr><th scope="col">日期</th><th scope="col">阅读</th><th scope="col">读者</th><th scope="col">分享/转发</th></tr></thead>
          <tbody>{d.byDay.map((r) => <tr><td>{r.day}</td><td>{n(r.views)}</td><td>{n(r.uniques)}</td><td>{n(r.shares)}</td></tr>)}</tbody>
        </table>
      </section>
      {canEdit && (
        <>
          <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">导入微信公众号 / 微博数据</h2>
            <p class="hint">上传公众号后台或微博数据助手导出的 CSV（UTF-8 或 GBK/GB18030）或 Excel（.xlsx）。按链接或标题对应稿件；同一文件重复导入不会重复计数。</p>
            <form method="post" action="/workbench/reach/import" enctype="multipart/form-data" class="filters">
              <input type="hidden" name="_csrf" value={csrf} />
              <div class="field">
                <label for="imp-platform">平台</label>
                <select id="imp-platform" name="platform">
                  <option value="">自动识别</option>
                  {PLATFORMS.map((p) => <option value={p}>{CHANNEL_LABELS[p]}</option>)}
                </select>
              </div>
              <div class="field grow"><label for="imp-file">文件</label><input id="imp-file" type="file" name="file" accept=".csv,.xlsx,text/csv" required /></div>
              <button type="submit">导入</button>
            </form>
          </section>
          <section class="card" aria-labelledby="unmatched-title">
            <h2 id="unmatched-title">未匹配的文章/微博（{unmatched.length}）</h2>
            {unmatched.length === 0 ? <p class="meta">没有未匹配的记录。</p> : (
              <table class="list">
                <thead><tr><th scope="col">平台</th><th scope="col">标题/内容</th><th scope="col">阅读</th><th scope="col">对应到稿件</th></tr></thead>
                <tbody>
                  {unmatched.slice(0, 100).map((u) => (
                    <tr>
                      <td>{CHANNEL_LABELS[u.platform]}</td>
                      <td>{u.url && isSafeUrl(u.url) ? <a href={u.url} rel="noopener noreferrer nofollow">{u.title || u.url}</a> : u.title || u.url}</td>
                      <td>{n(u.rows.reduce((sum, r) => sum + (r.figures.views ?? 0), 0))}</td>
                      <td>
                        <form method="post" action={`/workbench/reach/unmatched/${u.id}/match`} class="inline">
                          <input type="hidden" name="_csrf" value={csrf} />
                          <label class="sr-only" for={`m-${u.id}`}>对应稿件</label>
                          <select id={`m-${u.id}`} name="itemId" required>
                            <option value="">选择稿件…</option>
                            {published.map((i) => <option value={i.id}>{i.title}</option>)}
                          </select>
                          <button type="submit">匹配</button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <FormCard id="manual-title" title="手工录入" action="/workbench/reach/manual" csrf={csrf}>
            <label for="man-item">稿件</label>
            <select id="man-item" name="itemId" required>{published.map((i) => <option value={i.id}>{i.title}</option>)}</select>
            <label for="man-day">日期</label>
            <input id="man-day" type="date" name="day" required value={d.query.to} />
            <label for="man-channel">渠道</label>
            <select id="man-channel" name="channel">{(['wechat', 'weibo', 'video', 'site'] as const).map((ch) => <option value={ch}>{CHANNEL_LABELS[ch]}</option>)}</select>
            {(['views', 'uniques', 'shares', 'reposts', 'likes', 'comments', 'favorites'] as const).map((k) => (
              <>
                <label for={`man-${k}`}>{({ views: '阅读次数', uniques: '阅读人数', shares: '分享次数', reposts: '转发', likes: '点赞/在看', comments: '评论', favorites: '收藏' } as const)[k]}</label>
                <input id={`man-${k}`} type="number" min="0" step="1" name={k} inputmode="numeric" />
              </>
            ))}
            <button type="submit">保存</button>
          </FormCard>
        </>
      )}
    </>
  );
  return renderPage(c, { title: '传播看板', nav: 'reach', body });
});

app.get('/reach/export.csv', async (c) => {
  const user = assertUser(c.var.user);
  const table = c.req.query('table') as TableName;
  if (!TABLES.includes(table)) throw ValidationError.field('table', `应为 ${TABLES.join('、')} 之一`);
  const d = await buildDashboard({ deps: c.var.deps, actor: user, query: readQuery(c.req.query()) });
  return c.body(dashboardCsv(d, table), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="reach-${table}-${d.query.from}-${d.query.to}.csv"` });
});

app.post('/reach/import', async (c) => {
  const user = assertUser(c.var.user);
  try {
    // streamed to a temp file with the API's cap; CSRF was checked from the field before the file (auth/middleware.ts)
    const { content, fields } = await readImportFile(c, 'CSV 或 XLSX', REACH_IMPORT_MAX_BYTES, { multipartOnly: true });
    const platform = PLATFORMS.find((p) => p === fields.platform);
    const r = await importReach({ deps: c.var.deps, actor: user, content, platform });
    const errors = r.errors.slice(0, 3).map((e) => `第 ${e.line} 行 ${e.message}`).join('；');
    setFlash(c, { kind: r.errors.length ? 'error' : 'ok', text: `已导入 ${r.rows} 行：匹配 ${r.matched} 行，未匹配 ${r.unmatched.length} 篇，出错 ${r.errors.length} 行${errors ? `（${errors}）` : ''}` });
  } catch (error) {
    if (!(error instanceof ValidationError) && !(error instanceof Error && 'status' in error && (error as { status: number }).status < 500)) throw error;
    setFlash(c, { kind: 'error', text: error.message });
  }
  return c.redirect('/workbench/reach#import-title', 303);
});

app.post('/reach/unmatched/:id/match', (c) =>
  formAction(c, '/workbench/reach#unmatched-title', async ({ user, form }) => {
    const r = await matchUnmatched({ deps: c.var.deps, actor: user, id: c.req.param('id'), itemId: one(form, 'itemId') });
    return { ok: `已匹配，写入 ${r.written} 天的数据；以后导入同一篇会自动匹配` };
  }),
);

app.post('/reach/manual', (c) =>
  formAction(c, '/workbench/reach#manual-title', async ({ user, form }) => {
    const figures = Object.fromEntries((['views', 'uniques', 'shares', 'reposts', 'likes', 'comments', 'favorites'] as const).filter((k) => one(form, k) !== '').map((k) => [k, Number(one(form, k))]));
    const channel = ChannelSchema.safeParse(one(form, 'channel'));
    const parsed = ManualEntrySchema.safeParse({ itemId: one(form, 'itemId'), day: one(form, 'day'), channel: channel.success ? channel.data : one(form, 'channel'), ...figures });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw ValidationError.field(issue.path.join('.'), issue.message);
    }
    await enterManual({ deps: c.var.deps, actor: user, input: parsed.data });
    return { ok: '已保存' };
  }),
);

app.post('/reach/links', (c) =>
  formAction(c, '/workbench/items', async ({ user, form }) => {
    const itemId = one(form, 'itemId');
    const channel = ChannelSchema.safeParse(one(form, 'channel'));
    if (!channel.success) throw ValidationError.field('channel', '请选择渠道');
    const link = await ensureShortLink({ deps: c.var.deps, actor: user, itemId, channel: channel.data });
    return { ok: `短链接：${shortUrl(c.var.deps, link.id)}`, to: `/workbench/items/${itemId}/edit#reach-title` };
  }),
);

app.get('/reach/links/:code/qr.svg', async (c) => {
  assertUser(c.var.user);
  const link = await linksOf(c.var.deps).get(c.req.param('code'));
  if (!link) return c.text('没有这个短链接', 404);
  return c.body(await qrSvg(shortUrl(c.var.deps, link.id)), 200, { 'content-type': 'image/svg+xml', 'cache-control': 'private, max-age=3600' });
});

export default app;
