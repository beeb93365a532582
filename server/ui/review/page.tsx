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
import { Previews, jsonScript } from '../items/editor-view.tsx';
import { renderBodyHtml } from '../../content/tiptap.ts';
import { itemPath } from '../../content/snapshot.ts';
import { listComments } from '../../comments/service.ts';
import { submitIssues } from '../../editorial/submit-check.ts';
import { reviewersFor } from '../../editorial/assign.ts';
import { diffFields, FieldDiff } from '../editorial/field-diff.tsx';
import { CommentsPanel } from '../editorial/comments.tsx';
import { PublishPanel } from '../editorial/publish-panel.tsx';

const app = new Hono<AppEnv>();

/** How long the item has waited in its current state (since it was submitted or approved). */
function waitLabel(item: Item, now: Date): string {
  const since = [...item.history].reverse().find((h) => h.to === item.status)?.at ?? item.updatedAt;
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 60_000));
  const age = minutes < 60 ? `${minutes} 分钟` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} 小时` : `${Math.round(minutes / 1440)} 天`;
  return `${item.status === 'approved' ? '已通过' : '已等待'} ${age}`;
}

app.get('/review', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const scope = hasRole(user, 'reviewer') ? await descendantIds({ deps, id: user.orgId }) : new Set<string>();
  const [items, names] = await Promise.all([itemsOf(deps).list((i) => (i.status === 'in-review' || i.status === 'approved' || (i.status === 'published' && Boolean(i.pendingCorrection))) && scope.has(i.orgId)), loadLookups(deps)]);
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
            <span class="meta queue-wait" data-waiting>
              {' '}
              · {waitLabel(item, deps.clock())}
              {item.status === 'in-review' && ` · 等待 ${item.assigneeId ? (item.assigneeId === user.id ? '我' : names.userName(item.assigneeId)) : '本组织审核队列'}`}
              {item.scheduledAt && ` · 定时发布 ${formatTime(item.scheduledAt)}`}
            </span>
          </>
        )}
      />
      {items.length === 0 && <p class="empty">没有等待审核的稿件。</p>}
    </>
  );
  return renderPage(c, { title: '审核队列', nav: 'review', body });
});

/**
 * The revision to compare against: the one asked for, else the version last sent back or approved
 * (what the reviewer saw then), else the last whose body differs.
 */
export function pickBase(revisions: Revision[], item: Item, asked: string | undefined): Revision | undefined {
  const older = revisions.filter((r) => r.itemVersion < item.version);
  if (asked) return revisions.find((r) => r.id === asked);
  const decided = older.filter((r) => r.reason === 'transition:changes-requested' || r.reason === 'transition:approved' || r.reason === 'transition:published').pop();
  if (decided) return decided;
  const current = JSON.stringify(item.body);
  return older.filter((r) => JSON.stringify(r.body) !== current).pop() ?? older[0];
}

const REASONS: Record<string, string> = { create: '创建', edit: '编辑', correction: '更正' };
const restoredLabel = (reason: string) => (reason.startsWith('restore:') ? `恢复第 ${reason.slice(8)} 版` : undefined);
const reasonLabel = (reason: string) => REASONS[reason] ?? restoredLabel(reason) ?? (reason.startsWith('transition:') ? `流转为「${STATUS_LABELS[reason.slice(11) as Item['status']] ?? reason.slice(11)}」` : reason);

app.get('/review/:id', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const item = await getItem({ deps, id: c.req.param('id'), actor: user });
  const [history, transitions, names, comments, reviewers] = await Promise.all([itemHistory({ deps, id: item.id }), allowedTransitions({ deps, actor: user, item }), loadLookups(deps), listComments({ deps, id: item.id }), reviewersFor(deps, item)]);
  const revisions = history.revisions as Revision[];
  const base = pickBase(revisions, item, c.req.query('base'));
  const kind = deps.kinds.get(item.kind);
  const [beforeDiff, afterDiff] = await Promise.all([kind.review.beforeDiff?.({ deps, item }), kind.review.afterDiff?.({ deps, item })]);
  const caption = base ? `与第 ${base.itemVersion} 版（${reasonLabel(base.reason)}，${STATUS_LABELS[base.status]}，${formatTime(base.createdAt)}）相比` : '没有可对比的早期版本';
  const csrf = c.var.session?.csrf ?? '';
  const here = reviewHref(item);
  const canEdit = hasRole(user, 'editor') && user.orgId === item.orgId && (item.status === 'draft' || item.status === 'changes-requested');
  const canComment = (hasRole(user, 'editor') && user.orgId === item.orgId) || hasRole(user, 'reviewer') || hasRole(user, 'admin');
  const canPublish = transitions.some((t) => t.to === 'published');
  const problems = item.status === 'in-review' || item.status === 'approved' ? submitIssues(item, { kinds: deps.kinds, warnings: true }) : [];
  const preview = {
    title: item.title,
    summary: item.summary,
    cover: item.cover ?? '',
    tags: item.tags,
    wechatTitle: item.variants.wechat?.title ?? '',
    wechatDigest: item.variants.wechat?.digest ?? '',
    weiboText: item.variants.weibo?.text ?? '',
    bodyHtml: renderBodyHtml(item.body),
    claims: 'claims' in item && Array.isArray(item.claims) ? item.claims : undefined,
    tips: 'tips' in item && Array.isArray(item.tips) ? item.tips : undefined,
    orgName: names.orgName(item.orgId),
    sitePath: itemPath(item, deps),
  };
  const waitingOn = item.status === 'in-review' ? (item.assigneeId ? names.userName(item.assigneeId) : '本组织审核队列') : undefined;
  const body = (
    <>
      <div class="page-head">
        <h1>审核：{item.title}</h1>
        <p class="meta">
          {kind.label} · <span class={`status status-${item.status}`}>{STATUS_LABELS[item.status]}</span>
          {item.scheduledAt && (
            <>
              {' '}
              <span class="status status-scheduled" data-scheduled-badge>
                定时发布 {formatTime(item.scheduledAt)}
              </span>
            </>
          )}{' '}
          · {names.orgName(item.orgId)} · 作者 {names.userName(item.authorId)} · 最后修改 {names.userName(item.lastEditorId)} · 版本 {item.version}
          {waitingOn && <> · 等待审核：{waitingOn}</>} · <a href={editHref(item)}>打开编辑页</a> ·{' '}
          <a href={`/workbench/items/${item.id}/preview`} target="_blank" rel="noopener">
            预览
          </a>
        </p>
      </div>
      {problems.length > 0 && (
        <section class="note issues-summary" role="note" aria-labelledby="problems-title" data-review-problems>
          <h2 id="problems-title">发布前请注意（{problems.length}）</h2>
          <ul>
            {problems.map((p) => (
              <li data-path={p.path}>{p.message}</li>
            ))}
          </ul>
        </section>
      )}
      <div class="editor-layout">
        <div class="stack">
          <Previews />
          <form method="get" action={here} class="row base-switch">
            <label for="base">对比的版本</label>
            <select id="base" name="base">
              {[...revisions].reverse().filter((r) => r.itemVersion < item.version).map((r) => (
                <option value={r.id} selected={r.id === base?.id}>
                  第 {r.itemVersion} 版 · {reasonLabel(r.reason)} · {names.userName(r.actorId)} · {formatTime(r.createdAt)}
                </option>
              ))}
            </select>
            <button type="submit">对比</button>
          </form>
          {base && <TitleDiff segments={diffText(base.title, item.title)} />}
          <FieldDiff rows={diffFields(base, item, deps.kinds)} caption={caption} />
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
                  {canEdit && <th scope="col">恢复</th>}
                </tr>
              </thead>
              <tbody>
                {[...revisions].reverse().map((r) => (
                  <tr>
                    <td>{r.itemVersion}</td>
                    <td>{reasonLabel(r.reason)}</td>
                    <td>{names.userName(r.actorId)}</td>
                    <td>{formatTime(r.createdAt)}</td>
                    <td>{r.itemVersion < item.version ? r.id === base?.id ? '当前对比' : <a href={`${here}?base=${r.id}`}>与此版对比</a> : '当前版本'}</td>
                    {canEdit && (
                      <td>
                        {r.itemVersion < item.version && (
                          <form method="post" action={`/workbench/items/${item.id}/revisions/${r.id}/restore`} class="inline">
                            <input type="hidden" name="_csrf" value={csrf} />
                            <input type="hidden" name="version" value={String(item.version)} />
                            <button type="submit" class="link-button" aria-label={`恢复第 ${r.itemVersion} 版`}>
                              恢复此版
                            </button>
                          </form>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
        <aside class="side">
          <TransitionForms item={item} transitions={transitions} csrf={csrf} back={here} user={user} reviewers={reviewers} />
          <PublishPanel item={item} canPublish={canPublish} csrf={csrf} back={here} now={deps.clock()} deps={deps} />
          <CommentsPanel itemId={item.id} comments={comments} names={names} csrf={csrf} back={here} canComment={canComment} />
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
      {jsonScript('review-data', { itemId: item.id, preview })}
    </>
  );
  return renderPage(c, { title: `审核：${item.title}`, nav: 'review', body, scripts: ['review'] });
});

export default app;
