import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createDeps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { loadConfig } from '../../server/config.ts';
import { publishDue } from '../../server/editorial/service.ts';
import { channelIssues, weiboPostLength } from '../../server/channels/rules.ts';
import { buildWeiboPackage } from '../../server/exports/weibo.ts';
import { createTestEnv, doc, loginAs, ADMIN_PASSWORD, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let now = new Date('2026-12-01T01:00:00Z');
beforeAll(async () => {
  env = await createTestEnv({ demo: true, clock: () => now });
});
afterAll(() => env.close());

const rumor = (title: string) => ({
  kind: 'rumor-guide',
  title,
  body: doc('网传截图称高考指标被转移。'),
  claims: [{ claim: '高考指标被转移到外地', verdict: 'false', evidence: '省教育考试院已辟谣。', sources: [{ name: '省教育考试院', url: 'https://www.jseea.cn/' }] }],
});

describe('drafts save leniently, submit checks strictly', () => {
  test('a source line without a link, an empty title and an empty second claim still save; submit names each field in Chinese', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const item = await (await chen.request('POST', '/api/items', rumor('谣言识破：高考指标'))).json();
    const claims = [
      { claim: '高考指标被转移到外地', verdict: 'false', evidence: '省教育考试院已辟谣。', sources: [{ name: '省教育考试院', url: 'https://www.jseea.cn/' }, { name: '网传截图', url: '' }] },
      { claim: '', verdict: 'unproven', evidence: '', sources: [] },
    ];
    const saved = await chen.request('PATCH', `/api/items/${item.id}`, { version: item.version, title: '', claims, tips: ['看发布来源', ''] });
    expect(saved.status).toBe(200);
    const stored = (await (await chen.request('GET', `/api/items/${item.id}`)).json()).item;
    expect(stored.claims).toHaveLength(2);
    expect(stored.claims[0].sources[1]).toEqual({ name: '网传截图', url: '' });
    expect(stored.title).toBe('');

    const check = await (await chen.request('GET', `/api/items/${item.id}/check`)).json();
    const byPath = Object.fromEntries(check.issues.map((i: { path: string; message: string }) => [i.path, i.message]));
    expect(byPath['claims.0.sources.1.url']).toBe('说法 1 · 来源第 2 行缺少网址');
    expect(byPath.title).toBe('标题不能为空');
    expect(byPath['claims.1.claim']).toMatch(/^说法 2 · 网传说法/);
    expect(byPath['claims.1.evidence']).toMatch(/^说法 2 · 依据/);
    expect(byPath['tips.1']).toMatch(/^识别技巧第 2 行/);
    for (const message of Object.values(byPath)) expect(message).toMatch(/[\u4e00-\u9fff]/);

    const submit = await chen.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' });
    expect(submit.status).toBe(400);
    const error = (await submit.json()).error;
    expect(error.issues.map((i: { path: string }) => i.path)).toContain('claims.0.sources.1.url');
    expect((await (await chen.request('GET', `/api/items/${item.id}`)).json()).item.status).toBe('draft');
  });

  test('a source with something that is not a link is called out as such', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const item = await (await chen.request('POST', '/api/items', rumor('谣言识破：来源网址'))).json();
    const claims = [{ claim: '某说法', verdict: 'false', evidence: '依据', sources: [{ name: '朋友圈', url: 'javascript:alert(1)' }] }];
    expect((await chen.request('PATCH', `/api/items/${item.id}`, { version: item.version, claims })).status).toBe(200);
    const check = await (await chen.request('GET', `/api/items/${item.id}/check`)).json();
    expect(check.issues).toEqual([{ path: 'claims.0.sources.0.url', message: '说法 1 · 来源第 1 行：网址只允许 http(s) 开头或站内地址' }]);
  });

  test('an unsafe body is still refused at save (lenient is not unsafe)', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const item = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '正文安全', body: doc('正文') })).json();
    const bad = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] };
    expect((await chen.request('PATCH', `/api/items/${item.id}`, { version: item.version, body: bad })).status).toBe(400);
  });
});

describe('channel rules gate submission', () => {
  test('a 51-character WeChat title saves but 提交审核 refuses with 400 naming variants.wechat.title; a fixed one goes through', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const item = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '暴雨停课', body: doc('明日停课。') })).json();
    const long = '关于本周末全区中小学因持续强降雨天气停课一天以及后续补课安排和校车接送调整的详细通知说明全文';
    expect([...long].length).toBeGreaterThan(32);
    const saved = await (await chen.request('PATCH', `/api/items/${item.id}`, { version: item.version, variants: { wechat: { title: long } } })).json();
    const refused = await chen.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' });
    expect(refused.status).toBe(400);
    const error = (await refused.json()).error;
    expect(error.message).toMatch(/^variants\.wechat\.title: 微信标题最多 32 个字/);
    const fixed = await (await chen.request('PATCH', `/api/items/${item.id}`, { version: saved.version, variants: { wechat: { title: '暴雨停课通知' } } })).json();
    expect((await chen.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review', version: fixed.version })).status).toBe(200);
  });

  test('a long title without a WeChat title is a warning on the title (not refused), a long digest is refused on the digest', async () => {
    const title = '关'.repeat(40);
    expect(channelIssues({ title, variants: {} })).toEqual([expect.objectContaining({ path: 'title', warning: true })]);
    const chen = await loginAs(env.app, 'chen.editor');
    const item = await (await chen.request('POST', '/api/items', { kind: 'notice', title, body: doc('正文') })).json();
    expect((await (await chen.request('GET', `/api/items/${item.id}/check`)).json()).issues).toEqual([]);
    expect((await chen.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' })).status).toBe(200);
    expect(channelIssues({ title: '短', variants: { wechat: { digest: '摘'.repeat(129) } } }).map((i) => i.path)).toEqual(['variants.wechat.digest']);
    expect(channelIssues({ title: '短', variants: { wechat: { digest: '摘'.repeat(128) } } })).toEqual([]);
  });

  test('the Weibo limit counts the hashtags and the link the export appends, and the export keeps them', () => {
    const tags = ['暴雨', '停课通知'];
    // in half-widths: the text 2 each, a space 1, #暴雨# 6, #停课通知# 10, a space 1, the link 20
    const text = '雨'.repeat(122);
    expect(weiboPostLength(text, tags)).toBe(Math.ceil((244 + 1 + 6 + 10 + 1 + 20) / 2));
    expect(channelIssues({ title: '短', tags, variants: { weibo: { text } } }).map((i) => i.path)).toEqual(['variants.weibo.text']);
    const fits = '雨'.repeat(121);
    expect(weiboPostLength(fits, tags)).toBe(140);
    expect(channelIssues({ title: '短', tags, variants: { weibo: { text: fits } } })).toEqual([]);
    const pkg = buildWeiboPackage({ siteUrl: 'https://lianxin.example.cn', item: { id: 'it_1', kind: 'notice', title: '短', summary: '', tags, variants: { weibo: { text: fits } }, url: '/notices/a/', bodyHtml: '' } as never });
    expect(pkg.text).toBe(`${fits} #暴雨##停课通知# https://lianxin.example.cn/notices/a/`);
  });
});

describe('revisions and restore', () => {
  test('a revision keeps every field and restoring it makes a new, audited revision', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const admin = await loginAs(env.app, 'admin');
    const item = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '第一版标题', summary: '第一版摘要', tags: ['交通'], body: doc('第一版正文'), variants: { weibo: { text: '第一版微博' } } })).json();
    const v2 = await (await chen.request('PATCH', `/api/items/${item.id}`, { version: item.version, title: '第二版标题', summary: '第二版摘要', tags: ['城建'], body: doc('第二版正文'), variants: {} })).json();
    const history = await (await chen.request('GET', `/api/items/${item.id}/history`)).json();
    const first = history.revisions[0];
    expect(first.content).toMatchObject({ summary: '第一版摘要', tags: ['交通'], variants: { weibo: { text: '第一版微博' } } });
    const stale = await chen.request('POST', `/api/items/${item.id}/revisions/${first.id}/restore`, { version: item.version });
    expect(stale.status).toBe(409);
    const restored = await chen.request('POST', `/api/items/${item.id}/revisions/${first.id}/restore`, { version: v2.version });
    expect(restored.status).toBe(200);
    const after = await restored.json();
    expect(after).toMatchObject({ title: '第一版标题', summary: '第一版摘要', tags: ['交通'], variants: { weibo: { text: '第一版微博' } }, version: v2.version + 1 });
    expect(JSON.stringify(after.body)).toContain('第一版正文');
    const again = await (await chen.request('GET', `/api/items/${item.id}/history`)).json();
    expect(again.revisions.at(-1)).toMatchObject({ reason: 'restore:1', title: '第一版标题' });
    const audit = await (await admin.request('GET', `/api/audit?target=${item.id}`)).json();
    expect(audit.entries[0]).toMatchObject({ action: 'item.restore', actor: chen.userId, data: { revisionId: first.id, revisionVersion: 1 } });
    expect((await chen.request('POST', `/api/items/${item.id}/revisions/rev_nope/restore`, { version: after.version })).status).toBe(404);
  });
});

async function approvedNotice(title: string) {
  const chen = await loginAs(env.app, 'chen.editor');
  const zhao = await loginAs(env.app, 'zhao.reviewer');
  const item = await (await chen.request('POST', '/api/items', { kind: 'notice', title, body: doc(`${title}正文`) })).json();
  expect((await chen.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' })).status).toBe(200);
  const approved = await zhao.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' });
  expect(approved.status).toBe(200);
  return { chen, zhao, item: await approved.json() };
}

describe('scheduled publishing (fake clock)', () => {
  test('an approved item given a time is published when the clock reaches it, not before, as the user who scheduled it', async () => {
    const { zhao, item } = await approvedNotice('定时发布的通知');
    const past = await zhao.request('PUT', `/api/items/${item.id}/schedule`, { at: '2026-12-01T08:00', version: item.version }); // 08:00 China = 00:00Z, before now
    expect(past.status).toBe(400);
    expect((await past.json()).error.message).toMatch(/^at: /);
    const res = await zhao.request('PUT', `/api/items/${item.id}/schedule`, { at: '2026-12-01T10:30', version: item.version });
    expect(res.status).toBe(200);
    const scheduled = await res.json();
    expect(scheduled.scheduledAt).toBe('2026-12-01T02:30:00.000Z');
    now = new Date('2026-12-01T02:29:00Z');
    expect((await publishDue({ deps: env.deps })).published).not.toContain(item.id);
    expect((await (await zhao.request('GET', `/api/items/${item.id}`)).json()).item.status).toBe('approved');
    now = new Date('2026-12-01T02:30:30Z');
    expect((await publishDue({ deps: env.deps })).published).toContain(item.id);
    const live = (await (await zhao.request('GET', `/api/items/${item.id}`)).json()).item;
    expect(live).toMatchObject({ status: 'published', publishedAt: '2026-12-01T02:30:30.000Z' });
    expect(live.scheduledAt).toBeUndefined();
    expect(live.history.at(-1)).toMatchObject({ actorId: zhao.userId, to: 'published', comment: '定时发布' });
  });

  test('a schedule can be cancelled, and only an approved item can get one', async () => {
    const { chen, zhao, item } = await approvedNotice('取消定时的通知');
    const s = await (await zhao.request('PUT', `/api/items/${item.id}/schedule`, { at: '2027-01-01T09:00:00+08:00', version: item.version })).json();
    const cancelled = await zhao.request('DELETE', `/api/items/${item.id}/schedule`, { version: s.version });
    expect(cancelled.status).toBe(200);
    expect((await cancelled.json()).scheduledAt).toBeUndefined();
    const draft = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '草稿不能定时', body: doc('x') })).json();
    expect((await zhao.request('PUT', `/api/items/${draft.id}/schedule`, { at: '2027-01-01T09:00', version: draft.version })).status).toBe(409);
    expect((await zhao.request('PUT', `/api/items/${item.id}/schedule`, { at: '明天上午', version: s.version + 1 })).status).toBe(400);
  });

  test('an item that fell due while the server was down is published when it starts again', async () => {
    const { zhao, item } = await approvedNotice('重启后发布的通知');
    const at = new Date(now.getTime() + 3_600_000).toISOString();
    expect((await zhao.request('PUT', `/api/items/${item.id}/schedule`, { at, version: item.version })).status).toBe(200);
    // "restart": a second process over the same data directory, two hours later
    await env.deps.store.close();
    let later = new Date(now.getTime() + 7_200_000);
    const deps = createDeps({ store: createStore({ adapter: 'lowdb', dir: env.dir, clock: () => later }), config: loadConfig({}, { dataDir: env.dir, adminPassword: ADMIN_PASSWORD }), clock: () => later });
    const { startScheduler } = await import('../../server/editorial/scheduler.ts');
    const scheduler = startScheduler({ deps, intervalMs: 60_000 });
    await scheduler.tick();
    scheduler.stop();
    const app = createApp(deps);
    const zhao2 = await loginAs(app, 'zhao.reviewer');
    expect((await (await zhao2.request('GET', `/api/items/${item.id}`)).json()).item.status).toBe('published');
    later = new Date(later.getTime() + 1000);
    await deps.store.close();
    env.deps.store = createStore({ adapter: 'lowdb', dir: env.dir, clock: () => now });
  });
});

describe('assignment, comments and notifications', () => {
  test('submit to a chosen reviewer notifies them; send-back, approve and publish notify the writer; the bell counts unread', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const zhao = await loginAs(env.app, 'zhao.reviewer');
    const item = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '指派审核的通知', body: doc('正文') })).json();
    const reviewers = (await (await chen.request('GET', `/api/items/${item.id}/reviewers`)).json()).reviewers;
    expect(reviewers.map((r: { username: string }) => r.username)).toContain('zhao.reviewer');
    expect(reviewers.map((r: { username: string }) => r.username)).not.toContain('chen.editor');
    expect((await chen.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review', assigneeId: chen.userId })).status).toBe(400);
    const submitted = await (await chen.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review', assigneeId: zhao.userId })).json();
    expect(submitted.assigneeId).toBe(zhao.userId);
    const zhaoBell = await (await zhao.request('GET', '/api/notifications')).json();
    expect(zhaoBell.items[0]).toMatchObject({ type: 'assigned', itemId: item.id, read: false });
    const before = (await (await chen.request('GET', '/api/notifications')).json()).unread;
    now = new Date(now.getTime() + 60_000);
    await zhao.request('POST', `/api/items/${item.id}/transitions`, { to: 'changes-requested', comment: '请补充报修电话' });
    const chenBell = await (await chen.request('GET', '/api/notifications')).json();
    expect(chenBell.unread).toBe(before + 1);
    expect(chenBell.items[0]).toMatchObject({ type: 'sent-back', itemId: item.id });
    expect(chenBell.items[0].text).toContain('请补充报修电话');
    expect((await (await chen.request('POST', '/api/notifications/read', {})).json()).marked).toBeGreaterThan(0);
    expect((await (await chen.request('GET', '/api/notifications')).json()).unread).toBe(0);
  });

  test('a comment anchored to a passage @mentions a user of the org, who is notified; it can be resolved', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const zhao = await loginAs(env.app, 'zhao.reviewer');
    const item = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '段落评论的通知', body: doc('报修电话为 12345。', '第二段。') })).json();
    now = new Date(now.getTime() + 60_000);
    const posted = await zhao.request('POST', `/api/items/${item.id}/comments`, { body: '@chen.editor 这个号码请再核实，<script>alert(1)</script>', quote: '报修电话为 12345' });
    expect(posted.status).toBe(201);
    const comment = await posted.json();
    expect(comment).toMatchObject({ quote: '报修电话为 12345', status: 'open', mentions: [chen.userId] });
    const bell = await (await chen.request('GET', '/api/notifications')).json();
    expect(bell.items[0]).toMatchObject({ type: 'mentioned', itemId: item.id });
    expect((await zhao.request('POST', `/api/items/${item.id}/comments`, { body: '   ' })).status).toBe(400);
    const wang = await loginAs(env.app, 'wang.editor');
    expect((await wang.request('POST', `/api/items/${item.id}/comments`, { body: '越权评论' })).status).toBe(403);
    const resolved = await chen.request('PATCH', `/api/items/${item.id}/comments/${comment.id}`, { status: 'resolved', version: comment.version });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', resolvedBy: chen.userId });
    const list = (await (await chen.request('GET', `/api/items/${item.id}/comments`)).json()).comments;
    expect(list).toHaveLength(1);
  });
});

describe('tables and image captions in bodies', () => {
  const table = {
    type: 'table',
    content: [
      { type: 'tableRow', content: [{ type: 'tableHeader', attrs: { colspan: 1, rowspan: 1, colwidth: null }, content: [{ type: 'paragraph', content: [{ type: 'text', text: '片区' }] }] }, { type: 'tableHeader', content: [{ type: 'paragraph', content: [{ type: 'text', text: '电话' }] }] }] },
      { type: 'tableRow', content: [{ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: '五星街道' }] }] }, { type: 'tableCell', attrs: { colspan: 1, rowspan: 1, colwidth: null, align: 'center' }, content: [{ type: 'paragraph', content: [{ type: 'text', text: '<script>12345' }] }] }] },
    ],
  };

  test('a table saves, renders escaped on the site and with inline styles in the WeChat package; bad cell spans are refused', async () => {
    const { renderBodyHtml } = await import('../../server/content/tiptap.ts');
    const { renderWechatBody } = await import('../../server/exports/wechat-html.ts');
    const chen = await loginAs(env.app, 'chen.editor');
    const created = await chen.request('POST', '/api/items', { kind: 'notice', title: '报修电话表', body: { type: 'doc', content: [table] } });
    expect(created.status).toBe(201);
    const html = renderBodyHtml((await created.json()).body);
    expect(html).toContain('<table><tbody><tr><th><p>片区</p></th>');
    expect(html).toContain('&lt;script&gt;12345');
    expect(html).not.toContain('<colgroup>');
    const wechat = renderWechatBody({ type: 'doc', content: [table] }, []).join('');
    expect(wechat).toMatch(/^<table style="[^"]+"><tbody><tr><th style="[^"]+">片区<\/th>/);
    expect(wechat).toContain('&lt;script&gt;12345');
    const bad = structuredClone(table);
    (bad.content[1]!.content[1] as { attrs: Record<string, unknown> }).attrs = { colspan: -1, align: 'javascript' };
    const refused = await chen.request('POST', '/api/items', { kind: 'notice', title: '坏表格', body: { type: 'doc', content: [bad] } });
    expect(refused.status).toBe(400);
    const issues = (await refused.json()).error.issues.map((i: { path: string }) => i.path);
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/attrs\.colspan$/), expect.stringMatching(/attrs\.align$/)]));
  });

  test('an image caption (its title) shows under the picture on the site and in the WeChat package', async () => {
    const { prepareBodyHtml } = await import('../../server/publish/body-html.ts');
    const { renderWechatBody } = await import('../../server/exports/wechat-html.ts');
    const html = prepareBodyHtml('<img src="https://example.org/a.jpg" alt="示意图" title="图为 &lt;新&gt; 站点">', env.dir);
    expect(html).toMatch(/^<figure><img[^>]*alt="示意图"[^>]*><figcaption>图为 &lt;新&gt; 站点<\/figcaption><\/figure>$/);
    const wechat = renderWechatBody({ type: 'doc', content: [{ type: 'image', attrs: { src: '/media/x.jpg', alt: '示意图', title: '图注' } }] }, []).join('');
    expect(wechat).toContain('>图注</p>');
  });
});

describe('configuration', () => {
  test('the public address defaults to the port the server listens on', () => {
    expect(loadConfig({ PORT: '8081' }, { dataDir: '/tmp/x' }).siteUrl).toBe('http://localhost:8081');
    expect(loadConfig({ PORT: '8081', LIANXIN_SITE_URL: 'https://lianxin.example.cn' }, { dataDir: '/tmp/x' }).siteUrl).toBe('https://lianxin.example.cn');
    expect(loadConfig({}, { dataDir: '/tmp/x' }).siteUrl).toBe('http://localhost:3000');
  });
});

describe('slugs after publishing', () => {
  test('only an admin moves a published item; the old address gets a redirect page to the new one', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { readPublishSnapshot } = await import('../../server/content/snapshot.ts');
    const { writeSlugRedirects } = await import('../../server/editorial/redirects.ts');
    const { zhao, item } = await approvedNotice('改地址的通知');
    const chen = await loginAs(env.app, 'chen.editor');
    const admin = await loginAs(env.app, 'admin');
    const published = await (await zhao.request('POST', `/api/items/${item.id}/transitions`, { to: 'published' })).json();
    expect((await chen.request('PUT', `/api/items/${item.id}/slug`, { slug: 'gai-di-zhi', version: published.version })).status).toBe(403);
    expect((await admin.request('PUT', `/api/items/${item.id}/slug`, { slug: 'Bad Slug', version: published.version })).status).toBe(400);
    const other = (await (await chen.request('GET', '/api/items?status=published')).json()).items.find((i: { id: string }) => i.id !== item.id);
    expect((await admin.request('PUT', `/api/items/${item.id}/slug`, { slug: other.slug, version: published.version })).status).toBe(409);
    const moved = await admin.request('PUT', `/api/items/${item.id}/slug`, { slug: 'new-address-notice', version: published.version });
    expect(moved.status, await moved.clone().text()).toBe(200);
    expect(await moved.json()).toMatchObject({ slug: 'new-address-notice', previousSlugs: [published.slug] });
    const snapshot = (await readPublishSnapshot(env.deps, item.id))!;
    expect(snapshot.url).toBe('/notices/new-address-notice/');
    const out = join(env.dir, 'redirect-out');
    writeSlugRedirects({ outDir: out, siteUrl: 'https://lianxin.example.cn', items: [snapshot] });
    const html = readFileSync(join(out, 'notices', published.slug, 'index.html'), 'utf8');
    expect(html).toContain('<meta http-equiv="refresh" content="0; url=https://lianxin.example.cn/notices/new-address-notice/">');
    expect(html).toContain('<link rel="canonical" href="https://lianxin.example.cn/notices/new-address-notice/">');
    // a draft's slug is the editor's to change, not through this route
    const draft = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '草稿地址', body: doc('x') })).json();
    expect((await admin.request('PUT', `/api/items/${draft.id}/slug`, { slug: 'cao-gao', version: draft.version })).status).toBe(409);
  });
});
