import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, formBody, loginAs, type Client, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let editor: Client;
let reviewer: Client;

const QUESTIONS = [
  { type: 'single', text: '党的根本宗旨是什么？', options: ['全心全意为人民服务', '发展经济', '维护稳定'], answer: '全心全意为人民服务', explanation: '党章总纲。' },
  { type: 'multiple', text: '“三会”包括哪些？', options: ['支部党员大会', '支部委员会', '党小组会', '职工代表大会'], answer: ['支部党员大会', '支部委员会', '党小组会'], explanation: '三会一课制度。' },
  { type: 'truefalse', text: '预备党员的预备期为两年。', answer: false, explanation: '预备期为一年。' },
  { type: 'single', text: '<img src=x onerror=alert(1)> 党的最高理想是？', options: ['实现共产主义', '全面小康'], answer: 0, explanation: '党章总纲 <b>原文</b>。' },
];
const BANDS = [
  { min: 0, max: 59, title: '继续加油', text: '再学学。' },
  { min: 60, max: 89, title: '合格党员', text: '不错。' },
  { min: 90, max: 100, title: '学习标兵', text: '很棒！' },
];

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
  reviewer = await loginAs(env.app, 'zhao.reviewer');
});
afterAll(() => env.close());

const create = (over: Record<string, unknown> = {}) => editor.request('POST', '/api/items', { kind: 'quiz', title: '党章知识问答', body: doc('答题前请先阅读党章。'), intro: '共 4 题。', questions: QUESTIONS, bands: BANDS, ...over });

describe('POST /api/items (kind quiz)', () => {
  test('stores questions with answers as option texts (index, letter or text in; text out)', async () => {
    const res = await create();
    expect(res.status).toBe(201);
    const item = await res.json();
    expect(item.kind).toBe('quiz');
    expect(item.questions.map((q: { answer: unknown }) => q.answer)).toEqual(['全心全意为人民服务', ['支部党员大会', '支部委员会', '党小组会'], false, '实现共产主义']);
    expect(item.questions[2].options).toEqual(['正确', '错误']);
    expect(item.bands).toHaveLength(3);
  });

  test('bad answers and bands are 400 with the field path in Chinese, and nothing is created', async () => {
    const before = (await (await editor.request('GET', '/api/items?kind=quiz')).json()).total;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ questions: [{ ...QUESTIONS[0], answer: '发展社会生产力' }] }, /^questions\.0\.answer: 单选题的答案必须是选项之一/],
      [{ questions: [QUESTIONS[0], { ...QUESTIONS[1], answer: ['支部党员大会', '团员大会'] }] }, /^questions\.1\.answer: 多选题的答案必须都是选项/],
      [{ questions: [{ ...QUESTIONS[0], options: ['甲'] , answer: '甲' }] }, /^questions\.0\.options: 单选题至少要有 2 个选项/],
      [{ questions: [{ ...QUESTIONS[0], type: 'essay' }] }, /^questions\.0\.type: 题型只能是/],
      [{ questions: [] }, /^questions: 至少要有一道题/],
      [{ bands: [BANDS[0], { ...BANDS[2], min: 61 }] }, /^bands\.1\.min: 分段之间有空档：60 分没有对应的结果/],
      [{ bands: [BANDS[0], { ...BANDS[1], min: 50 }, BANDS[2]] }, /^bands\.1\.min: 分段重叠：50–59 分同时属于两个分段/],
      [{ bands: [BANDS[0], BANDS[1]] }, /^bands: 分段必须覆盖 0–100 分：90–100 分没有对应的结果/],
      [{ bands: [{ ...BANDS[0], max: 120 }] }, /^bands\.0\.max: 分数范围是 0–100/],
    ];
    for (const [over, message] of cases) {
      const res = await create(over);
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    }
    expect((await (await editor.request('GET', '/api/items?kind=quiz')).json()).total).toBe(before);
  });

  test('PATCH replaces questions (checked the same way); a stale version is 409', async () => {
    const item = await (await create({ title: '改题测试' })).json();
    const ok = await editor.request('PATCH', `/api/items/${item.id}`, { version: item.version, questions: [QUESTIONS[0], { ...QUESTIONS[2], answer: '对' }] });
    expect(ok.status).toBe(200);
    expect((await ok.json()).questions[1].answer).toBe(true);
    const bad = await editor.request('PATCH', `/api/items/${item.id}`, { version: item.version + 1, questions: [{ ...QUESTIONS[0], answer: 'Z' }] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^questions\.0\.answer: /);
    const stale = await editor.request('PATCH', `/api/items/${item.id}`, { version: item.version, intro: '过期' });
    expect(stale.status).toBe(409);
  });
});

describe('answers and stats', () => {
  let quiz: { id: string; slug: string; version: number };
  beforeAll(async () => {
    quiz = await (await create({ title: '统计测试问答' })).json();
    for (const [who, to] of [[editor, 'in-review'], [reviewer, 'approved'], [reviewer, 'published']] as const) {
      const res = await who.request('POST', `/api/items/${quiz.id}/transitions`, { to });
      expect(res.status, to).toBe(200);
    }
  });

  const post = (id: string, body: unknown, headers: Record<string, string> = { 'content-type': 'text/plain' }) => env.app.request(`/api/quiz/${id}/answers`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  test('a published quiz lives at /quizzes/<slug>/ and its band cards are rendered with Chinese text', async () => {
    const snap = JSON.parse(readFileSync(join(env.dir, 'published', 'items', `${quiz.id}.json`), 'utf8'));
    expect(snap.url).toBe(`/quizzes/${quiz.slug}/`);
    const cards = readFileSync(join(env.dir, 'published', 'items', `${quiz.id}.json`), 'utf8');
    expect(cards).toContain('"bands"');
    const files = (await import('node:fs')).readdirSync(join(env.dir, 'media', 'quiz-cards'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const meta = await sharp(join(env.dir, 'media', 'quiz-cards', files[0]!)).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([1200, 630, 'jpeg']);
  });

  test('anonymous answers are counted (202), set no cookie, and feed per-question correct rates', async () => {
    const right = [[0], [0, 1, 2], [1], [0]];
    const res = await post(quiz.id, { picks: right, finished: true });
    expect(res.status).toBe(202);
    expect(res.headers.get('set-cookie')).toBeNull();
    // a JSON body works too, and a reader who stopped after two questions (one wrong)
    expect((await post(quiz.id, { picks: [[1], [0, 1, 2], null, null], finished: false }, { 'content-type': 'application/json' })).status).toBe(202);
    // a logged-in editor's cookie does not turn this into a CSRF failure
    expect((await post(quiz.id, { picks: [[0], [0], [0], [1]], finished: true }, { 'content-type': 'text/plain', cookie: editor.cookie })).status).toBe(202);

    const stats = await (await editor.request('GET', `/api/quiz/${quiz.id}/stats`)).json();
    expect(stats).toMatchObject({ starts: 3, finishes: 2, completionRate: 2 / 3 });
    expect(stats.questions.map((q: { answered: number; correct: number }) => [q.answered, q.correct])).toEqual([[3, 2], [3, 2], [2, 1], [2, 1]]);
    expect(stats.hardest[0].correctRate).toBe(0.5);
    expect(stats.bands.map((b: { count: number }) => b.count)).toEqual([1, 0, 1]);
    // nothing about the reader is stored: the record holds counts only
    const raw = JSON.stringify(await env.deps.store.collection('quiz-stats').get(quiz.id));
    expect(raw).not.toMatch(/127\.0\.0\.1|user-agent|cookie|lx_session/i);
  });

  test('bad answers are 4xx naming the field and change no count', async () => {
    const before = (await (await editor.request('GET', `/api/quiz/${quiz.id}/stats`)).json()).starts;
    const bad: Array<[unknown, number, RegExp]> = [
      ['not json', 400, /^body: /],
      [{ picks: [[0]], finished: true }, 400, /^picks: 应有 4 项/],
      [{ picks: [[9], null, null, null], finished: true }, 400, /^picks\.0\.0: |^picks\.0: /],
      [{ picks: [null, null, null, null], finished: false }, 400, /^picks: 至少要答一题/],
      [{ picks: [[0], [0], [0], [0]] }, 400, /^finished: /],
    ];
    for (const [body, status, message] of bad) {
      const res = await post(quiz.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect((await res.json()).error.message).toMatch(message);
    }
    expect((await post('it_missing', { picks: [[0]], finished: true })).status).toBe(404);
    expect((await post('../etc', { picks: [[0]], finished: true })).status).toBe(404);
    const draft = await (await create({ title: '未发布问答' })).json();
    expect((await post(draft.id, { picks: [[0], [0], [0], [0]], finished: true })).status).toBe(404);
    expect((await (await editor.request('GET', `/api/quiz/${quiz.id}/stats`)).json()).starts).toBe(before);
    expect((await env.app.request(`/api/quiz/${quiz.id}/stats`)).status).toBe(401);
  });

  test('the questions page shows the questions people get wrong', async () => {
    const res = await env.app.request(`/workbench/items/${quiz.id}/questions`, { headers: { cookie: editor.cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('大家最容易答错的题');
    expect(html).toMatch(/data-question-index="[23]"/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('review shows question changes', () => {
  test('after a send-back, the review page lists the changed answer and the added question', async () => {
    const item = await (await create({ title: '审核差异测试' })).json();
    await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' });
    expect((await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' })).status).toBe(200);
    await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'draft' });
    const current = (await (await editor.request('GET', `/api/items/${item.id}`)).json()).item;
    const changed = [{ ...QUESTIONS[0], answer: '维护稳定' }, QUESTIONS[1], QUESTIONS[2], QUESTIONS[3], { type: 'truefalse', text: '党员应按期交纳党费。', answer: true, explanation: '党章。' }];
    expect((await editor.request('PATCH', `/api/items/${item.id}`, { version: current.version, questions: changed })).status).toBe(200);
    await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' });
    const page = await env.app.request(`/workbench/review/${item.id}`, { headers: { cookie: reviewer.cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('题目变化（与上次审核通过的版本相比）');
    expect(html).toMatch(/修改第 1 题：.*答案：<del>A\. 全心全意为人民服务<\/del> → <ins>C\. 维护稳定<\/ins>/s);
    expect(html).toContain('新增第 5 题');
    expect(html).not.toContain('修改第 2 题');
  });
});

describe('workbench question form', () => {
  test('a form post with a wrong answer letter is refused with the field named, and the quiz is unchanged', async () => {
    const item = await (await create({ title: '表单测试' })).json();
    const form = formBody({ _csrf: editor.csrf, version: String(item.version), intro: '导语', type: ['single'], text: ['题目一'], options: ['甲\n乙'], answer: ['C'], explanation: ['解析'], sources: [''], bankId: [''], bandMin: ['0'], bandMax: ['100'], bandTitle: ['好'], bandText: ['都好'] });
    const res = await env.app.request(`/workbench/items/${item.id}/questions`, { method: 'POST', headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(res.status).toBe(303);
    const after = (await (await editor.request('GET', `/api/items/${item.id}`)).json()).item;
    expect(after.version).toBe(item.version);
    const ok = formBody({ _csrf: editor.csrf, version: String(item.version), intro: '导语', type: ['single', 'truefalse'], text: ['题目一', '题目二'], options: ['甲\n乙', ''], answer: ['B', '错误'], explanation: ['解析', '解析二'], sources: ['来源 | https://example.cn/', ''], bankId: ['', ''], bandMin: ['0'], bandMax: ['100'], bandTitle: ['好'], bandText: ['都好'] });
    expect((await env.app.request(`/workbench/items/${item.id}/questions`, { method: 'POST', headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: ok })).status).toBe(303);
    const saved = (await (await editor.request('GET', `/api/items/${item.id}`)).json()).item;
    expect(saved.questions.map((q: { answer: unknown }) => q.answer)).toEqual(['乙', false]);
    expect(saved.questions[0].sources).toEqual([{ name: '来源', url: 'https://example.cn/' }]);
    expect(existsSync(env.dir)).toBe(true);
  });
});
