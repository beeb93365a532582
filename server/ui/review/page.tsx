/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser, hasRole } from '../../auth/permissions.ts';
import { getItem, itemHistory, itemsOf } from '../../content/service.ts';
import { STATUS_LABELS, type Item, type Revision } from '../../content/schema.ts';
import type { TiptapDoc } from '../../content/tiptap.ts';
import { descendantIds } from '../../orgs/service.ts';
import { allowedTransitions } from '../../review/service.ts';
import { renderPage } from '../shared/layout.tsx';
import { formatTime, loadLookups } from '../shared/lookups.ts';
import { diffDocs, diffText } from './diff.ts';
import { DiffView, TitleDiff } from './view.tsx';
import { TransitionForms } from '../shared/transitions-view.tsx';
import { editHref, reviewHref } from '../home/panels.ts';
import { ItemTable } from '../shared/item-table.tsx';

const app = new Hono<AppEnv>();

app.get('/review', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const scope = hasRole(user, 'reviewer') ? await descendantIds({ deps, id: user.orgId }) : new Set<string>();
  const [items, names] = await Promise.all([itemsOf(deps).list((i) => (i.status === 'in-review' || i.status === 'approved') && scope.has(i.orgId)), loadLookups(deps)]);
  items.sort((a, b) => (a.status === b.status ? a.updatedAt.localeCompare(b.updatedAt) : a.status === 'in-review' ? -1 : 1));
  const body = (
    <>
      <h1>审核队列</h1>
      {!hasRole(user, 'reviewer') && <p class="note">审核需要「审核」角色，你没有该角色。</p>}
      <ItemTable
        caption="待审核和待发布的稿件，最早提交的在前"
        timeLabel="提交时间"
        items={items}
        names={names}
        kindLabel={c.var.deps.kinds.label}
        title={(item) => (
          <>
            <a href={reviewHref(item)}>{item.title}</a>
            {(item.authorId === user.id || item.lastEditorId === user.id) && <span class="tag-note">（本人稿件，需他人审核）</span>}
          </>
        )}
      />
      {items.length === 0 && <p class="empty">没有等待审核的稿件。</p>}
    </>
  );
  return renderPage(c, { title: '审核队列', nav: 'review', body });
});

/** The revision to compare against: the one asked for, else the last approved or published one, else the last whose body differs. */
function pickBase(revisions: Revision[], item: Item, asked: string | undefined): Revision | undefined {
  const older = revisions.filter((r) => r.itemVersion < item.version);
  if (asked) return revisions.find((r) => r.id === asked);
  const approved = older.filter((r) => r.status === 'approved' || r.status === 'published').pop();
  if (approved) return approved;
  const current = JSON.stringify(item.body);
  return older.filter((r) => JSON.stringify(r.body) !== current).pop() ?? older[0];
}

const REASONS: Record<string, string> = { create: '创建', edit: '编辑', correction: '更正' };
const reasonLabel = (reason: string) => REASONS[reason] ?? (reason.startsWith('transition:') ? `流转为「${STATUS_LABELS[reason.slice(11) as Item['status']] ?? reason.slice(11)}」` : reason);

app.get('/review/:id', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const item = await getItem({ deps, id: c.req.param('id') });
  const [history, transitions, names] = await Promise.all([itemHistory({ deps, id: item.id }), allowedTransitions({ deps, actor: user, item }), loadLookups(deps)]);
  const revisions = history.revisions as Revision[];
  const base = pickBase(revisions, item, c.req.query('base'));
  const kind = deps.kinds.get(item.kind);
  const [beforeDiff, afterDiff] = await Promise.all([kind.review.beforeDiff?.({ deps, item }), kind.review.afterDiff?.({ deps, item })]);
  const caption = base ? `与第 ${base.itemVersion} 版（${reasonLabel(base.reason)}，${STATUS_LABELS[base.status]}，${formatTime(base.createdAt)}）相比` : '没有可对比的早期版本';
  const body = (
    <>
      <div class="page-head">
        <h1>审核：{item.title}</h1>
        <p class="meta">
          {kind.label} · <span class={`status status-${item.status}`}>{STATUS_LABELS[item.status]}</span> · {names.orgName(item.orgId)} · 作者 {names.userName(item.authorId)} · 最后修改 {names.userName(item.lastEditorId)} · 版本 {item.version} ·{' '}
          <a href={editHref(item)}>打开编辑页</a> ·{' '}
          <a href={`/workbench/items/${item.id}/preview`} target="_blank" rel="noopener">
            预览
          </a>
        </p>
      </div>
      <div class="editor-layout">
        <div class="stack">
          {base && <TitleDiff segments={diffText(base.title, item.title)} />}
          {item.summary && (
            <p>
              <span class="label">摘要：</span>
              {item.summary}
            </p>
          )}
          {beforeDiff}
          <DiffView diff={diffDocs(base?.body as TiptapDoc | undefined, item.body)} caption={caption} />
          {afterDiff}
          <section class="card" aria-labelledby="revisions-title">
            <h2 id="revisions-title">修订版本</h2>
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">版本</th>
                  <th scope="col">原因</th>
                  <th scope="col">操作人</th>
                  <th scope="col">时间</th>
                  <th scope="col">对比</th>
                </tr>
              </thead>
              <tbody>
                {[...revisions].reverse().map((r) => (
                  <tr>
                    <td>{r.itemVersion}</td>
                    <td>{reasonLabel(r.reason)}</td>
                    <td>{names.userName(r.actorId)}</td>
                    <td>{formatTime(r.createdAt)}</td>
                    <td>{r.itemVersion < item.version ? r.id === base?.id ? '当前对比' : <a href={`${reviewHref(item)}?base=${r.id}`}>与此版对比</a> : '当前版本'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
        <aside class="side">
          <TransitionForms item={item} transitions={transitions} csrf={c.var.session?.csrf ?? ''} back={reviewHref(item)} user={user} />
          <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">流转记录</h2>
            <ol class="timeline">
              {[...item.history].reverse().map((h) => (
                <li>
                  <time datetime={h.at}>{formatTime(h.at)}</time> {names.userName(h.actorId)}：{h.from ? `${STATUS_LABELS[h.from]} → ` : '创建为'}
                  {STATUS_LABELS[h.to]}
                  {h.comment && <blockquote>{h.comment}</blockquote>}
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </>
  );
  return renderPage(c, { title: `审核：${item.title}`, nav: 'review', body });
});

export default app;
