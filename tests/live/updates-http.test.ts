import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';
import { CHUNK_SIZE } from '../../server/kinds/live/site-files.ts';
import { publishedLive, postUpdate, transition } from './setup.ts';

let env: TestEnv;
let editor: Client;
let reviewer: Client;
let cityReviewer: Client;
let otherEditor: Client;
let live: Awaited<ReturnType<typeof publishedLive>>;

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
  reviewer = await loginAs(env.app, 'zhao.reviewer');
  cityReviewer = await loginAs(env.app, 'sun.reviewer');
  otherEditor = await loginAs(env.app, 'wang.editor');
  live = await publishedLive(editor, reviewer);
});
afterAll(() => env.close());

const served = async (slug: string, file = 'latest.json', headers: Record<string, string> = {}) => env.app.request(`/live/${slug}/updates/${file}`, { headers });

describe('live item', () => {
  test('is created as kind live with mode, place, coverage start and state live; unknown mode is a 400 naming the field', async () => {
    expect(live.live).toMatchObject({ mode: 'event', place: '阜宁县陈良镇', state: 'live' });
    expect(Date.parse(live.live.coverageStart as string)).not.toBeNaN();
    const bad = await editor.request('POST', '/api/items', { kind: 'live', title: 'x', body: doc('x'), live: { mode: 'party' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^live\.mode: /);
  });

  test('publishing the item writes its reader files: an empty index with the pinned block, and the feed', async () => {
    const res = await served(live.slug);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('max-age=5');
    const latest = await res.json();
    expect(latest).toMatchObject({ v: 1, total: 0, updates: [], chunks: [], item: { id: live.id, state: 'live' } });
    expect(latest.item.pinnedHtml).toContain('求助热线：12345');
    expect((await served(live.slug, 'feed.xml')).status).toBe(200);
  });
});

describe('POST /api/items/:id/updates and publishing', () => {
  test('an editor posts, cannot publish their own update (403, four-eyes); a reviewer publishes; it is in the served JSON at once', async () => {
    const created = await postUpdate(editor, live.id, { type: 'help', body: doc('陈良镇急需饮用水和帐篷，联系电话 0515-12345678') });
    expect(created.status).toBe(201);
    const update = await created.json();
    expect(update).toMatchObject({ state: 'pending', type: 'help', authorId: editor.userId, version: 1 });
    expect((await (await served(live.slug)).json()).total).toBe(0);

    const own = await transition(editor, live.id, update.id, { to: 'published' });
    expect(own.status).toBe(403);

    const published = await transition(reviewer, live.id, update.id, { to: 'published' });
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ state: 'published', seq: 1, publishedBy: reviewer.userId });

    const latest = await (await served(live.slug)).json();
    expect(latest.total).toBe(1);
    expect(latest.updates[0]).toMatchObject({ id: update.id, seq: 1, type: 'help', label: '求助', state: 'published' });
    expect(latest.updates[0].html).toContain('急需饮用水');
    const feed = new XMLParser().parse(readFileSync(join(env.dir, 'site', 'live', live.slug, 'updates', 'feed.xml'), 'utf8'));
    expect(String(feed.rss.channel.item.title)).toContain('[求助]');
  });

  test('the poster cannot publish even as a reviewer (four-eyes per update), nor a reviewer who edited it last', async () => {
    const li = await loginAs(env.app, 'li.reviewer'); // city reviewer + editor, but not of 亭湖 → cannot post there
    expect((await postUpdate(li, live.id, { type: 'update', body: doc('x') })).status).toBe(403);
    const u = await (await postUpdate(editor, live.id, { type: 'update', body: doc('第一稿') })).json();
    // sun (city reviewer) cannot edit (not an editor) → lastEditor stays chen; li cannot edit either (other org)
    const edit = await editor.request('PATCH', `/api/items/${live.id}/updates/${u.id}`, { version: 1, body: doc('第二稿') });
    expect(edit.status).toBe(200);
    expect((await transition(cityReviewer, live.id, u.id, { to: 'published' })).status).toBe(200);
  });

  test('an editor of another org cannot post (403) and nothing is stored', async () => {
    const before = (await (await editor.request('GET', `/api/items/${live.id}/updates`)).json()).updates.length;
    const res = await postUpdate(otherEditor, live.id, { type: 'update', body: doc('外单位') });
    expect(res.status).toBe(403);
    expect((await (await editor.request('GET', `/api/items/${live.id}/updates`)).json()).updates.length).toBe(before);
  });

  test('bad input is a 400 naming the field and stores nothing', async () => {
    const before = (await (await editor.request('GET', `/api/items/${live.id}/updates`)).json()).updates.length;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ type: 'rumour', body: doc('x') }, /^type: /],
      [{ type: 'update' }, /^body/],
      [{ type: 'update', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] } }, /^body/],
      [{ type: 'update', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '长'.repeat(9000) }] }] } }, /^body/],
      [{ type: 'clarification', body: doc('x') }, /^clarification: /],
      [{ type: 'clarification', body: doc('x'), clarification: { claim: '网传水库决堤' } }, /^clarification\.verdict: /],
      [{ type: 'update', body: doc('x'), at: '昨天下午' }, /^at: /],
      [{ type: 'update', body: doc('x'), image: 'javascript:alert(1)' }, /^image: /],
      [{ type: 'update', body: doc('x'), questionId: 'q_1' }, /^questionId: /],
    ];
    for (const [body, message] of cases) {
      const res = await postUpdate(editor, live.id, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    }
    expect((await editor.request('POST', `/api/items/${live.id}/updates`, '{"type":', {})).status).toBe(400);
    expect((await (await editor.request('GET', `/api/items/${live.id}/updates`)).json()).updates.length).toBe(before);
  });

  test('a clarification carries its verdict or rumor guide link; every type posts', async () => {
    for (const body of [
      { type: 'update', body: doc('救援队已抵达') },
      { type: 'official', body: doc('县政府发布：受灾群众已全部安置') },
      { type: 'clarification', body: doc('经核实为谣言'), clarification: { claim: '网传新沟镇水库决堤', verdict: 'false', guideUrl: '/rumors/shui-ku-jue-di/' } },
      { type: 'answer', body: doc('捐赠物资请送至县民政局'), answeredBy: '县民政局 王科长' },
    ]) {
      const res = await postUpdate(editor, live.id, body);
      expect(res.status).toBe(201);
      const u = await res.json();
      expect((await transition(reviewer, live.id, u.id, { to: 'published' })).status).toBe(200);
    }
    const latest = await (await served(live.slug)).json();
    expect(latest.updates.map((u: { type: string }) => u.type).slice(0, 4)).toEqual(['answer', 'clarification', 'official', 'update']);
    expect(latest.updates[1].clarification).toMatchObject({ verdict: 'false', claim: '网传新沟镇水库决堤' });
  });

  test('without auth 401; without CSRF 403; unknown item 404; a non-live item 404', async () => {
    expect((await env.app.request(`/api/items/${live.id}/updates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'update', body: doc('x') }) })).status).toBe(401);
    expect((await env.app.request(`/api/items/${live.id}/updates`)).status).toBe(401);
    const noCsrf = await env.app.request(`/api/items/${live.id}/updates`, { method: 'POST', headers: { cookie: editor.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'update', body: doc('x') }) });
    expect(noCsrf.status).toBe(403);
    expect((await postUpdate(editor, 'it_nope', { type: 'update', body: doc('x') })).status).toBe(404);
    const notice = await (await editor.request('POST', '/api/items', { kind: 'notice', title: '普通通知', body: doc('x') })).json();
    expect((await postUpdate(editor, notice.id, { type: 'update', body: doc('x') })).status).toBe(404);
    expect((await editor.request('GET', `/api/items/${notice.id}/updates`)).status).toBe(404);
  });

  test('updates of a live item not yet published cannot be published (409)', async () => {
    const draft = await (await editor.request('POST', '/api/items', { kind: 'live', title: '未发布的直播', body: doc('x'), live: { mode: 'event' } })).json();
    const u = await (await postUpdate(editor, draft.id, { type: 'update', body: doc('先写好') })).json();
    const res = await transition(reviewer, draft.id, u.id, { to: 'published' });
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/^status: /);
  });
});

describe('PATCH /api/items/:id/updates/:uid and withdrawing', () => {
  test('a stale version is a 409 and changes nothing', async () => {
    const u = await (await postUpdate(editor, live.id, { type: 'update', body: doc('v1') })).json();
    expect((await editor.request('PATCH', `/api/items/${live.id}/updates/${u.id}`, { version: 1, body: doc('v2') })).status).toBe(200);
    const stale = await editor.request('PATCH', `/api/items/${live.id}/updates/${u.id}`, { version: 1, body: doc('v3') });
    expect(stale.status).toBe(409);
    const list = (await (await editor.request('GET', `/api/items/${live.id}/updates?state=pending`)).json()).updates;
    const now = list.find((x: { id: string }) => x.id === u.id);
    expect(now.version).toBe(2);
    expect(JSON.stringify(now.body)).toContain('v2');
    expect(now.ageSeconds).toBeGreaterThanOrEqual(0);
  });

  test('a published update changes only with a public correction note, shown as 已更正 with the time; withdrawing shows 已撤回', async () => {
    const u = await (await postUpdate(editor, live.id, { type: 'official', body: doc('安置点：陈良中学') })).json();
    const pub = await (await transition(reviewer, live.id, u.id, { to: 'published' })).json();
    const noNote = await editor.request('PATCH', `/api/items/${live.id}/updates/${u.id}`, { version: pub.version, body: doc('安置点：陈良小学') });
    expect(noNote.status).toBe(400);
    expect((await noNote.json()).error.message).toMatch(/^correction: /);
    const corrected = await editor.request('PATCH', `/api/items/${live.id}/updates/${u.id}`, { version: pub.version, body: doc('安置点：陈良小学'), correction: '安置点名称有误' });
    expect(corrected.status).toBe(200);
    let entry = (await (await served(live.slug)).json()).updates.find((x: { id: string }) => x.id === u.id);
    expect(entry.html).toContain('陈良小学');
    expect(entry.corrections).toEqual([{ at: expect.any(String), note: '安置点名称有误' }]);

    const noComment = await transition(reviewer, live.id, u.id, { to: 'withdrawn' });
    expect(noComment.status).toBe(400);
    expect((await noComment.json()).error.message).toMatch(/^comment: /);
    expect((await transition(editor, live.id, u.id, { to: 'withdrawn', comment: '信息有误' })).status).toBe(403);
    expect((await transition(reviewer, live.id, u.id, { to: 'withdrawn', comment: '信息已过时' })).status).toBe(200);
    entry = (await (await served(live.slug)).json()).updates.find((x: { id: string }) => x.id === u.id);
    expect(entry).toMatchObject({ state: 'withdrawn', html: '', withdrawal: { note: '信息已过时' } });
    expect((await editor.request('PATCH', `/api/items/${live.id}/updates/${u.id}`, { version: 10, body: doc('x'), correction: 'x' })).status).toBe(409);
    expect((await transition(reviewer, live.id, u.id, { to: 'published' })).status).toBe(409);
  });

  test('bad transitions: unknown target 400, unknown update 404', async () => {
    const u = await (await postUpdate(editor, live.id, { type: 'update', body: doc('x') })).json();
    const bad = await transition(reviewer, live.id, u.id, { to: 'approved' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^to: /);
    expect((await transition(reviewer, live.id, 'lu_nope', { to: 'published' })).status).toBe(404);
    expect((await editor.request('PATCH', `/api/items/${live.id}/updates/${u.id}`, { body: doc('no version') })).status).toBe(400);
    // the editor discards their own pending update
    expect((await transition(editor, live.id, u.id, { to: 'withdrawn' })).status).toBe(200);
  });

  test('every step is audited with the actor', async () => {
    const admin = await loginAs(env.app, 'admin');
    const u = await (await postUpdate(editor, live.id, { type: 'update', body: doc('审计') })).json();
    await transition(reviewer, live.id, u.id, { to: 'published' });
    const audit = await (await admin.request('GET', `/api/audit?target=${u.id}`)).json();
    expect(audit.entries.map((e: { action: string; actor: string }) => `${e.action}@${e.actor}`).reverse()).toEqual([`live.update.create@${editor.userId}`, `live.update.transition@${reviewer.userId}`]);
  });
});

describe('chunks', () => {
  test('past the chunk size, older updates move to immutable chunks and the index stays small; a correction in a sealed chunk renames it and is repeated in `changed`', async () => {
    const other = await publishedLive(editor, reviewer, { mode: 'event', place: '射阳' }, '分块测试直播');
    const ids: string[] = [];
    for (let i = 1; i <= CHUNK_SIZE + 3; i++) {
      const u = await (await postUpdate(editor, other.id, { type: 'update', body: doc(`第 ${i} 条`) })).json();
      expect((await transition(reviewer, other.id, u.id, { to: 'published' })).status).toBe(200);
      ids.push(u.id);
    }
    const latest = await (await served(other.slug)).json();
    expect(latest.total).toBe(CHUNK_SIZE + 3);
    expect(latest.updates.map((u: { seq: number }) => u.seq)).toEqual([CHUNK_SIZE + 3, CHUNK_SIZE + 2, CHUNK_SIZE + 1]);
    expect(latest.chunks).toHaveLength(1);
    const chunkUrl = latest.chunks[0].url as string;
    const chunk = await env.app.request(chunkUrl);
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('cache-control')).toContain('immutable');
    expect((await chunk.json()).updates).toHaveLength(CHUNK_SIZE);

    const first = (await (await editor.request('GET', `/api/items/${other.id}/updates?state=published&limit=500`)).json()).updates.find((u: { id: string }) => u.id === ids[0]);
    expect((await editor.request('PATCH', `/api/items/${other.id}/updates/${ids[0]}`, { version: first.version, body: doc('第 1 条（更正）'), correction: '数字有误' })).status).toBe(200);
    const after = await (await served(other.slug)).json();
    expect(after.chunks[0].url).not.toBe(chunkUrl);
    expect(after.changed[0]).toMatchObject({ id: ids[0], corrections: [{ note: '数字有误' }] });
    expect(readdirSync(join(env.dir, 'site', 'live', other.slug, 'updates')).filter((f) => f.startsWith('c0.')).length).toBe(2);
  });

  test('ETag / If-None-Match gives 304 while the index is unchanged, 200 after a publish', async () => {
    const first = await served(live.slug);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await served(live.slug, 'latest.json', { 'if-none-match': etag })).status).toBe(304);
    const u = await (await postUpdate(editor, live.id, { type: 'update', body: doc('新进展') })).json();
    await transition(reviewer, live.id, u.id, { to: 'published' });
    const changed = await served(live.slug, 'latest.json', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  test('unknown or hostile file names are not served from the live folder', async () => {
    for (const path of [`/live/${live.slug}/updates/manifest.json`, `/live/${live.slug}/updates/..%2F..%2Fetc%2Fpasswd`, `/live/NOPE/updates/latest.json`]) {
      const res = await env.app.request(path);
      expect(res.status, path).toBe(404);
    }
    expect(existsSync(join(env.dir, 'published', 'live', live.id, 'manifest.json'))).toBe(true);
  });
});

describe('PATCH /api/items/:id/live', () => {
  test('the pinned block changes at any time (no review) and reaches the index; ending sets coverageEnd and refuses new updates', async () => {
    const other = await publishedLive(editor, reviewer, { mode: 'event' }, '结束测试直播');
    const pinned = await editor.request('PATCH', `/api/items/${other.id}/live`, { version: other.version, pinned: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '新安置点：县体育馆' }] }] } });
    expect(pinned.status).toBe(200);
    const v = (await pinned.json()).version;
    expect((await (await served(other.slug)).json()).item.pinnedHtml).toContain('县体育馆');
    expect((await editor.request('PATCH', `/api/items/${other.id}/live`, { version: other.version, state: 'ended' })).status).toBe(409);
    expect((await reviewer.request('PATCH', `/api/items/${other.id}/live`, { version: v, state: 'ended' })).status).toBe(403);
    expect((await editor.request('PATCH', `/api/items/${other.id}/live`, { version: v, state: 'over' })).status).toBe(400);
    const ended = await editor.request('PATCH', `/api/items/${other.id}/live`, { version: v, state: 'ended' });
    expect(ended.status).toBe(200);
    expect((await ended.json()).live).toMatchObject({ state: 'ended', coverageEnd: expect.any(String) });
    expect((await (await served(other.slug)).json()).item.state).toBe('ended');
    const late = await postUpdate(editor, other.id, { type: 'update', body: doc('迟到的更新') });
    expect(late.status).toBe(409);
  });
});

describe('GET /api/items/:id/updates/:uid/export/weibo', () => {
  test('a published update gets a Weibo text within 140 with the topic and a link to the update; a pending one 409', async () => {
    const u = await (await postUpdate(editor, live.id, { type: 'official', body: doc('【权威发布】'.repeat(40)) })).json();
    expect((await editor.request('GET', `/api/items/${live.id}/updates/${u.id}/export/weibo`)).status).toBe(409);
    await transition(reviewer, live.id, u.id, { to: 'published' });
    const res = await editor.request('GET', `/api/items/${live.id}/updates/${u.id}/export/weibo`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.length).toBeLessThanOrEqual(140);
    expect(body.text).toContain('#心系灾区在行动#');
    expect(body.text).toContain(`/live/${live.slug}/#u-${u.id}`);
  });
});
