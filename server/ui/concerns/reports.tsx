/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { visibleOrgIds } from '../../concerns/access.ts';
import { buildWeeklyReport } from '../../reports/service.ts';
import { childFilings, getFiling } from '../../reports/filing.ts';
import { getOrg } from '../../orgs/service.ts';
import { ChildFilings, FilingPanel } from './filing.tsx';
import { REPORT_STATUS_LABELS } from '../../reports/schema.ts';
import { renderPage } from '../shared/layout.tsx';
import { ChartFigure } from '../shared/chart.tsx';
import { reportCharts } from '../../reports/charts.ts';
import digest, { DigestForm } from './digest.tsx';
import { loadLookups, orgTree } from '../shared/lookups.ts';
import { canEdit, ConcernsNav, percent, pickWeek, reportHref, Select, WeekArrows, WeekField } from './common.tsx';

const app = new Hono<AppEnv>();

const FORMATS = [
  ['docx', 'Word 文档（.docx）'],
  ['html', '网页（.html）'],
  ['md', 'Markdown（.md）'],
] as const;

function CountTable({ caption, rows }: { caption: string; rows: { name: string; received: number; answered: number }[] }) {
  return (
    <table class="list">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">名称</th>
          <th scope="col">收集</th>
          <th scope="col">已回应</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>{r.name}</td>
            <td>{r.received}</td>
            <td>{r.answered}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

app.get('/reports', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const week = pickWeek(deps, c.req.query('week'));
  const org = c.req.query('org') || user.orgId;
  const [report, names, scope] = await Promise.all([buildWeeklyReport({ deps, actor: user, orgId: org, week }), loadLookups(deps), visibleOrgIds(deps, user)]);
  const [orgRecord, filing, children] = await Promise.all([getOrg({ deps, id: org }), getFiling({ deps, actor: user, orgId: org, week }), org === user.orgId ? childFilings({ deps, actor: user, week }) : Promise.resolve([])]);
  const t = report.totals;
  const charts = await reportCharts(report);
  const previous = report.trend?.at(-2);
  const api = (format: string) => `/api/reports/weekly?${new URLSearchParams({ org, week, format })}`;
  const body = (
    <>
      <div class="page-head">
        <h1>网情民意周报</h1>
        <p class="meta">
          {report.orgName} · {week}（{report.from} 至 {report.to}）
        </p>
      </div>
      <ConcernsNav current="reports" week={week} />
      <WeekArrows week={week} href={(w) => `/workbench/reports?${new URLSearchParams({ org, week: w })}`} />
      <form method="get" action="/workbench/reports" class="filters card" aria-label="选择组织和周">
        <Select id="f-org" name="org" label="组织" options={orgTree(names.orgs.filter((o) => scope.has(o.id))).map(({ org: o, depth }) => [o.id, `${'　'.repeat(depth)}${o.name}`])} value={org} />
        <WeekField value={week} />
        <button type="submit">查看</button>
      </form>
      <section class="card" aria-labelledby="dl-title">
        <h2 id="dl-title">下载</h2>
        <ul class="actions downloads" data-downloads>
          {FORMATS.map(([format, label]) => (
            <li>
              <a class="button" href={api(format)} download={format === 'html' ? `weekly-${org}-${week}.html` : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <FilingPanel filing={filing} org={orgRecord} week={week} user={user} csrf={c.var.session?.csrf ?? ''} names={names} />
      <ChildFilings rows={children} week={week} />
      {canEdit(user) && <DigestForm action={`/workbench/reports/monthly-digest?${new URLSearchParams({ org, week })}`} month={deps.clock()} csrf={c.var.session?.csrf ?? ''} />}
      <section class="card" aria-labelledby="totals-title">
        <h2 id="totals-title">总体</h2>
        <p data-response-rate>
          回应率（{report.responseRate.withinDays} 日内回应 ÷ 收集）：<strong>{percent(report.responseRate.rate)}</strong>（{report.responseRate.answered} / {report.responseRate.received}）
        </p>
        <table class="list">
          <caption class="sr-only">总数</caption>
          <thead>
            <tr>
              <th scope="col">收集</th>
              <th scope="col">已回应</th>
              <th scope="col">已办理</th>
              <th scope="col">已回复</th>
              <th scope="col">已关闭</th>
              <th scope="col">待回应</th>
              <th scope="col">超期</th>
              <th scope="col">重复</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{t.received}</td>
              <td>{t.answered}</td>
              <td>{t.handled}</td>
              <td>{t.replied}</td>
              <td>{t.closed}</td>
              <td>{t.open}</td>
              <td>{t.overdue}</td>
              <td>{t.duplicates}</td>
            </tr>
          </tbody>
        </table>
      </section>
      {charts.length > 0 && (
        <section class="card" aria-labelledby="charts-title" data-report-charts>
          <h2 id="charts-title">图表</h2>
          {previous && (
            <p data-week-over-week>
              本周收集 {t.received} 条，上周 {previous.received} 条（{t.received - previous.received >= 0 ? '+' : ''}
              {t.received - previous.received}）。
            </p>
          )}
          <div class="charts">
            {charts.map((chart) => (
              <ChartFigure svg={chart.svg} label={chart.title} name={chart.key} />
            ))}
          </div>
        </section>
      )}
      <div class="panels">
        <section class="card">
          <CountTable caption="按类别" rows={report.byCategory} />
        </section>
        <section class="card">
          <CountTable caption="按区县" rows={report.byDistrict} />
        </section>
        {(report.byPlatform?.length ?? 0) > 0 && (
          <section class="card">
            <CountTable caption="按平台" rows={report.byPlatform ?? []} />
          </section>
        )}
      </div>
      {report.children.length > 0 && (
        <section class="card" aria-labelledby="children-title">
          <h2 id="children-title">下级组织</h2>
          <table class="list">
            <caption class="sr-only">下级组织的周报</caption>
            <thead>
              <tr>
                <th scope="col">组织</th>
                <th scope="col">收集</th>
                <th scope="col">已回应</th>
                <th scope="col">回应率</th>
                <th scope="col">分组</th>
              </tr>
            </thead>
            <tbody>
              {report.children.map((ch) => (
                <tr>
                  <td>
                    <a href={reportHref(ch.orgId, week)}>{ch.orgName}</a>
                  </td>
                  <td>{ch.received}</td>
                  <td>{ch.answered}</td>
                  <td>{percent(ch.rate)}</td>
                  <td>{ch.groups}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section aria-labelledby="top-title">
        <h2 id="top-title">重点分组</h2>
        {report.groups.length === 0 && <p class="empty">本周没有确认的分组。</p>}
        {report.groups.map((g) => (
          <article class="card">
            <h3>
              {g.title} <span class="count">{g.size} 条</span> <span class="status">{REPORT_STATUS_LABELS[g.status]}</span>
            </h3>
            {g.quotes.map((q) => (
              <blockquote>{q}</blockquote>
            ))}
            {g.decision && <p>会办决定：{g.decision}</p>}
            {g.escalatedTo && <p>已上报：{g.escalatedTo}</p>}
            {g.items.length > 0 && <p>回应稿件：{g.items.map((i) => i.title).join('、')}</p>}
            {g.feedback.map((f) => (
              <p>
                {f.from}反馈：{f.text}
              </p>
            ))}
          </article>
        ))}
      </section>
    </>
  );
  return renderPage(c, { title: '网情民意周报', nav: 'concerns', body, scripts: ['report'] });
});

app.route('/', digest);

export default app;
