/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser, hasRole } from '../../auth/permissions.ts';
import { createItem, getItem } from '../../content/service.ts';
import { CreateItemSchema, KIND_LABELS, STATUS_LABELS, VERDICTS, VERDICT_LABELS, type Item } from '../../content/schema.ts';
import { itemPath } from '../../content/snapshot.ts';
import { allowedTransitions, transitionItem } from '../../review/service.ts';
import { TransitionSchema } from '../../content/schema.ts';
import { parseInput } from '../../validate.ts';
import { WEIBO_LIMIT } from '../../exports/weibo-count.ts';
import { renderPage } from '../shared/layout.tsx';
import { formAction, one } from '../shared/forms.ts';
import { formatTime, loadLookups } from '../shared/lookups.ts';
import { BodyEditor, ClaimFields, Counter, jsonScript, Previews } from './editor-view.tsx';
import { TransitionForms } from '../shared/transitions-view.tsx';
import { editHref } from '../home/panels.ts';
import { NewVideoFields, newStoryboard, RenderPanel, renderInfo, StoryboardFields } from '../video/view.tsx';
import { loadReachPanel, ReachPanel } from '../reach/panel.tsx';

const app = new Hono<AppEnv>();
const EMPTY_DOC = { type: 'doc' as const, content: [{ type: 'paragraph' }] };

app.get('/items/new', async (c) => {
  const user = assertUser(c.var.user);
  const asked = c.req.query('kind');
  const kind = asked === 'rumor-guide' || asked === 'video' ? asked : 'notice';
  const names = kind === 'video' ? await loadLookups(c.var.deps) : undefined;
  const body = (
    <section class="card narrow">
      <h1>新建{KIND_LABELS[kind]}</h1>
      {!hasRole(user, 'editor') && <p class="note">新建稿件需要「编辑」角色，你没有该角色。</p>}
      <form method="post" action={`/workbench/items/new?kind=${kind}`} class="stack">
        <input type="hidden" name="_csrf" value={c.var.session?.csrf ?? ''} />
        <input type="hidden" name="kind" value={kind} />
        <label for="title">标题</label>
        <input id="title" name="title" required maxlength={100} autofocus />
        {kind === 'rumor-guide' && (
          <>
            <p class="hint">谣言识破攻略至少要有一条说法，其余可在编辑页补充。</p>
            <label for="claim">网传说法</label>
            <textarea id="claim" name="claim" rows={2} required></textarea>
            <label for="verdict">结论</label>
            <select id="verdict" name="verdict">
              {VERDICTS.map((v) => (
                <option value={v}>{VERDICT_LABELS[v]}</option>
              ))}
            </select>
            <label for="evidence">依据</label>
            <textarea id="evidence" name="evidence" rows={3} required></textarea>
          </>
        )}
        {kind === 'video' && names && <NewVideoFields orgName={names.orgName(user.orgId)} date={`${c.var.deps.clock().getFullYear()}年${c.var.deps.clock().getMonth() + 1}月`} />}
        <button type="submit" class="primary">
          创建并开始编辑
        </button>
      </form>
    </section>
  );
  return renderPage(c, { title: `新建${KIND_LABELS[kind]}`, nav: 'items', body });
});

app.post('/items/new', (c) =>
  formAction(c, `/workbench/items/new?kind=${encodeURIComponent(c.req.query('kind') ?? 'notice')}`, async ({ user, form }) => {
    const kind = one(form, 'kind');
    const common = { kind, title: one(form, 'title'), body: EMPTY_DOC };
    const video = () => ({ ...common, storyboard: newStoryboard({ title: one(form, 'title'), format: one(form, 'format'), transition: one(form, 'transition'), orgName: one(form, 'endCardOrgName'), date: one(form, 'endCardDate'), text: one(form, 'sceneText'), seconds: Number(one(form, 'sceneSeconds')) || 3 }) });
    const input = parseInput(CreateItemSchema, kind === 'rumor-guide' ? { ...common, claims: [{ claim: one(form, 'claim'), verdict: one(form, 'verdict'), evidence: one(form, 'evidence') }] } : kind === 'video' ? video() : common);
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

app.get('/items/:id/edit', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const item = await getItem({ deps, id: c.req.param('id') });
  const [transitions, names] = await Promise.all([allowedTransitions({ deps, actor: user, item }), loadLookups(deps)]);
  const mode = editMode(user, item);
  const editable = mode !== 'read';
  const reason = mode === 'read' ? (hasRole(user, 'editor') && user.orgId === item.orgId ? READ_ONLY_REASONS[item.status] : '你只能查看这篇稿件：编辑需要本组织的「编辑」角色。') : undefined;
  const lastSentBack = [...item.history].reverse().find((h) => h.to === 'changes-requested');
  const video = item.kind === 'video' ? await renderInfo(deps, item) : undefined;
  const reach = item.status === 'published' || item.status === 'retracted' ? await loadReachPanel(deps, item) : undefined;
  const renderJob = item.kind === 'video' ? deps.jobs.list({ target: item.id, kind: 'render' }).find((j) => j.status === 'queued' || j.status === 'running') : undefined;
  const body = (
    <>
      <div class="page-head">
        <h1>
          {KIND_LABELS[item.kind]}：<span data-item-title>{item.title}</span>
        </h1>
        <p class="meta">
          <span class={`status status-${item.status}`}>{STATUS_LABELS[item.status]}</span> · {names.orgName(item.orgId)} · 作者 {names.userName(item.authorId)} · 版本 <span id="version-label">{item.version}</span> ·{' '}
          <a href={`/workbench/review/${item.id}`}>审核与历史</a> ·{' '}
          <a href={`/workbench/items/${item.id}/preview`} target="_blank" rel="noopener">
            在新窗口预览已保存版本
          </a>
          {item.status === 'published' && (
            <>
              {' · '}
              <a href={itemPath(item)}>公开页面</a>
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
      {reach && <ReachPanel data={reach} csrf={c.var.session?.csrf ?? ''} canLink={hasRole(user, 'editor') || hasRole(user, 'admin')} />}
      <div class="editor-layout">
        <form id="item-form" class="item-form stack" data-item-id={item.id} data-kind={item.kind} data-mode={mode} data-version={String(item.version)} novalidate>
          <label for="title">标题</label>
          <input id="title" name="title" value={item.title} maxlength={100} required readonly={!editable} />
          <label for="summary">摘要</label>
          <textarea id="summary" name="summary" rows={2} maxlength={300} readonly={!editable}>
            {item.summary}
          </textarea>
          <label for="tags">标签（用逗号或顿号分隔）</label>
          <input id="tags" name="tags" value={item.tags.join('，')} readonly={!editable} />
          <label for="cover">封面图地址</label>
          <div class="row">
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
          <BodyEditor editable={editable} />
          {item.kind === 'rumor-guide' && (
            <section class="claims" aria-labelledby="claims-title">
              <h2 id="claims-title">说法与结论</h2>
              <div data-claims>
                {item.claims.map((claim, i) => (
                  <ClaimFields index={i} claim={claim} />
                ))}
              </div>
              <template id="claim-template">
                <ClaimFields index="__N__" />
              </template>
              {editable && (
                <button type="button" data-add-claim>
                  添加说法
                </button>
              )}
              <label for="tips">识别技巧（每行一条）</label>
              <textarea id="tips" name="tips" rows={4} readonly={!editable}>
                {item.tips.join('\n')}
              </textarea>
            </section>
          )}
          {item.kind === 'video' && (
            <>
              <StoryboardFields board={item.storyboard} editable={mode === 'edit'} />
              <RenderPanel item={item} info={video} runningJobId={renderJob?.id} editable={mode === 'edit'} />
            </>
          )}
          <section class="variants" aria-labelledby="variants-title">
            <h2 id="variants-title">渠道版本</h2>
            <label for="wechatTitle">微信标题</label>
            <input id="wechatTitle" name="wechatTitle" value={item.variants.wechat?.title ?? ''} aria-describedby="wechatTitle-count" readonly={!editable} />
            <Counter id="wechatTitle" limit={32} mode="chars" />
            <label for="wechatDigest">微信摘要</label>
            <textarea id="wechatDigest" name="wechatDigest" rows={2} aria-describedby="wechatDigest-count" readonly={!editable}>
              {item.variants.wechat?.digest ?? ''}
            </textarea>
            <Counter id="wechatDigest" limit={128} mode="chars" />
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
          <TransitionForms item={item} transitions={transitions} csrf={c.var.session?.csrf ?? ''} back={editHref(item)} user={user} />
          <Previews />
        </aside>
      </div>
      {jsonScript('item-data', { item, orgName: names.orgName(item.orgId), sitePath: itemPath(item) })}
    </>
  );
  return renderPage(c, { title: `编辑：${item.title}`, nav: 'items', body, scripts: ['editor'] });
});

app.post('/items/:id/transition', async (c) => {
  const id = c.req.param('id');
  return formAction(c, editHref({ id }), async ({ user, form }) => {
    const input = parseInput(TransitionSchema, { to: one(form, 'to'), comment: one(form, 'comment').trim() || undefined, version: Number(one(form, 'version')) || undefined });
    const item = await transitionItem({ deps: c.var.deps, actor: user, id, input });
    return { ok: `已${STATUS_LABELS[item.status] === '待审核' ? '提交审核' : `转为「${STATUS_LABELS[item.status]}」`}`, to: one(form, 'back') || editHref(item) };
  });
});

export default app;
