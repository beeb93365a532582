/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertUser, hasRole } from '../../auth/permissions.ts';
import { createItem, itemsOf } from '../../content/service.ts';
import { STATUS_LABELS, type CreateItem } from '../../content/schema.ts';
import { docFromParagraphs } from '../../content/tiptap.ts';
import { descendantIds } from '../../orgs/service.ts';
import { parseInput } from '../../validate.ts';
import { LIVE_MODE_LABELS, LIVE_STATE_LABELS, CreateUpdateSchema, PatchUpdateSchema, PatchLiveSchema } from '../../kinds/live/updates-schema.ts';
import { createUpdate, isGuestOf, isLiveItem, listUpdates, patchLive, patchUpdate, transitionUpdate, updatesOf, questionsOf, getLiveItem, type LiveItem } from '../../kinds/live/service.ts';
import { listQuestions, moderateQuestion } from '../../kinds/live/questions.ts';
import { itemPath } from '../../content/snapshot.ts';
import { renderPage } from '../shared/layout.tsx';
import { formAction, one } from '../shared/forms.ts';
import { editHref, reviewHref } from '../home/panels.ts';
import { ActionButton, age, linesOf, NewUpdateForm, paragraphsOf, PendingUpdate, PublishedUpdate, QuestionRow } from './view.tsx';

/** The live workbench: the list of live items and each one's console (phone-first: reviewers publish from their phones). */
const app = new Hono<AppEnv>();
const base = (id: string) => `/workbench/live/${id}`;

app.get('/live', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const scope = hasRole(user, 'reviewer') ? await descendantIds({ deps, id: user.orgId }) : new Set<string>();
  const items = (await itemsOf(deps).list((i) => isLiveItem(i) && (scope.has(i.orgId) || (hasRole(user, 'editor') && i.orgId === user.orgId) || isGuestOf(user, i)))) as LiveItem[];
  items.sort((a, b) => (a.live.state === b.live.state ? b.createdAt.localeCompare(a.createdAt) : a.live.state === 'live' ? -1 : 1));
  const ids = new Set(items.map((i) => i.id));
  const pending = await updatesOf(deps).list((u) => u.state === 'pending' && ids.has(u.itemId));
  const asked = await questionsOf(deps).list((q) => q.state === 'pending' && ids.has(q.itemId));
  const now = deps.clock().getTime();
  const csrf = c.var.session?.csrf ?? '';
  const body = (
    <>
      <h1>直播</h1>
      <ul class="rows">
        {items.map((item) => {
          const mine = pending.filter((u) => u.itemId === item.id).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
          const oldest = mine[0];
          const questions = asked.filter((q) => q.itemId === item.id).length;
          return (
            <li class="card">
              <p>
                <a href={base(item.id)}>
                  <strong>{item.title}</strong>
                </a>
              </p>
              <p class="meta">
                {LIVE_MODE_LABELS[item.live.mode]} · {LIVE_STATE_LABELS[item.live.state]} · 稿件{STATUS_LABELS[item.status]} · 待发布 {mine.length} 条
                {oldest && `（最早 ${age(Math.round((now - Date.parse(oldest.createdAt)) / 1000))}）`}
                {item.live.mode === 'qa' && ` · 待审提问 ${questions} 条`}
              </p>
            </li>
          );
        })}
      </ul>
      {items.length === 0 && <p class="empty">还没有直播。</p>}
      {hasRole(user, 'editor') && (
        <form method="post" action="/workbench/live/new" class="stack card">
          <h2>新建直播</h2>
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="live-title">标题</label>
          <input id="live-title" name="title" required maxlength={100} />
          <label for="live-mode">形式</label>
          <select id="live-mode" name="mode">
            <option value="event">灾情直播（心系灾区在行动）</option>
            <option value="qa">在线交流（网友提问、嘉宾答问）</option>
          </select>
          <label for="live-place">地点</label>
          <input id="live-place" name="place" maxlength={100} />
          <label for="live-summary">摘要</label>
          <input id="live-summary" name="summary" maxlength={300} />
          <label for="live-intro">导语（每行一段）</label>
          <textarea id="live-intro" name="intro" rows={3} required></textarea>
          <label for="live-pinned">置顶信息：热线、安置点、捐助渠道、求助方式（每行一段）</label>
          <textarea id="live-pinned" name="pinned" rows={4}></textarea>
          <button type="submit">创建（之后提交审核，审核发布后即可发更新）</button>
        </form>
      )}
    </>
  );
  return renderPage(c, { title: '直播', nav: 'live', body });
});

app.post('/live/new', (c) =>
  formAction(c, '/workbench/live', async ({ user, form }) => {
    const pinned = paragraphsOf(one(form, 'pinned'));
    const input = parseInput(c.var.deps.kinds.schemas.create, {
      kind: 'live',
      title: one(form, 'title'),
      summary: one(form, 'summary'),
      body: docFromParagraphs(...paragraphsOf(one(form, 'intro'))),
      live: { mode: one(form, 'mode'), place: one(form, 'place'), ...(pinned.length ? { pinned: docFromParagraphs(...pinned) } : {}) },
    });
    const item = await createItem({ deps: c.var.deps, actor: user, input: input as CreateItem });
    return { ok: '已创建直播，请提交审核', to: base(item.id) };
  }),
);

app.get('/live/:id', async (c) => {
  const user = assertUser(c.var.user);
  const deps = c.var.deps;
  const id = c.req.param('id');
  const { item: head, updates } = await listUpdates({ deps, actor: user, id, query: { limit: 200 } });
  const item = await getLiveItem({ deps, id: head.id });
  const qa = item.live.mode === 'qa';
  const questions = qa ? await listQuestions({ deps, actor: user, id, limit: 200 }) : undefined;
  const csrf = c.var.session?.csrf ?? '';
  const guest = isGuestOf(user, item);
  const editor = hasRole(user, 'editor') && user.orgId === item.orgId;
  const reviewer = hasRole(user, 'reviewer') && (await descendantIds({ deps, id: user.orgId })).has(item.orgId);
  const pending = updates.filter((u) => u.state === 'pending');
  const shown = updates.filter((u) => u.state !== 'pending').slice(0, 50);
  const running = item.live.state === 'live';
  const why = (u: (typeof pending)[number]) =>
    !reviewer ? '待审核人员发布' : u.authorId === user.id || u.lastEditorId === user.id ? '本人撰写，需其他审核人员发布（四眼原则）' : item.status !== 'published' ? '直播稿件尚未发布' : undefined;
  const body = (
    <>
      <div class="page-head">
        <h1>{item.title}</h1>
        <p class="meta">
          {LIVE_MODE_LABELS[item.live.mode]} · <strong>{LIVE_STATE_LABELS[item.live.state]}</strong> · 稿件{STATUS_LABELS[item.status]}
          {item.status === 'published' && (
            <>
              {' '}
              · <a href={itemPath(item, deps)}>查看页面</a>
            </>
          )}
          {editor && (
            <>
              {' '}
              · <a href={editHref(item)}>编辑导语</a>
            </>
          )}
          {reviewer && item.status === 'in-review' && (
            <>
              {' '}
              · <a href={reviewHref(item)}>审核</a>
            </>
          )}
        </p>
      </div>
      {item.status !== 'published' && <p class="note">直播稿件本身须先提交审核、由审核人员发布一次；之后每条更新由编辑提交、审核人员一键发布。</p>}
      <section aria-labelledby="pending-title">
        <h2 id="pending-title">待发布更新（{pending.length}）</h2>
        <ul class="rows">
          {pending.map((u) => {
            const reason = why(u);
            return <PendingUpdate u={u} base={base(id)} csrf={csrf} canPublish={!reason} reason={reason} />;
          })}
        </ul>
        {pending.length === 0 && <p class="empty">没有待发布的更新。</p>}
      </section>
      {running && (editor || guest) && (
        <section aria-labelledby="new-title">
          <h2 id="new-title">{guest ? '回答问题' : '发新更新'}</h2>
          <NewUpdateForm base={base(id)} csrf={csrf} guest={guest} qa={qa} answerable={questions?.questions.filter((q) => q.state === 'accepted') ?? []} />
        </section>
      )}
      {questions && (
        <section aria-labelledby="questions-title">
          <h2 id="questions-title">
            网友提问：待审 {questions.counts.pending} · 已采纳待答 {questions.counts.accepted} · 已回答 {questions.counts.answered} · 未采纳 {questions.counts.rejected}
          </h2>
          <ul class="rows">
            {questions.questions
              .filter((q) => q.state === 'pending' || q.state === 'accepted')
              .map((q) => (
                <QuestionRow q={q} base={base(id)} csrf={csrf} canModerate={editor} />
              ))}
          </ul>
        </section>
      )}
      {editor && (
        <section aria-labelledby="pinned-title">
          <h2 id="pinned-title">置顶信息</h2>
          <form method="post" action={`${base(id)}/pinned`} class="stack card">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="version" value={String(item.version)} />
            <label for="pinned-text">热线、安置点、捐助渠道、求助方式（每行一段，随时可改，立即生效）</label>
            <textarea id="pinned-text" name="text" rows={5}>
              {linesOf(item.live.pinned)}
            </textarea>
            <button type="submit">保存置顶信息</button>
          </form>
          {running && <ActionButton action={`${base(id)}/end`} csrf={csrf} label="结束直播（页面转为存档）" fields={{ version: String(item.version) }} danger />}
        </section>
      )}
      <section aria-labelledby="published-title">
        <h2 id="published-title">已发布（最近 {shown.length} 条）</h2>
        <ul class="rows">
          {shown.map((u) => (
            <PublishedUpdate u={u} base={base(id)} csrf={csrf} canCorrect={editor} canWithdraw={reviewer} />
          ))}
        </ul>
      </section>
    </>
  );
  return renderPage(c, { title: `直播后台：${item.title}`, nav: 'live', body });
});

const version = (v: string) => (/^\d+$/.test(v) ? Number(v) : undefined);

app.post('/live/:id/updates', (c) =>
  formAction(c, base(c.req.param('id')), async ({ user, form }) => {
    const type = one(form, 'type');
    const claim = one(form, 'claim').trim();
    const at = one(form, 'at');
    const input = parseInput(CreateUpdateSchema, {
      type,
      body: docFromParagraphs(...paragraphsOf(one(form, 'text'))),
      ...(claim || type === 'clarification' ? { clarification: { claim, ...(one(form, 'verdict') ? { verdict: one(form, 'verdict') } : {}), ...(one(form, 'guideUrl').trim() ? { guideUrl: one(form, 'guideUrl').trim() } : {}) } } : {}),
      ...(one(form, 'questionId') ? { questionId: one(form, 'questionId') } : {}),
      ...(one(form, 'answeredBy').trim() ? { answeredBy: one(form, 'answeredBy') } : {}),
      // datetime-local has no offset: it is China time
      ...(at ? { at: at.length === 16 ? `${at}:00+08:00` : `${at}+08:00` } : {}),
    });
    await createUpdate({ deps: c.var.deps, actor: user, id: c.req.param('id'), input });
    return { ok: '已提交，等待审核人员发布' };
  }),
);

app.post('/live/:id/updates/:uid/publish', (c) =>
  formAction(c, base(c.req.param('id')), async ({ user, form }) => {
    const v = version(one(form, 'version'));
    await transitionUpdate({ deps: c.var.deps, actor: user, id: c.req.param('id'), uid: c.req.param('uid'), input: { to: 'published', ...(v ? { version: v } : {}) } });
    return { ok: '已发布，读者页面几秒内可见' };
  }),
);

app.post('/live/:id/updates/:uid/withdraw', (c) =>
  formAction(c, base(c.req.param('id')), async ({ user, form }) => {
    const v = version(one(form, 'version'));
    const comment = one(form, 'comment').trim();
    await transitionUpdate({ deps: c.var.deps, actor: user, id: c.req.param('id'), uid: c.req.param('uid'), input: { to: 'withdrawn', ...(comment ? { comment } : {}), ...(v ? { version: v } : {}) } });
    return { ok: '已撤回' };
  }),
);

app.post('/live/:id/updates/:uid/correct', (c) =>
  formAction(c, base(c.req.param('id')), async ({ user, form }) => {
    const input = parseInput(PatchUpdateSchema, { version: version(one(form, 'version')), body: docFromParagraphs(...paragraphsOf(one(form, 'text'))), correction: one(form, 'correction') });
    await patchUpdate({ deps: c.var.deps, actor: user, id: c.req.param('id'), uid: c.req.param('uid'), input });
    return { ok: '已更正，页面显示“已更正”和时间' };
  }),
);

app.post('/live/:id/questions/:qid/:to{accepted|rejected}', (c) =>
  formAction(c, base(c.req.param('id')), async ({ user }) => {
    const to = c.req.param('to') as 'accepted' | 'rejected';
    await moderateQuestion({ deps: c.var.deps, actor: user, id: c.req.param('id'), qid: c.req.param('qid'), to });
    return { ok: to === 'accepted' ? '已采纳，等待嘉宾回答' : '已不采纳（不会出现在页面上）' };
  }),
);

app.post('/live/:id/pinned', (c) =>
  formAction(c, base(c.req.param('id')), async ({ user, form }) => {
    const lines = paragraphsOf(one(form, 'text'));
    const input = parseInput(PatchLiveSchema, { version: version(one(form, 'version')), pinned: docFromParagraphs(...(lines.length ? lines : [''])) });
    await patchLive({ deps: c.var.deps, actor: user, id: c.req.param('id'), input });
    return { ok: '置顶信息已更新' };
  }),
);

app.post('/live/:id/end', (c) =>
  formAction(c, base(c.req.param('id')), async ({ user, form }) => {
    const input = parseInput(PatchLiveSchema, { version: version(one(form, 'version')), state: 'ended' });
    await patchLive({ deps: c.var.deps, actor: user, id: c.req.param('id'), input });
    return { ok: '直播已结束，页面转为存档' };
  }),
);

export default app;
