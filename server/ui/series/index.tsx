/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser } from '../../auth/permissions.ts';
import { ValidationError } from '../../errors.ts';
import { itemsOf } from '../../content/service.ts';
import { STATUS_LABELS, type ItemStatus } from '../../content/schema.ts';
import { CreateSeriesSchema, UpdateSeriesSchema } from '../../series/schema.ts';
import { createSeries, getSeries, listSeries, updateSeries } from '../../series/service.ts';
import { parseInput } from '../../validate.ts';
import { renderPage } from '../shared/layout.tsx';
import { Csrf, FormCard } from '../shared/form-card.tsx';
import { formAction, one } from '../shared/forms.ts';

/** Series (系列) in the workbench: list, create, edit, add and remove items, reorder with arrows. */
const app = new Hono<AppEnv>();
const href = (id: string) => `/workbench/series/${id}`;
const statusLabel = (s: string) => STATUS_LABELS[s as ItemStatus] ?? s;

app.get('/series', async (c) => {
  const user = assertUser(c.var.user);
  const { series } = await listSeries({ deps: c.var.deps });
  const csrf = c.var.session?.csrf ?? '';
  return renderPage(c, {
    title: '系列',
    nav: 'series',
    body: (
      <>
        <h1>系列</h1>
        <p class="hint">把连载的微视频、故事汇、问答等稿件编成系列，网站上按顺序展示，并提供系列订阅。</p>
        <table class="list" data-series-list>
          <caption>全部系列</caption>
          <thead>
            <tr>
              <th scope="col">标题</th>
              <th scope="col">组织</th>
              <th scope="col">稿件数</th>
            </tr>
          </thead>
          <tbody>
            {series.length === 0 && (
              <tr>
                <td colspan={3}>还没有系列。</td>
              </tr>
            )}
            {series.map((s) => (
              <tr>
                <td>
                  <a href={href(s.id)}>{s.title}</a>
                </td>
                <td>{s.orgId}</td>
                <td>{s.itemCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <FormCard id="new-series" title={<>新建系列（{user.orgId}）</>} action="/workbench/series" csrf={csrf}>
          <label for="title">标题</label>
          <input id="title" name="title" required maxlength={60} />
          <label for="description">简介</label>
          <textarea id="description" name="description" rows={3} maxlength={500}></textarea>
          <p>
            <button type="submit" class="primary">
              创建系列
            </button>
          </p>
        </FormCard>
      </>
    ),
  });
});

app.post('/series', (c) =>
  formAction(c, '/workbench/series', async ({ user, form }) => {
    const input = parseInput(CreateSeriesSchema, { title: one(form, 'title'), description: one(form, 'description') });
    const series = await createSeries({ deps: c.var.deps, actor: user, input });
    return { ok: `已创建系列「${series.title}」`, to: href(series.id) };
  }),
);

app.get('/series/:id', async (c) => {
  const user = assertUser(c.var.user);
  const series = await getSeries({ deps: c.var.deps, id: c.req.param('id') });
  const csrf = c.var.session?.csrf ?? '';
  const candidates = (await itemsOf(c.var.deps).list((i) => !i.seriesId && i.orgId === series.orgId && i.status !== 'retracted')).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 200);
  const editable = user.orgId === series.orgId;
  const Move = ({ itemId, dir, label, disabled }: { itemId: string; dir: 'up' | 'down' | 'remove'; label: string; disabled?: boolean }) => (
    <form method="post" action={`${href(series.id)}/members`} class="inline">
      <Csrf token={csrf} />
      <input type="hidden" name="version" value={String(series.version)} />
      <input type="hidden" name="itemId" value={itemId} />
      <input type="hidden" name="op" value={dir} />
      <button type="submit" class="link-button" disabled={disabled}>
        {label}
      </button>
    </form>
  );
  return renderPage(c, {
    title: `系列：${series.title}`,
    nav: 'series',
    body: (
      <>
        <p class="meta">
          <a href="/workbench/series">系列</a>
        </p>
        <h1>{series.title}</h1>
        <p class="meta">
          网站地址：/series/{series.slug}/ · 版本 {series.version}
        </p>
        <section class="card" aria-labelledby="members-title">
          <h2 id="members-title">稿件顺序</h2>
          <ol data-series-members>
            {series.items.map((item, i) => (
              <li data-item-id={item.id}>
                <a href={`/workbench/items/${item.id}/edit`}>{item.title}</a> <span class="meta">（{statusLabel(item.status)}）</span>{' '}
                {editable && (
                  <>
                    <Move itemId={item.id} dir="up" label={`上移「${item.title}」`} disabled={i === 0} />
                    <Move itemId={item.id} dir="down" label={`下移「${item.title}」`} disabled={i === series.items.length - 1} />
                    <Move itemId={item.id} dir="remove" label={`移出「${item.title}」`} />
                  </>
                )}
              </li>
            ))}
          </ol>
          {series.items.length === 0 && <p>系列里还没有稿件。</p>}
          {editable && candidates.length > 0 && (
            <form method="post" action={`${href(series.id)}/members`} class="row">
              <Csrf token={csrf} />
              <input type="hidden" name="version" value={String(series.version)} />
              <input type="hidden" name="op" value="add" />
              <label for="add-item">加入稿件</label>
              <select id="add-item" name="itemId">
                {candidates.map((i) => (
                  <option value={i.id}>
                    {i.title}（{statusLabel(i.status)}）
                  </option>
                ))}
              </select>
              <button type="submit">加到末尾</button>
            </form>
          )}
        </section>
        {editable && (
          <FormCard id="edit-title" title="系列信息" action={href(series.id)} csrf={csrf}>
            <input type="hidden" name="version" value={String(series.version)} />
            <label for="title">标题</label>
            <input id="title" name="title" value={series.title} required maxlength={60} />
            <label for="description">简介</label>
            <textarea id="description" name="description" rows={3} maxlength={500}>
              {series.description}
            </textarea>
            <label for="cover">封面图地址（可选）</label>
            <input id="cover" name="cover" value={series.cover ?? ''} />
            <label for="slug">网址（小写字母、数字和 -）</label>
            <input id="slug" name="slug" value={series.slug} pattern="[a-z0-9][a-z0-9\-]{0,79}" />
            <p>
              <button type="submit" class="primary">
                保存
              </button>
            </p>
          </FormCard>
        )}
      </>
    ),
  });
});

app.post('/series/:id', (c) =>
  formAction(c, href(c.req.param('id')), async ({ user, form }) => {
    const cover = one(form, 'cover').trim();
    const input = parseInput(UpdateSeriesSchema, { version: Number(one(form, 'version')), title: one(form, 'title'), description: one(form, 'description'), cover: cover || null, slug: one(form, 'slug') || undefined });
    await updateSeries({ deps: c.var.deps, actor: user, id: c.req.param('id'), input });
    return { ok: '系列已保存' };
  }),
);

app.post('/series/:id/members', (c) =>
  formAction(c, href(c.req.param('id')), async ({ user, form }) => {
    const id = c.req.param('id');
    const series = await getSeries({ deps: c.var.deps, id });
    const ids = series.items.map((i) => i.id);
    const itemId = one(form, 'itemId');
    const at = ids.indexOf(itemId);
    const op = one(form, 'op');
    if (op === 'add') {
      if (at < 0) ids.push(itemId);
    } else if (at < 0) throw ValidationError.field('itemId', '这篇稿件不在系列里');
    else if (op === 'up' && at > 0) [ids[at - 1], ids[at]] = [ids[at]!, ids[at - 1]!];
    else if (op === 'down' && at < ids.length - 1) [ids[at + 1], ids[at]] = [ids[at]!, ids[at + 1]!];
    else if (op === 'remove') ids.splice(at, 1);
    const input = parseInput(UpdateSeriesSchema, { version: Number(one(form, 'version')), itemIds: ids });
    await updateSeries({ deps: c.var.deps, actor: user, id, input });
    return { ok: op === 'add' ? '已加入系列' : op === 'remove' ? '已移出系列' : '顺序已调整' };
  }),
);

export default app;
