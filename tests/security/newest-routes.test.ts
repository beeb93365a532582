import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';

// A hostile editor / reporter / visitor against the newest routes (series, live updates, quiz,
// report filings, import records): URLs that only look relative, characters XML cannot carry, line
// breaks in one-line fields, another org's records. Each answer is 4xx naming the field, never 500.
let env: TestEnv;
let chen: Client; // editor, tinghu
let wang: Client; // editor, funing
let xu: Client; // reporter, tinghu-wuxing

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  [chen, wang, xu] = (await Promise.all(['chen.editor', 'wang.editor', 'xu.reporter'].map((u) => loginAs(env.app, u)))) as [Client, Client, Client];
}, 120_000);
afterAll(() => env?.close());

/** URLs the shared rule refuses: backslash hosts, attribute breakers, markup, whitespace. */
const BAD_URLS = ['/\\evil.example/x.jpg', '/x"onerror="alert(1)', "/x'><script>alert(1)</script>", 'https://a.example/<svg/onload=alert(1)>', '/a b', 'https://a.example/\u2028x'];
/** Text XML cannot carry: refused in every field that is published (the site, feeds, docx). */
const XML_BAD = ['标题\uFFFF', '空\u0000字符', '孤\uD800代理', '铃\u0007声'];

async function expectField(res: Response, field: RegExp, what: string): Promise<void> {
  const text = await res.text();
  expect(res.status, `${what}: ${text.slice(0, 200)}`).toBe(400);
  expect((JSON.parse(text) as { error: { message: string } }).error.message, what).toMatch(field);
}

describe('series', () => {
  test('a cover URL that only looks relative, or carries markup, is refused naming cover', async () => {
    for (const cover of BAD_URLS) await expectField(await chen.request('POST', '/api/series', { title: '大丰人好呢', cover }), /^cover: /, cover);
  });

  test('title and description refuse what XML cannot carry; the title refuses line breaks; 4-byte characters and emoji are kept', async () => {
    for (const bad of XML_BAD) {
      await expectField(await chen.request('POST', '/api/series', { title: bad }), /^title: /, JSON.stringify(bad));
      await expectField(await chen.request('POST', '/api/series', { title: '系列', description: bad }), /^description: /, JSON.stringify(bad));
    }
    await expectField(await chen.request('POST', '/api/series', { title: '第一行\r\n第二行' }), /^title: /, 'CRLF');
    const ok = await chen.request('POST', '/api/series', { title: '𠀀𪚥 好人 👍🏽', description: '第一段\n第二段 \u202e反向' });
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect(((await ok.json()) as { title: string }).title).toBe('𠀀𪚥 好人 👍🏽');
  });

  test('another org’s item cannot be put in a series, a reporter cannot make one', async () => {
    const theirs = (await (await wang.request('POST', '/api/items', { kind: 'notice', title: '阜宁的稿件', body: doc('正文') })).json()) as { id: string };
    const res = await chen.request('POST', '/api/series', { title: '拿别人的稿件', itemIds: [theirs.id] });
    expect([400, 403, 404]).toContain(res.status);
    expect((await xu.request('POST', '/api/series', { title: '通讯员的系列' })).status).toBe(403);
  });
});

describe('live updates', () => {
  let liveId = '';
  beforeAll(async () => {
    const res = await chen.request('POST', '/api/items', { kind: 'live', title: '冰雹灾害直播', body: doc('正文'), live: { mode: 'qa' } });
    expect(res.status, await res.clone().text()).toBe(201);
    liveId = ((await res.json()) as { id: string }).id;
  });

  test('image and guideUrl use the shared URL rule', async () => {
    for (const url of BAD_URLS) {
      await expectField(await chen.request('POST', `/api/items/${liveId}/updates`, { type: 'update', body: doc('路况'), image: url }), /^image: /, url);
      await expectField(await chen.request('POST', `/api/items/${liveId}/updates`, { type: 'clarification', body: doc('辟谣'), clarification: { claim: '网传水库溃坝', verdict: 'false', guideUrl: url } }), /^clarification\.guideUrl: /, url);
    }
  });

  test('claim, guest name and correction refuse what XML cannot carry; the guest name refuses line breaks', async () => {
    for (const bad of XML_BAD) {
      await expectField(await chen.request('POST', `/api/items/${liveId}/updates`, { type: 'clarification', body: doc('辟谣'), clarification: { claim: bad, verdict: 'false' } }), /^clarification\.claim: /, JSON.stringify(bad));
      await expectField(await chen.request('POST', `/api/items/${liveId}/updates`, { type: 'update', body: doc('x'), answeredBy: bad }), /^answeredBy: /, JSON.stringify(bad));
    }
    await expectField(await chen.request('POST', `/api/items/${liveId}/updates`, { type: 'update', body: doc('x'), answeredBy: '嘉宾\r\n第二行' }), /^answeredBy: /, 'CRLF');
  });

  test('the live place refuses line breaks and what XML cannot carry', async () => {
    for (const place of ['阜宁\r\n射阳', ...XML_BAD]) {
      await expectField(await chen.request('POST', '/api/items', { kind: 'live', title: '直播', body: doc('x'), live: { mode: 'event', place } }), /^live\.place: /, JSON.stringify(place));
    }
  });

  test('another org’s editor cannot post to the live item; a reporter cannot either', async () => {
    expect([403, 404]).toContain((await wang.request('POST', `/api/items/${liveId}/updates`, { type: 'update', body: doc('冒充') })).status);
    expect([403, 404]).toContain((await xu.request('POST', `/api/items/${liveId}/updates`, { type: 'update', body: doc('冒充') })).status);
  });
});

describe('quiz', () => {
  const question = (over: Record<string, unknown>) => ({ type: 'single', text: '暴雨天应当？', options: ['远离积水', '涉水通过'], answer: '远离积水', explanation: '积水可能漏电。', ...over });
  const create = (q: Record<string, unknown>) => chen.request('POST', '/api/items', { kind: 'quiz', title: '防汛知识', body: doc('x'), questions: [question(q)] });

  test('question image and source URL use the shared URL rule', async () => {
    for (const url of BAD_URLS) {
      await expectField(await create({ image: url }), /^questions\.0\.image: /, url);
      await expectField(await create({ sources: [{ name: '气象台', url }] }), /^questions\.0\.sources\.0\.url: /, url);
    }
  });

  test('question text, options and explanation refuse what XML cannot carry', async () => {
    for (const bad of XML_BAD) {
      await expectField(await create({ text: bad }), /^questions\.0\.text: /, JSON.stringify(bad));
      await expectField(await create({ explanation: bad }), /^questions\.0\.explanation: /, JSON.stringify(bad));
      await expectField(await create({ options: ['远离积水', bad], answer: '远离积水' }), /^questions\.0\.options\.1: /, JSON.stringify(bad));
    }
  });
});

describe('import records', () => {
  test('one user’s import record is not another’s to read or commit', async () => {
    const res = await chen.request('POST', '/api/concerns/import?format=jsonl&preview=true', JSON.stringify({ text: '青年路积水', platform: 'weibo', category: '交通', district: '亭湖区', capturedAt: '2026-11-24T10:00:00+08:00' }), { 'content-type': 'application/x-ndjson' });
    expect(res.status, await res.clone().text()).toBe(200);
    const { importId } = (await res.json()) as { importId: string };
    for (const who of [wang, xu]) {
      expect([403, 404]).toContain((await who.request('GET', `/api/concerns/imports/${importId}`)).status);
      expect([403, 404]).toContain((await who.request('POST', `/api/concerns/imports/${importId}/commit`)).status);
    }
    for (const id of ['../x', '%00', 'a'.repeat(500), '__proto__']) expect([400, 404]).toContain((await chen.request('GET', `/api/concerns/imports/${id}`)).status);
  });
});

describe('report filings', () => {
  const post = async (path: string, fields: Record<string, string>) => {
    const res = await env.app.request(`/workbench/reports/filing/${path}?org=tinghu&week=2026-W48`, {
      method: 'POST',
      headers: { cookie: chen.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: chen.csrf, ...fields }),
    });
    expect(res.status).toBe(303);
    const cookie = decodeURIComponent(decodeURIComponent(res.headers.get('set-cookie') ?? ''));
    return /"text":"([^"]*)"/.exec(cookie)?.[1] ?? '';
  };

  test('written sections refuse what XML cannot carry (they go into the .docx), the message names the field once', async () => {
    // (a lone surrogate cannot travel in a form: URL encoding turns it into U+FFFD)
    for (const bad of XML_BAD.filter((b) => !/[\uD800-\uDFFF]/.test(b))) {
      expect(await post('save', { summary: bad, assessment: '' })).toMatch(/^summary: 含有无法发布的控制字符/);
      expect(await post('save', { summary: '', assessment: bad })).toMatch(/^assessment: 含有无法发布的控制字符/);
    }
    expect(await post('save', { summary: 'x'.repeat(5001), assessment: '' })).toBe('summary: 本周综述不能超过 5000 字');
    expect(await post('save', { summary: '本周综述 👍🏽 𠀀', assessment: '' })).toBe('已保存本周综述与研判建议');
  });
});

describe('reach import', () => {
  test('a link that is not http(s) in a platform export never becomes a link in the workbench; markup in titles stays text', async () => {
    const csv = [
      '文章标题,原文链接,发表时间,阅读次数,分享次数',
      '"<img src=x onerror=alert(1)>标题\u0000一",javascript:alert(document.domain),2026-11-20,100,1',
      '"标题二\r\n换行","data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",2026-11-20,100,1',
      '标题三 \u202e反向 👍🏽,"https://mp.weixin.qq.com/s/x"" onmouseover=""alert(1)",2026-11-20,100,1',
      '标题四,https://mp.weixin.qq.com/s/AbCdEf,2026-11-20,100,1',
    ].join('\n');
    const form = new FormData();
    form.append('file', new File([csv], 'wechat.csv'));
    const res = await env.app.request('/api/reach/import?platform=wechat', { method: 'POST', headers: { cookie: chen.cookie, 'x-csrf-token': chen.csrf }, body: form });
    expect(res.status, await res.clone().text()).toBe(200);
    const { unmatched, errors } = (await res.json()) as { unmatched: { title: string; url: string }[]; errors: unknown[] };
    expect(errors).toEqual([]);
    expect(unmatched.map((u) => u.url).sort()).toEqual(['', '', '', 'https://mp.weixin.qq.com/s/AbCdEf']);
    expect(unmatched.some((u) => u.title.includes('\u0000'))).toBe(false);
    const page = await (await env.app.request('/workbench/reach', { headers: { cookie: chen.cookie } })).text();
    expect(page).not.toMatch(/href="(javascript|data):/i);
    expect(page).not.toContain('<img src=x');
    expect(page).not.toMatch(/onmouseover="alert/);
    expect(page).toContain('href="https://mp.weixin.qq.com/s/AbCdEf"');
  });
});

describe('live questions (anonymous reader)', () => {
  test('U+FFFF, lone surrogates and bidi overrides never reach a stored question; emoji and 4-byte characters do', async () => {
    const reviewer = await loginAs(env.app, 'zhao.reviewer');
    const res = await chen.request('POST', '/api/items', { kind: 'live', title: '在线交流', body: doc('正文'), live: { mode: 'qa' } });
    const { id } = (await res.json()) as { id: string };
    for (const to of ['in-review', 'approved', 'published']) expect((await (to === 'in-review' ? chen : reviewer).request('POST', `/api/items/${id}/transitions`, { to })).status).toBe(200);
    const ask = (text: string, nickname?: string, ip = '203.0.113.9') =>
      env.app.request(`/api/live/${id}/questions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': ip }, body: JSON.stringify({ text, ...(nickname ? { nickname } : {}) }) });
    let n = 0;
    for (const [text, nickname] of [['请问积水\uFFFF何时排完？', undefined], ['请问积水\uD800何时排完？', undefined], ['请问积水何时排完？', '小\uFFFE李'], ['请问积水\u202e何时排完？', undefined]] as const) {
      const r = await ask(text, nickname, `203.0.113.${++n}`);
      expect(r.status, await r.clone().text()).toBeLessThan(500);
      if (r.status === 201) {
        const { questions } = (await (await chen.request('GET', `/api/items/${id}/questions`)).json()) as { questions: { text: string; nickname?: string }[] };
        for (const q of questions) expect(`${q.text}${q.nickname ?? ''}`).not.toMatch(/[\uFFFE\uFFFF\uD800-\uDFFF\u202a-\u202e]/);
      } else {
        expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/^(text|nickname): /);
      }
    }
    const ok = await ask('𠀀𪚥 的问题 👍🏽 可以吗？', '小李👍', '203.0.113.99');
    expect(ok.status).toBe(201);
    const { questions } = (await (await chen.request('GET', `/api/items/${id}/questions`)).json()) as { questions: { text: string }[] };
    expect(questions.some((q) => q.text === '𠀀𪚥 的问题 👍🏽 可以吗？')).toBe(true);
  });
});

describe('wrong org, wrong role', () => {
  test('another org’s editor cannot change a series or moderate a live question; a reporter cannot either', async () => {
    const series = (await (await chen.request('POST', '/api/series', { title: '亭湖的系列' })).json()) as { id: string; version: number };
    for (const who of [wang, xu]) {
      expect([403, 404]).toContain((await who.request('PATCH', `/api/series/${series.id}`, { version: series.version, title: '改掉' })).status);
    }
    expect(((await (await chen.request('GET', `/api/series/${series.id}`)).json()) as { title: string }).title).toBe('亭湖的系列');

    const reviewer = await loginAs(env.app, 'zhao.reviewer');
    const { id } = (await (await chen.request('POST', '/api/items', { kind: 'live', title: '亭湖在线交流', body: doc('正文'), live: { mode: 'qa' } })).json()) as { id: string };
    for (const to of ['in-review', 'approved', 'published']) expect((await (to === 'in-review' ? chen : reviewer).request('POST', `/api/items/${id}/transitions`, { to })).status).toBe(200);
    const asked = await env.app.request(`/api/live/${id}/questions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '198.51.100.200' }, body: JSON.stringify({ text: '请问什么时候恢复供水？' }) });
    const { id: qid } = (await asked.json()) as { id: string };
    for (const who of [wang, xu]) {
      expect([403, 404]).toContain((await who.request('POST', `/api/items/${id}/questions/${qid}/transitions`, { to: 'accepted' })).status);
      expect([403, 404]).toContain((await who.request('GET', `/api/items/${id}/questions`)).status);
    }
    for (const bad of ['../x', '%00', 'q'.repeat(300)]) expect([400, 404]).toContain((await chen.request('POST', `/api/items/${id}/questions/${bad}/transitions`, { to: 'accepted' })).status);
  });
});

describe('groups (the weekly desk)', () => {
  test('a group’s title, summary, decision, escalation note and feedback refuse what the report (.docx) cannot carry; nothing changes', async () => {
    const logged = await chen.request('POST', '/api/concerns', { text: '五星街道学校门口放学时校车和接孩子的车堵成一团', platform: 'weibo', district: '亭湖区' });
    expect(logged.status, await logged.clone().text()).toBe(201);
    const free = (await logged.json()) as { id: string; week: string };
    for (const bad of XML_BAD) {
      await expectField(await chen.request('POST', '/api/groups', { week: free.week, groups: [{ title: bad, concernIds: [free.id] }] }), /title/, `accept title ${JSON.stringify(bad)}`);
      await expectField(await chen.request('POST', '/api/groups', { week: free.week, groups: [{ title: '校车', decision: bad, concernIds: [free.id] }] }), /decision/, `accept decision ${JSON.stringify(bad)}`);
    }
    const created = await chen.request('POST', '/api/groups', { week: free.week, groups: [{ title: '校车安全', concernIds: [free.id] }] });
    expect(created.status, await created.clone().text()).toBe(201);
    const group = ((await created.json()) as { groups: { id: string; version: number }[] }).groups[0]!;
    for (const bad of XML_BAD) {
      for (const field of ['title', 'summary', 'decision']) await expectField(await chen.request('PATCH', `/api/groups/${group.id}`, { version: group.version, [field]: bad }), new RegExp(`^${field}: `), `${field} ${JSON.stringify(bad)}`);
      await expectField(await chen.request('POST', `/api/groups/${group.id}/escalate`, { note: bad }), /^note: /, `note ${JSON.stringify(bad)}`);
      await expectField(await chen.request('POST', `/api/groups/${group.id}/feedback`, { text: bad }), /^text: /, `feedback ${JSON.stringify(bad)}`);
    }
    const after = (await (await chen.request('GET', `/api/groups/${group.id}`)).json()) as { title: string; version: number; feedback: unknown[]; escalatedTo?: string };
    expect(after).toMatchObject({ title: '校车安全', version: group.version, feedback: [] });
    expect(after.escalatedTo).toBeUndefined();
  });
});
