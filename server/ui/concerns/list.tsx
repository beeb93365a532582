/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { AppError } from '../../errors.ts';
import { districtNames } from '../../concerns/access.ts';
import { CONCERN_STATUSES, PLATFORM_LABELS, PLATFORMS, STATUS_LABELS, type ConcernInput } from '../../concerns/schema.ts';
import { createConcern, listConcerns, ListConcernsQuerySchema } from '../../concerns/service.ts';
import { getConcernSettings } from '../../concerns/settings.ts';
import { parseInput } from '../../validate.ts';
import { renderPage } from '../shared/layout.tsx';
import { formatTime } from '../shared/lookups.ts';
import { readForm, one } from '../shared/forms.ts';
import { setFlash } from '../shared/flash.ts';
import { canLog, concernHref, ConcernsNav, Csrf, FormError, pickWeek, Select, WeekField } from './common.tsx';

const app = new Hono<AppEnv>();
const INTAKE_FIELDS = ['text', 'platform', 'url', 'category', 'district', 'author'] as const;
type IntakeValues = Partial<Record<(typeof INTAKE_FIELDS)[number], string>>;

async function renderList(c: Context<AppEnv>, intake: { values: IntakeValues; error?: string } = { values: {} }, status: 200 | 400 | 403 | 409 = 200) {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const raw = c.req.query();
  // no week given: this week; an emptied week field (`week=`): every week
  const allWeeks = raw.week === '';
  const week = pickWeek(deps, raw.week);
  const filters = { week: allWeeks ? undefined : week, status: raw.status || undefined, category: raw.category || undefined, district: raw.district || undefined, overdue: raw.overdue === 'true' ? 'true' : undefined, mine: raw.mine === 'true' ? 'true' : undefined };
  const query = parseInput(ListConcernsQuerySchema, filters);
  const [{ concerns, total }, { categories }, districts] = await Promise.all([listConcerns({ deps, actor: user, query }), getConcernSettings({ deps }), districtNames(deps)]);
  const csrf = c.var.session?.csrf ?? '';
  const v = intake.values;
  const errorField = intake.error ? /^(\w+)[.:]/.exec(intake.error)?.[1] : undefined;
  const invalid = (field: string) => (errorField === field ? { 'aria-invalid': 'true', 'aria-describedby': 'form-error' } : {});
  const body = (
    <>
      <div class="page-head">
        <h1>网民关切</h1>
        <p class="meta">
          {allWeeks ? '全部周' : week} · 共 {total} 条
        </p>
      </div>
      <ConcernsNav current="list" week={week} />
      {canLog(user) && (
        <section class="card" aria-labelledby="intake-title">
          <h2 id="intake-title">快速登记</h2>
          <FormError message={intake.error} />
          <form method="post" action="/workbench/concerns" class="stack">
            <Csrf token={csrf} />
            <label for="text">内容</label>
            <textarea id="text" name="text" rows={3} maxlength={2000} required {...invalid('text')}>
              {v.text ?? ''}
            </textarea>
            <div class="filters">
              <Select id="platform" name="platform" label="来源平台" options={PLATFORMS.map((p) => [p, PLATFORM_LABELS[p]])} value={v.platform} />
              <Select id="category" name="category" label="类别" options={categories.map((k) => [k, k])} value={v.category ?? '其他'} />
              <Select id="district" name="district" label="区县" all="（按我的组织）" options={districts.map((d) => [d, d])} value={v.district} />
              <div class="field grow">
                <label for="url">来源链接（可选）</label>
                <input id="url" name="url" type="url" value={v.url ?? ''} placeholder="https://" {...invalid('url')} />
              </div>
              <div class="field">
                <label for="author">作者账号（可选，不公开）</label>
                <input id="author" name="author" maxlength={100} value={v.author ?? ''} autocomplete="off" {...invalid('author')} />
              </div>
            </div>
            <p>
              <button type="submit" class="primary">
                登记
              </button>
            </p>
          </form>
        </section>
      )}
      <form method="get" action="/workbench/concerns" class="filters card" role="search" aria-label="筛选关切">
        <WeekField value={allWeeks ? '' : week} optional />
        <Select id="f-status" name="status" label="状态" all="全部" options={CONCERN_STATUSES.map((s) => [s, STATUS_LABELS[s]])} value={filters.status} />
        <Select id="f-category" name="category" label="类别" all="全部" options={categories.map((k) => [k, k])} value={filters.category} />
        <Select id="f-district" name="district" label="区县" all="全部" options={districts.map((d) => [d, d])} value={filters.district} />
        <Select id="f-overdue" name="overdue" label="超期" all="全部" options={[['true', '只看超期未回应']]} value={filters.overdue} />
        <Select id="f-mine" name="mine" label="登记人" all="全部" options={[['true', '我登记的']]} value={filters.mine} />
        <button type="submit">筛选</button>
      </form>
      <table class="list cards">
        <caption class="sr-only">关切列表</caption>
        <thead>
          <tr>
            <th scope="col">内容</th>
            <th scope="col">状态</th>
            <th scope="col">平台</th>
            <th scope="col">类别</th>
            <th scope="col">区县</th>
            <th scope="col">收集时间</th>
          </tr>
        </thead>
        <tbody>
          {concerns.map((cn) => (
            <tr class={cn.overdue ? 'overdue' : undefined}>
              <td>
                <a href={concernHref(cn)}>{cn.text.length > 80 ? `${cn.text.slice(0, 80)}…` : cn.text}</a>
                {cn.duplicateOf && (
                  <>
                    {' '}
                    <a class="tag-note" href={concernHref({ id: cn.duplicateOf })} title="与本周已有关切相同">
                      重复
                    </a>
                  </>
                )}
                {cn.overdue && <strong class="overdue-note"> 已超过 {deps.config.responseDays} 天未回应</strong>}
              </td>
              <td>
                <span class={`status concern-${cn.status}`}>{STATUS_LABELS[cn.status]}</span>
              </td>
              <td>{PLATFORM_LABELS[cn.source.platform] ?? cn.source.platform}</td>
              <td>{cn.category}</td>
              <td>{cn.district}</td>
              <td>{formatTime(cn.capturedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {concerns.length === 0 && <p class="empty">没有符合条件的关切。</p>}
    </>
  );
  return renderPage(c, { title: '网民关切', nav: 'concerns', body, status });
}

app.get('/concerns', (c) => renderList(c));

app.post('/concerns', async (c) => {
  const user = assertUser(c.var.user);
  const form = await readForm(c);
  const values: IntakeValues = {};
  for (const key of INTAKE_FIELDS) {
    const value = one(form, key).trim();
    if (value) values[key] = value;
  }
  try {
    // the service checks every field (and names the one that is wrong)
    const created = await createConcern({ deps: c.var.deps, actor: user, input: values as ConcernInput });
    setFlash(c, { kind: 'ok', text: created.duplicateOf ? '已登记（与本周已有关切重复，已关联）' : '已登记' });
    return c.redirect(`/workbench/concerns?week=${created.week}`, 303);
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const status = error.status === 403 || error.status === 409 ? error.status : 400;
    return renderList(c, { values, error: error.message }, status);
  }
});

export default app;
