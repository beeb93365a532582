import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, formBody, loginAs, type Client, type TestEnv } from '../helpers.ts';
import { publishedLive, postUpdate, transition } from './setup.ts';
import { questionsOf } from '../../server/kinds/live/service.ts';

let env: TestEnv;
let editor: Client;
let reviewer: Client;
let admin: Client;
let qa: Awaited<ReturnType<typeof publishedLive>>;
let ipCounter = 0;

const ask = (body: unknown, ip = `203.0.113.${++ipCounter}`, headers: Record<string, string> = {}) =>
  env.app.request(`/api/live/${qa.id}/questions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': ip, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const served = async () => (await env.app.request(`/live/${qa.slug}/updates/latest.json`)).json();

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
  reviewer = await loginAs(env.app, 'zhao.reviewer');
  admin = await loginAs(env.app, 'admin');
  qa = await publishedLive(editor, reviewer, { mode: 'qa', place: '亭湖区青年创业园' }, '青年创业在线交流');
});
afterAll(() => env.close());

describe('POST /api/live/:id/questions (public)', () => {
  test('anyone may ask without a session or CSRF token; only the text and the nickname are stored', async () => {
    const res = await ask({ text: '  创业贷款需要什么条件？ ', nickname: '小李' });
    expect(res.status).toBe(201);
    const { id, state } = await res.json();
    expect(state).toBe('pending');
    const stored = await questionsOf(env.deps).get(id);
    expect(stored).toMatchObject({ text: '创业贷款需要什么条件？', nickname: '小李', state: 'pending', itemId: qa.id });
    expect(Object.keys(stored!).sort()).toEqual(['createdAt', 'id', 'itemId', 'nickname', 'state', 'text', 'updatedAt', 'version']);
  });

  test('a logged-in reader (session cookie, no CSRF token) can ask too', async () => {
    const res = await env.app.request(`/api/live/${qa.id}/questions`, { method: 'POST', headers: { cookie: editor.cookie, 'content-type': 'application/json', 'x-test-ip': '198.51.100.7' }, body: JSON.stringify({ text: '已登录也能提问吗？' }) });
    expect(res.status).toBe(201);
  });

  test('HTML, empty, too long and hostile input is a 400 naming the field, and nothing is stored', async () => {
    const before = (await questionsOf(env.deps).list()).length;
    const cases: Array<[unknown, RegExp]> = [
      [{ text: '<script>alert(1)</script>怎么申请？' }, /^text: .*HTML/],
      [{ text: '<img src=x onerror=alert(1)>' }, /^text: /],
      [{ text: '请问 &lt;b&gt; 怎么办' }, /^text: /],
      [{ text: '' }, /^text: /],
      [{ text: '问' }, /^text: /],
      [{ text: '长'.repeat(301) }, /^text: .*300/],
      [{ text: '正常的问题内容', nickname: '<b>黑客</b>' }, /^nickname: /],
      [{ text: '正常的问题内容', nickname: '很长的昵称'.repeat(5) }, /^nickname: /],
      [{ text: 42 }, /^text: /],
      [{}, /^text: /],
      ['{"text": ', /^body: /],
    ];
    for (const [body, message] of cases) {
      const res = await ask(body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    }
    const plain = await env.app.request(`/api/live/${qa.id}/questions`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-test-ip': '203.0.113.250' }, body: '你好你好你好' });
    expect(plain.status).toBe(400);
    expect((await questionsOf(env.deps).list()).length).toBe(before);
  });

  test('emoji, hashtags, @mentions and long Chinese text within 300 characters are kept as typed', async () => {
    const text = `#创业# @团区委 请问网店需要营业执照吗？😀 ${'详'.repeat(250)}`;
    const res = await ask({ text });
    expect(res.status).toBe(201);
    expect((await questionsOf(env.deps).get((await res.json()).id))!.text).toBe(text);
  });

  test('per-address rate limit: the sixth question from one address within 10 minutes is a 429; another address still asks', async () => {
    const ip = '192.0.2.99';
    for (let i = 0; i < 5; i++) expect((await ask({ text: `第 ${i + 1} 个问题，关于场地` }, ip)).status).toBe(201);
    const limited = await ask({ text: '第 6 个问题，关于场地' }, ip);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.message).toContain('提问太频繁');
    expect((await ask({ text: '另一位网友的问题' }, '192.0.2.100')).status).toBe(201);
  });

  test('an item not in qa mode, ended, unpublished or unknown does not take questions', async () => {
    const event = await publishedLive(editor, reviewer, { mode: 'event' }, '灾情直播不收提问');
    expect((await env.app.request(`/api/live/${event.id}/questions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '192.0.2.1' }, body: JSON.stringify({ text: '可以提问吗？' }) })).status).toBe(409);
    const draft = await (await editor.request('POST', '/api/items', { kind: 'live', title: '未发布交流', body: doc('x'), live: { mode: 'qa' } })).json();
    expect((await env.app.request(`/api/live/${draft.id}/questions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '192.0.2.2' }, body: JSON.stringify({ text: '可以提问吗？' }) })).status).toBe(404);
    expect((await env.app.request('/api/live/it_nope/questions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '192.0.2.3' }, body: JSON.stringify({ text: '可以提问吗？' }) })).status).toBe(404);
  });

  test('a plain form post (no JavaScript) is answered with a redirect back to the page', async () => {
    const res = await env.app.request(`/api/live/${qa.id}/questions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-ip': '192.0.2.50', referer: `http://localhost/live/${qa.slug}/` }, body: formBody({ text: '表单提交的问题', nickname: '' }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/live/${qa.slug}/?asked=1#ask`);
  });
});

describe('moderation and answers', () => {
  test('an editor accepts; a guest of this item answers quoting it; a reviewer publishes; it reaches the page; rejected and unanswered ones never do', async () => {
    const good = (await (await ask({ text: '大学生创业有房租补贴吗？', nickname: '阿杰' })).json()).id;
    const bad = (await (await ask({ text: '加微信领补贴日赚三千' })).json()).id;
    const waiting = (await (await ask({ text: '返乡开网店要办执照吗？' })).json()).id;

    const queue = await (await editor.request('GET', `/api/items/${qa.id}/questions?state=pending`)).json();
    expect(queue.questions.map((q: { id: string }) => q.id)).toEqual(expect.arrayContaining([good, bad, waiting]));

    expect((await reviewer.request('POST', `/api/items/${qa.id}/questions/${good}/transitions`, { to: 'accepted' })).status).toBe(403);
    expect((await editor.request('POST', `/api/items/${qa.id}/questions/${good}/transitions`, { to: 'accepted' })).status).toBe(200);
    expect((await editor.request('POST', `/api/items/${qa.id}/questions/${bad}/transitions`, { to: 'rejected' })).status).toBe(200);
    expect((await editor.request('POST', `/api/items/${qa.id}/questions/${waiting}/transitions`, { to: 'accepted' })).status).toBe(200);
    expect((await editor.request('POST', `/api/items/${qa.id}/questions/${good}/transitions`, { to: 'maybe' })).status).toBe(400);

    // a guest user scoped to this item
    const created = await admin.request('POST', '/api/users', { username: 'qa.guest', displayName: '刘导师', orgId: 'tinghu', roles: ['guest'], password: 'guest-password-1', guestOf: qa.id });
    expect(created.status).toBe(201);
    const guest = await loginAs(env.app, 'qa.guest', 'guest-password-1');

    expect((await postUpdate(guest, qa.id, { type: 'update', body: doc('嘉宾不能发动态') })).status).toBe(403);
    expect((await postUpdate(guest, qa.id, { type: 'answer', questionId: bad, body: doc('x') })).status).toBe(409);
    expect((await postUpdate(guest, qa.id, { type: 'answer', body: doc('没引用问题') })).status).toBe(400);
    const answer = await postUpdate(guest, qa.id, { type: 'answer', questionId: good, body: doc('符合条件的大学生创业者可享受三年房租补贴。') });
    expect(answer.status).toBe(201);
    const a = await answer.json();
    expect(a).toMatchObject({ question: { id: good, text: '大学生创业有房租补贴吗？', nickname: '阿杰' }, answeredBy: '刘导师' });
    expect((await transition(guest, qa.id, a.id, { to: 'published' })).status).toBe(403);
    expect((await transition(reviewer, qa.id, a.id, { to: 'published' })).status).toBe(200);

    const latest = await served();
    const shown = latest.updates.find((u: { id: string }) => u.id === a.id);
    expect(shown.question).toEqual({ text: '大学生创业有房租补贴吗？', nickname: '阿杰' });
    expect(JSON.stringify(latest)).not.toContain('日赚三千');
    expect(JSON.stringify(latest)).not.toContain('返乡开网店');
    expect((await questionsOf(env.deps).get(good))!.state).toBe('answered');
  });

  test('a guest sees only their own item; another org editor cannot moderate', async () => {
    const other = await publishedLive(editor, reviewer, { mode: 'qa' }, '另一场交流');
    const guest = await loginAs(env.app, 'qa.guest', 'guest-password-1');
    expect((await guest.request('GET', `/api/items/${qa.id}/questions`)).status).toBe(200);
    expect((await guest.request('GET', `/api/items/${other.id}/questions`)).status).toBe(403);
    expect((await guest.request('GET', `/api/items/${other.id}/updates`)).status).toBe(403);
    const wang = await loginAs(env.app, 'wang.editor');
    const q = (await (await ask({ text: '外单位编辑能审吗？' })).json()).id;
    expect((await wang.request('POST', `/api/items/${qa.id}/questions/${q}/transitions`, { to: 'accepted' })).status).toBe(403);
    expect((await questionsOf(env.deps).get(q))!.state).toBe('pending');
  });

  test('a guest needs guestOf (400 naming the field)', async () => {
    const res = await admin.request('POST', '/api/users', { username: 'no.scope', displayName: '无范围嘉宾', orgId: 'tinghu', roles: ['guest'], password: 'guest-password-1' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^guestOf: /);
  });

  test('moderation is audited; unknown question 404; without a session 401', async () => {
    const q = (await (await ask({ text: '审计用的问题' })).json()).id;
    await editor.request('POST', `/api/items/${qa.id}/questions/${q}/transitions`, { to: 'rejected' });
    const audit = await (await admin.request('GET', `/api/audit?target=${q}`)).json();
    expect(audit.entries.map((e: { action: string }) => e.action).reverse()).toEqual(['live.question.create', 'live.question.moderate']);
    expect(audit.entries[0].actor).toBe(editor.userId);
    expect((await editor.request('POST', `/api/items/${qa.id}/questions/q_nope/transitions`, { to: 'accepted' })).status).toBe(404);
    expect((await env.app.request(`/api/items/${qa.id}/questions`)).status).toBe(401);
  });
});
