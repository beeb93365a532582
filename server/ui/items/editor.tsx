/** @jsxImportSource hono/jsx */
import { siteFailures } from '../../publish/status.ts';
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser, hasRole } from '../../auth/permissions.ts';
import { createItem, getItem } from '../../content/service.ts';
import { STATUS_LABELS, type CreateItem, type Item } from '../../content/schema.ts';
import { itemPath } from '../../content/snapshot.ts';
import { allowedTransitions, transitionItem } from '../../review/service.ts';
import { TransitionSchema } from '../../content/schema.ts';
import { parseInput } from '../../validate.ts';
import { WEIBO_LIMIT } from '../../exports/weibo-count.ts';
import { renderPage } from '../shared/layout.tsx';
import { formAction, one } from '../shared/forms.ts';
import { formatTime, loadLookups } from '../shared/lookups.ts';
import { BodyEditor, Counter, CoverCropPanel, jsonScript, Previews } from './editor-view.tsx';
import { TransitionForms } from '../shared/transitions-view.tsx';
import { editHref } from '../home/panels.ts';
import { reviewersFor } from '../../editorial/assign.ts';
import { listComments } from '../../comments/service.ts';
import { PublishPanel } from '../editorial/publish-panel.tsx';
import { CommentsPanel } from '../editorial/comments.tsx';
import { WECHAT_DIGEST_MAX, WECHAT_TITLE_MAX } from '../../channels/rules.ts';
import { loadReachPanel, ReachPanel } from '../reach/panel.tsx';

const app = new Hono<AppEnv>();
const EMPTY_DOC = { type: 'doc' as const, content: [{ type: 'paragraph' }] };

app.get('/items/new', async (c) => {
  const user = assertUser(c.var.user);
  const kinds = c.var.deps.kinds;
  const kind = kinds.find(c.req.query('kind') ?? '') ?? kinds.list[0]!;
  const extra = kind.editor.newFields ? await kind.editor.newFields({ deps: c.var.deps, user }) : null;
  const body = (
    <section class="card narrow">
      <h1>新建{kind.label}</h1>
      {!hasRole(user, 'editor') && <p class="note">新建稿件需要「编辑」角色，你没有该角色。</p>}
      <form method="post" action={`/workbench/items/new?kind=${kind.kind}`} class="stack">
        <input type="hidden" name="_csrf" value={c.var.session?.csrf ?? ''} />
        <input type="hidden" name="kind" value={kind.kind} />
        <label for="title">标题</label>
        <input id="title" name="title" required maxlength={100} autofocus />
        {extra}
        <button type="submit" class="primary">
          创建并开始编辑
        </button>
      </form>
    </section>
  );
  return renderPage(c, { title: `新建${kind.label}`, nav: 'items', body });
});

app.post('/items/new', (c) =>
  formAction(c, `/workbench/items/new?kind=${encodeURIComponent(c.req.query('kind') ?? 'notice')}`, async ({ user, form }) => {
    const kinds = c.var.deps.kinds;
    const kind = kinds.get(one(form, 'kind'));
    const input = parseInput(kinds.schemas.create, kind.editor.fromNewForm(form, { kind: kind.kind, title: one(form, 'title'), body: EMPTY_DOC })) as CreateItem;
    const item = await createItem({ deps: c.var.deps, actor: user, input });
    return { ok: '已创建草稿，正文会自动保存。', to: editHref(item) };
  }),
);

/** Whether this user may change the item now (published items only with a correction note). */
function editMode(user: ReturnType<typeof assertUser>, item: Item): 'edit' | 'correct' | 'read' {
  if (!hasRole(user, 'editor') || user.orgId !== item.orgId) return 'read';
  if (item.status === 'draft' || item.status === 'changes-requested') return 'edit';
  return item.status === 'published' ? 'correct' : 'read';
}

const READ_ONLY_REASONS: Partial<Record<Item['status'], string>> = {
  'in-review': '稿件正在审核中，不能修改；如需修改请先「撤回为草稿」。',
  approved: '稿件已通过审核，等待发布；如需修改请先「撤回为草稿」。',
  retracted: '稿件已撤回，不能再修改。',
};

// an item's address without a view (links in notifications, series and quiz pages): its page, read-only where it cannot be edited
app.get('/items/:id', (c) => c.redirect(`/workbench/items/${encodeURIComponent(c.req.param('id'))}/edit`, 302));

app.get('/items/:id/edit', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const item = await getItem({ deps, id: c.req.param('id'), actor: assertUser(c.var.user) });
  const [transitions, names, reviewers, comments] = await Promise.all([allowedTransitions({ deps, actor: user, item }), loadLookups(deps), reviewersFor(deps, item), listComments({ deps, id: item.id })]);
  const mode = editMode(user, item);
  const editable = mode !== 'read';
  const reason = mode === 'read' ? (hasRole(user, 'editor') && user.orgId === item.orgId ? READ_ONLY_REASONS[item.status] : '你只能查看这篇稿件：编辑需要本组织的「编辑」角色。') : undefined;
  const lastSentBack = [...item.history].reverse().find((h) => h.to === 'changes-requested');
  const kind = deps.kinds.get(item.kind);
  // the kind's fields as a draft may hold them (defaults filled in for records written by older versions)
  const draft = kind.schemas.draft.safeParse(item);
  const ownFields = kind.editor.fields ? await kind.editor.fields({ deps, item: draft.success ? { ...item, ...(draft.data as object) } : item, mode }) : null;
  const reach = item.status === 'published' || item.status === 'retracted' ? await loadReachPanel(deps, item) : undefined;
  const body = (
    <>
      <div class="page-head">
        <h1>
          {kind.label}：<span data-item-title>{item.title}</span>
        </h1>
        <p class="meta">
          <span class={`status status-${item.status}`}>{STATUS_LABELS[item.status]}</span>
          {item.scheduledAt && (
            <>
              {' '}
              <span class="status status-scheduled" data-scheduled-badge>
                定时发布 {formatTime(item.scheduledAt)}
              </span>
            </>
          )}{' '}
          · {names.orgName(item.orgId)} · 作者 {names.userName(item.authorId)} · 版本 <span id="version-label">{item.version}</span> ·{' '}
          <a href={`/workbench/review/${item.id}`}>审核与历史</a> ·{' '}
          <a href={`/workbench/items/${item.id}/preview`} target="_blank" rel="noopener">
            在新窗口预览已保存版本
          </a>
          {item.status === 'published' && (
            <>
              {' · '}
              <a href={itemPath(item, c.var.deps)}>公开页面</a>
            </>
          )}
        </p>
      </div>
      {item.status === 'changes-requested' && lastSentBack?.comment && (
        <p class="note" role="note">
          审核意见（{names.userName(lastSentBack.actorId)}，{formatTime(lastSentBack.at)}）：{lastSentBack.comment}
        </p>
      )}
      {reason && <p class="note">{reason}</p>}
      {siteFailures(c.var.deps.config.dataDir, item.id).map((f) => (
        <p class="note" role="alert" data-site-failure>
          站点构建未能上线本稿件（{formatTime(f.at)}）：{f.reason}
        </p>
      ))}
      <section id="issues-summary" class="issues-summary flash flash-error" role="alert" tabindex={-1} hidden aria-labelledby="issues-summary-title">
        <h2 id="issues-summary-title">还不能提交审核：请处理下列问题</h2>
        <ul data-issues-list></ul>
      </section>
      <section id="local-copy" class="note" role="alert" hidden>
        <p data-local-copy-text>这台电脑上有一份没保存到服务器的本地副本。</p>
        <div class="buttons">
          <button type="button" class="primary" data-local-copy="restore">
            恢复本地副本
          </button>
          <button type="button" data-local-copy="discard">
            丢弃本地副本
          </button>
        </div>
      </section>
      {reach && <ReachPanel data={reach} csrf={c.var.session?.csrf ?? ''} canLink={hasRole(user, 'editor') || hasRole(user, 'admin')} />}
      <div class="editor-layout">
        <form id="item-form" class="item-form stack" data-item-id={item.id} data-kind={item.kind} data-mode={mode} data-version={String(item.version)} novalidate>
          <label for="title">标题</label>
          <input id="title" name="title" value={item.title} maxlength={100} required readonly={!editable} />
          <label for="summary">摘要</label>
          <textarea id="summary" name="summary" rows={2} maxlength={300} readonly={!editable}>
            {item.summary}
          </textarea>
          <label for="slug">网址</label>
          <input id="slug" name="slug" value={item.slug} data-saved={item.slug} pattern="[a-z0-9][a-z0-9\-]{0,79}" maxlength={80} readonly={mode !== 'edit'} aria-describedby="slug-note" />
          <p class="hint" id="slug-note" data-prefix={itemPath(item, deps).replace(/[^/]+\/$/, '')}>
            {item.status === 'published' || item.status === 'retracted' ? `已发布，网址固定为 ${itemPath(item, deps)}` : `发布后为 ${itemPath(item, deps)}（小写字母、数字和 -，发布后不能再改）`}
          </p>
          <label for="tags">标签（用逗号或顿号分隔）</label>
          <input id="tags" name="tags" value={item.tags.join('，')} readonly={!editable} />
          <label for="cover">封面图地址</label>
          <div class="row">
            <img id="cover-thumb" class="cover-thumb" src={item.cover ?? ''} alt="封面缩略图" hidden={!item.cover} />
            <input id="cover" name="cover" value={item.cover ?? ''} readonly={!editable} class="grow" />
            {editable && (
              <>
                <button type="button" data-upload-cover>
                  上传封面
                </button>
                <input type="file" id="cover-file" accept="image/jpeg,image/png,image/webp" hidden aria-label="选择封面图片" />
              </>
            )}
          </div>
          <CoverCropPanel cover={item.cover} crop={cropInput(item.coverCrop)} editable={editable} />
          <BodyEditor editable={editable} />
          {ownFields}
          <section class="variants" aria-labelledby="variants-title">
            <h2 id="variants-title">渠道版本</h2>
            <label for="wechatTitle">微信标题</label>
            <input id="wechatTitle" name="wechatTitle" value={item.variants.wechat?.title ?? ''} aria-describedby="wechatTitle-count" readonly={!editable} />
            <Counter id="wechatTitle" limit={WECHAT_TITLE_MAX} mode="chars" />
            <label for="wechatDigest">微信摘要</label>
            <textarea id="wechatDigest" name="wechatDigest" rows={2} aria-describedby="wechatDigest-count" readonly={!editable}>
              {item.variants.wechat?.digest ?? ''}
            </textarea>
            <Counter id="wechatDigest" limit={WECHAT_DIGEST_MAX} mode="chars" />
            <label for="weiboText">微博正文</label>
            <textarea id="weiboText" name="weiboText" rows={3} aria-describedby="weiboText-count" readonly={!editable}>
              {item.variants.weibo?.text ?? ''}
            </textarea>
            <Counter id="weiboText" limit={WEIBO_LIMIT} mode="weibo" />
          </section>
          {mode === 'correct' && (
            <>
              <label for="correction">更正说明（修改已发布的稿件必填，会公开显示）</label>
              <textarea id="correction" name="correction" rows={2} maxlength={500}></textarea>
            </>
          )}
          {editable && (
            <div class="save-bar">
              <button type="submit" class="primary" data-save>
                保存
              </button>
              <span id="save-status" role="status" aria-live="polite">
                {mode === 'edit' ? '修改会自动保存' : '填写更正说明后保存'}
              </span>
            </div>
          )}
          <section id="conflict" class="conflict" role="alert" hidden aria-labelledby="conflict-title">
            <h2 id="conflict-title">保存冲突</h2>
            <p data-conflict-text>这篇稿件已被他人修改。</p>
            <div class="buttons">
              <button type="button" data-conflict="reload">
                载入对方的版本（放弃我的修改）
              </button>
              <button type="button" class="danger" data-conflict="overwrite">
                保留我的修改（覆盖对方的版本）
              </button>
            </div>
          </section>
        </form>
        <aside class="side">
          <TransitionForms item={item} transitions={transitions} csrf={c.var.session?.csrf ?? ''} back={editHref(item)} user={user} reviewers={reviewers} />
          <PublishPanel item={item} canPublish={transitions.some((t) => t.to === 'published')} csrf={c.var.session?.csrf ?? ''} back={editHref(item)} now={deps.clock()} deps={deps} />
          <Previews />
          <CommentsPanel itemId={item.id} comments={comments} names={names} csrf={c.var.session?.csrf ?? ''} back={editHref(item)} canComment={hasRole(user, 'editor') && user.orgId === item.orgId} />
        </aside>
      </div>
      {jsonScript('item-data', { item, orgName: names.orgName(item.orgId), sitePath: itemPath(item, c.var.deps) })}
    </>
  );
  return renderPage(c, { title: `编辑：${item.title}`, nav: 'items', body, scripts: ['editor'] });
});

app.post('/items/:id/transition', async (c) => {
  const id = c.req.param('id');
  return formAction(c, editHref({ id }), async ({ user, form }) => {
    const input = parseInput(TransitionSchema, { to: one(form, 'to'), comment: one(form, 'comment').trim() || undefined, version: Number(one(form, 'version')) || undefined, assigneeId: (one(form, 'to') === 'in-review' && one(form, 'assigneeId')) || undefined });
    const item = await transitionItem({ deps: c.var.deps, actor: user, id, input });
    return { ok: `已${STATUS_LABELS[item.status] === '待审核' ? '提交审核' : `转为「${STATUS_LABELS[item.status]}」`}`, to: one(form, 'back') || editHref(item) };
  });
});


/** The crop as the editor sends it back: without `source` (a snapshot's), which the strict input schema refuses. */
const cropInput = (crop: { source?: string } | undefined) => {
  if (!crop) return undefined;
  const { source: _source, ...rest } = crop;
  return rest;
};
export default app;
