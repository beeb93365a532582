/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser, hasRole } from '../../auth/permissions.ts';
import { visibleOrgIds } from '../../concerns/access.ts';
import { ValidationError } from '../../errors.ts';
import { chinaDay } from '../../reach/day.ts';
import { buildEvaluation, commend, commendationsOf, getWeights, listComments, logComment, setWeights, withdrawCommendation } from '../../evaluation/service.ts';
import { writeHonors } from '../../evaluation/honors-file.ts';
import { parsePeriod } from '../../evaluation/period.ts';
import { CreateCommendationSchema, CreateCommentSchema, DIMENSION_LABELS, DIMENSIONS, PeriodSchema, PLATFORM_LABELS, WeightsSchema } from '../../evaluation/schema.ts';
import { renderPage } from '../shared/layout.tsx';
import { FormCard } from '../shared/form-card.tsx';
import { loadLookups, orgTree } from '../shared/lookups.ts';
import { formAction, one } from '../shared/forms.ts';

const app = new Hono<AppEnv>();
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const n = (v: number) => v.toLocaleString('zh-CN');

function parseOr<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw ValidationError.field(issue.path.map(String).join('.'), issue.message);
  }
  return r.data;
}

function CommendForm({ csrf, type, targetId, year, back }: { csrf: string; type: 'org' | 'member'; targetId: string; year: number; back: string }) {
  return (
    <form method="post" action="/workbench/evaluation/commend" class="inline">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="targetId" value={targetId} />
      <input type="hidden" name="year" value={String(year)} />
      <input type="hidden" name="back" value={back} />
      <input type="hidden" name="title" value={type === 'org' ? '先进集体' : '优秀网宣志愿者'} />
      <button type="submit">表彰</button>
    </form>
  );
}

app.get('/evaluation', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const period = c.req.query('period') || chinaDay(deps.clock()).slice(0, 4);
  parseOr(PeriodSchema, period);
  const p = parsePeriod(period);
  const org = c.req.query('org') || user.orgId;
  const [e, names, scope, weights, comments] = await Promise.all([buildEvaluation({ deps, actor: user, orgId: org, period }), loadLookups(deps), visibleOrgIds(deps, user), getWeights({ deps }), listComments({ deps, actor: user, period: p })]);
  const year = Number(period.slice(0, 4));
  const honors = await commendationsOf(deps).list((h) => h.year === year);
  const admin = hasRole(user, 'admin');
  const csrf = c.var.session?.csrf ?? '';
  const back = `/workbench/evaluation?${new URLSearchParams({ period, org })}`;
  const api = (extra: Record<string, string>) => `/api/evaluation?${new URLSearchParams({ period, org, ...extra })}`;
  const body = (
    <>
      <div class="page-head">
        <h1>评优考评</h1>
        <p class="meta">{e.orgName} 下级单位 · {e.label}（{e.from} 至 {e.to}）</p>
      </div>
      <form method="get" action="/workbench/evaluation" class="filters card" aria-label="选择时段和组织">
        <div class="field">
          <label for="ev-period">时段</label>
          <input id="ev-period" name="period" value={period} placeholder="2026、2026-Q4 或 2026-11" pattern="\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?" />
        </div>
        <div class="field">
          <label for="ev-org">组织</label>
          <select id="ev-org" name="org">
            {orgTree(names.orgs.filter((o) => scope.has(o.id))).map(({ org: o, depth }) => <option value={o.id} selected={o.id === org}>{`${'　'.repeat(depth)}${o.name}`}</option>)}
          </select>
        </div>
        <button type="submit">查看</button>
      </form>
      <section class="card" aria-labelledby="ev-dl">
        <h2 id="ev-dl">下载</h2>
        <ul class="actions downloads">
          <li><a class="button" href={api({ format: 'docx' })} data-download="docx">考评报告（.docx）</a></li>
          <li><a class="button" href={api({ format: 'csv', table: 'orgs' })}>单位排名（CSV）</a></li>
          <li><a class="button" href={api({ format: 'csv', table: 'members' })}>成员排名（CSV）</a></li>
          {p.kind === 'month' && <li><a class="button" href={`/api/evaluation/circular?${new URLSearchParams({ month: period, org })}`}>本月通报（.docx）</a></li>}
        </ul>
      </section>
      <section class="card" aria-labelledby="ev-orgs">
        <h2 id="ev-orgs">单位排名</h2>
        <table class="list" data-org-ranking>
          <thead>
            <tr>
              <th scope="col">名次</th><th scope="col">单位</th><th scope="col">总分</th>
              {DIMENSIONS.map((d) => <th scope="col">{DIMENSION_LABELS[d]}（{weights[d]}）</th>)}
              <th scope="col">成员/活跃</th><th scope="col">关切/按时</th><th scope="col">回应率</th><th scope="col">平均回应</th><th scope="col">线下办理</th><th scope="col">周报</th><th scope="col">发布</th><th scope="col">阅读</th><th scope="col">评论</th>
              {admin && <th scope="col">表彰</th>}
            </tr>
          </thead>
          <tbody>
            {e.orgs.map((r) => (
              <tr>
                <td>{r.rank}</td>
                <td>{r.name}{r.commended && <span class="status status-published">{r.commended}</span>}</td>
                <td><strong>{r.score.toFixed(1)}</strong></td>
                {DIMENSIONS.map((d) => <td>{(r.scores[d] ?? 0).toFixed(1)}</td>)}
                <td>{r.metrics.members}/{r.metrics.activeMembers}</td>
                <td>{r.metrics.concernsLogged}/{r.metrics.concernsOnTime}</td>
                <td>{pct(r.metrics.responseRate)}</td>
                <td>{r.metrics.avgHoursToAnswer === null ? '—' : `${r.metrics.avgHoursToAnswer} 小时`}</td>
                <td>{r.metrics.handledOffline}</td>
                <td>{r.metrics.weeklyOnTime}/{r.metrics.weeksWithConcerns}</td>
                <td>{r.metrics.publishedTotal}</td>
                <td>{n(r.metrics.views)}</td>
                <td>{r.metrics.comments}</td>
                {admin && <td><CommendForm csrf={csrf} type="org" targetId={r.orgId} year={year} back={back} /></td>}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="ev-members">
        <h2 id="ev-members">成员排名</h2>
        <table class="list" data-member-ranking>
          <thead><tr><th scope="col">名次</th><th scope="col">姓名</th><th scope="col">组织</th><th scope="col">得分</th><th scope="col">收集关切</th><th scope="col">发布稿件</th><th scope="col">网络评论</th><th scope="col">稿件阅读</th>{admin && <th scope="col">表彰</th>}</tr></thead>
          <tbody>
            {e.members.slice(0, 30).map((m) => (
              <tr>
                <td>{m.rank}</td><td>{m.name}{m.commended && <span class="status status-published">{m.commended}</span>}</td><td>{m.orgName}</td><td>{m.score.toFixed(1)}</td><td>{m.concerns}</td><td>{m.items}</td><td>{m.comments}</td><td>{n(m.views)}</td>
                {admin && <td><CommendForm csrf={csrf} type="member" targetId={m.userId} year={year} back={back} /></td>}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="ev-honors">
        <h2 id="ev-honors">{year} 年度表彰</h2>
        {honors.length === 0 ? <p class="meta">还没有表彰。</p> : (
          <ul>
            {honors.map((h) => (
              <li>
                {h.type === 'org' ? names.orgName(h.targetId) : names.userName(h.targetId)} · {h.title}
                {admin && (
                  <form method="post" action={`/workbench/evaluation/commendations/${h.id}/withdraw`} class="inline">
                    <input type="hidden" name="_csrf" value={csrf} />
                    <input type="hidden" name="back" value={back} />
                    <button type="submit" class="link-button">撤销</button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        <p class="hint">表彰名单显示在公开网站的“表彰”页（/honors/），下次网站构建时更新。</p>
      </section>
      <section class="card narrow" aria-labelledby="ev-comment">
        <h2 id="ev-comment">登记网络评论</h2>
        <form method="post" action="/workbench/evaluation/comments" class="stack">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="back" value={back} />
          <label for="cm-url">评论链接</label>
          <input id="cm-url" name="url" type="url" required maxlength={1000} placeholder="https://weibo.com/…" />
          <label for="cm-platform">平台</label>
          <select id="cm-platform" name="platform">{Object.entries(PLATFORM_LABELS).map(([k, v]) => <option value={k}>{v}</option>)}</select>
          <label for="cm-date">日期</label>
          <input id="cm-date" name="postedAt" type="date" value={chinaDay(deps.clock())} />
          <label for="cm-note">说明</label>
          <input id="cm-note" name="note" maxlength={500} />
          <button type="submit">登记</button>
        </form>
        <h3>本时段的网络评论（{comments.length}）</h3>
        <ul>
          {comments.slice(0, 50).map((cm) => (
            <li>{cm.postedAt.slice(0, 10)} · {names.userName(cm.userId)} · {PLATFORM_LABELS[cm.platform] ?? cm.platform} · <a href={cm.url} rel="noopener noreferrer nofollow">{cm.url.length > 60 ? `${cm.url.slice(0, 59)}…` : cm.url}</a>{cm.note && ` · ${cm.note}`}</li>
          ))}
        </ul>
      </section>
      {admin && (
        <FormCard id="ev-weights" title="评分权重" action="/workbench/evaluation/weights" csrf={csrf}>
          <input type="hidden" name="back" value={back} />
          {DIMENSIONS.map((d) => (
            <>
              <label for={`w-${d}`}>{DIMENSION_LABELS[d]}</label>
              <input id={`w-${d}`} name={d} type="number" min="0" max="100" step="1" value={String(weights[d])} required />
            </>
          ))}
          <button type="submit">保存权重</button>
        </FormCard>
      )}
    </>
  );
  return renderPage(c, { title: '评优考评', nav: 'evaluation', body });
});

const backOf = (form: Record<string, string | string[]>) => {
  const b = one(form, 'back');
  return b.startsWith('/workbench/evaluation') ? b : '/workbench/evaluation';
};

app.post('/evaluation/commend', async (c) => {
  const form = await c.req.parseBody();
  return formAction(c, backOf(form as never), async ({ user, form }) => {
    const input = parseOr(CreateCommendationSchema, { year: Number(one(form, 'year')), type: one(form, 'type'), targetId: one(form, 'targetId'), title: one(form, 'title'), citation: one(form, 'citation') });
    await commend({ deps: c.var.deps, actor: user, input });
    await writeHonors(c.var.deps);
    return { ok: `已表彰：${input.title}` };
  });
});

app.post('/evaluation/commendations/:id/withdraw', async (c) => {
  const form = await c.req.parseBody();
  return formAction(c, backOf(form as never), async ({ user }) => {
    await withdrawCommendation({ deps: c.var.deps, actor: user, id: c.req.param('id') });
    await writeHonors(c.var.deps);
    return { ok: '已撤销表彰' };
  });
});

app.post('/evaluation/comments', async (c) => {
  const form = await c.req.parseBody();
  return formAction(c, backOf(form as never), async ({ user, form }) => {
    const input = parseOr(CreateCommentSchema, { url: one(form, 'url'), platform: one(form, 'platform') || 'other', note: one(form, 'note'), ...(one(form, 'postedAt') ? { postedAt: one(form, 'postedAt') } : {}) });
    await logComment({ deps: c.var.deps, actor: user, input });
    return { ok: '已登记网络评论' };
  });
});

app.post('/evaluation/weights', async (c) => {
  const form = await c.req.parseBody();
  return formAction(c, backOf(form as never), async ({ user, form }) => {
    const weights = parseOr(WeightsSchema, Object.fromEntries(DIMENSIONS.map((d) => [d, one(form, d) === '' ? NaN : Number(one(form, d))])));
    await setWeights({ deps: c.var.deps, actor: user, weights });
    return { ok: '权重已保存' };
  });
});

export default app;
