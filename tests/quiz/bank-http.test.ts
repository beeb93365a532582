import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, type Client, type TestEnv } from '../helpers.ts';
import { encodeGb18030 } from '../gb18030.ts';

let env: TestEnv;
let editor: Client;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
});
afterAll(() => env.close());

const upload = (body: Uint8Array | string, type: string, query = '') =>
  env.app.request(`/api/quiz-bank/import${query}`, { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': type }, body: body as BodyInit });


describe('POST /api/quiz-bank', () => {
  test('adds a question; the answer may be given as a letter and is stored as the option text', async () => {
    const res = await editor.request('POST', '/api/quiz-bank', { type: 'single', text: '“两学一做”中的“一做”是指什么？', options: ['做合格党员', '做优秀干部', '做志愿者'], answer: 'A', explanation: '“两学一做”即学党章党规、学系列讲话，做合格党员。', tags: ['两学一做'] });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ answer: '做合格党员', orgId: 'tinghu', tags: ['两学一做'], version: 1 });
  });

  test('an answer that is not one of the options is 400 naming the field, and nothing is stored', async () => {
    const before = (await (await editor.request('GET', '/api/quiz-bank')).json()).total;
    const res = await editor.request('POST', '/api/quiz-bank', { type: 'single', text: '错误示例', options: ['甲', '乙'], answer: '丙', explanation: '解析' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^answer: 单选题的答案必须是选项之一/);
    const multi = await editor.request('POST', '/api/quiz-bank', { type: 'multiple', text: '多选错误', options: ['甲', '乙'], answer: ['甲', '丁'], explanation: '解析' });
    expect((await multi.json()).error.message).toMatch(/^answer: 多选题的答案必须都是选项/);
    const tf = await editor.request('POST', '/api/quiz-bank', { type: 'truefalse', text: '判断错误', answer: '也许', explanation: '解析' });
    expect((await tf.json()).error.message).toMatch(/^answer: 判断题的答案/);
    const xss = await editor.request('POST', '/api/quiz-bank', { type: 'single', text: '<script>alert(1)</script>', options: ['a', 'b'], answer: 0, explanation: '', tags: [] });
    expect((await xss.json()).error.message).toMatch(/^explanation: 解析不能为空/);
    expect((await (await editor.request('GET', '/api/quiz-bank')).json()).total).toBe(before);
  });

  test('PATCH with a stale version is 409; DELETE removes; anonymous is 401', async () => {
    const created = await (await editor.request('POST', '/api/quiz-bank', { type: 'truefalse', text: '入党誓词要求“永不叛党”。', answer: '对', explanation: '入党誓词原文。' })).json();
    expect(created.answer).toBe(true);
    const ok = await editor.request('PATCH', `/api/quiz-bank/${created.id}`, { version: 1, type: 'truefalse', text: created.text, answer: false, explanation: '改一下' });
    expect(ok.status).toBe(200);
    const stale = await editor.request('PATCH', `/api/quiz-bank/${created.id}`, { version: 1, type: 'truefalse', text: created.text, answer: true, explanation: '再改' });
    expect(stale.status).toBe(409);
    expect((await (await editor.request('GET', `/api/quiz-bank/${created.id}`)).json()).explanation).toBe('改一下');
    expect((await env.app.request('/api/quiz-bank')).status).toBe(401);
    expect((await editor.request('DELETE', `/api/quiz-bank/${created.id}`, { version: 2 })).status).toBe(204);
    expect((await editor.request('GET', `/api/quiz-bank/${created.id}`)).status).toBe(404);
  });

  test("another org's editor does not see this bank (403)", async () => {
    const other = await loginAs(env.app, 'wang.editor');
    expect((await other.request('GET', '/api/quiz-bank?org=tinghu')).status).toBe(403);
  });
});

describe('POST /api/quiz-bank/import', () => {
  const csv = [
    '题型,题目,A,B,C,D,答案,解析,来源,标签',
    '单选,"“两学一做”学习教育的基础是什么？",学党章党规,学系列讲话,做合格党员,学历史,A,"学党章党规是基础，\r\n明确基本标准。",中国共产党章程|https://www.12371.cn/,两学一做',
    '多选,“两学”指的是哪些？,学党章党规,学系列讲话,学外语,,AB,两学即学党章党规、学系列讲话。,,两学一做',
    '判断,党员应当按期交纳党费。,,,,,对,按期交纳党费是党员的义务。,,',
    '单选,坏题：答案不在选项里,甲,乙,,,E,解析,,',
    '填空,未知题型,甲,乙,,,A,解析,,',
    '单选,缺解析,甲,乙,,,A,,,',
  ].join('\r\n');

  test('imports UTF-8 with BOM: good rows kept, each bad row reported with its line and field', async () => {
    const res = await upload(new TextEncoder().encode(`\uFEFF${csv}`), 'text/csv');
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.imported).toBe(3);
    expect(result.errors).toEqual([
      { line: 6, message: expect.stringMatching(/^answer: 单选题的答案必须是选项之一/) },
      { line: 7, message: expect.stringMatching(/^type: 未知题型“填空”/) },
      { line: 8, message: expect.stringMatching(/^explanation: 解析不能为空/) },
    ]);
    const bank = (await (await editor.request('GET', '/api/quiz-bank?q=两学')).json()).questions;
    const multi = bank.find((q: { type: string }) => q.type === 'multiple');
    expect(multi.answer).toEqual(['学党章党规', '学系列讲话']);
    const first = bank.find((q: { text: string }) => q.text.includes('基础'));
    expect(first.explanation).toContain('\n');
    expect(first.sources).toEqual([{ name: '中国共产党章程', url: 'https://www.12371.cn/' }]);
  });

  test('re-importing the same file (as GB18030) adds nothing', async () => {
    const res = await upload(encodeGb18030(csv), 'text/csv');
    const result = await res.json();
    expect(result).toMatchObject({ imported: 0, skipped: 3 });
    expect(result.errors.map((e: { line: number }) => e.line)).toEqual([6, 7, 8]);
  });

  test('imports the first sheet of an XLSX with row numbers in errors', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('题库');
    ws.addRow(['type', 'text', 'options', 'answer', 'explanation', 'tags']);
    ws.addRow(['single', '新时代党的建设总要求以什么为主线？', '加强党的长期执政能力建设、先进性和纯洁性建设|加强作风建设|加强制度建设', 'A', '党的十九大报告。', '党建']);
    ws.addRow(['truefalse', '“三会一课”中的“一课”是指上党课。', '', '正确', '三会一课：支部党员大会、支委会、党小组会，按时上好党课。', '']);
    ws.addRow(['multiple', '坏多选', '甲|乙|丙', 'AZ', '解析', '']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const res = await env.app.request('/api/quiz-bank/import', { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf }, body: (() => { const f = new FormData(); f.set('file', new File([bytes], '题库.xlsx')); return f; })() });
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.imported).toBe(2);
    expect(result.errors).toEqual([{ line: 4, message: expect.stringMatching(/^answer: /) }]);
  });

  test('an empty body, a corrupt XLSX and a file without a question column are 400 or reported', async () => {
    expect((await upload(new Uint8Array(), 'text/csv')).status).toBe(400);
    const corrupt = await upload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), 'application/octet-stream');
    expect(corrupt.status).toBe(400);
    expect((await corrupt.json()).error.message).toMatch(/^file: /);
    const noText = await (await upload(new TextEncoder().encode('a,b\n1,2\n'), 'text/csv')).json();
    expect(noText.errors[0]).toMatchObject({ line: 1, message: expect.stringMatching(/^text: 缺少题目列/) });
  });
});
