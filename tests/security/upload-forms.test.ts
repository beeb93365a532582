import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sendForm, startServer, type ServerChild } from './server-child.ts';

// The workbench's upload forms (concerns import, question bank import, reach import) check CSRF from
// the `_csrf` field that comes before the file, without reading the file, and then stream the file to
// a temp file with a cap (server/auth/csrf-form.ts, server/http/spool.ts): on a real `lianxin serve`.
const MB = 1024 * 1024;
let server: ServerChild;

beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(() => {
  if (process.env.SHOW_SERVER) console.log(server?.output().slice(-4000));
  server?.stop();
});

const CSV = Buffer.from('\uFEFF内容,平台,链接,类别,区县,时间,作者\r\n青年路地下通道积水一米深,微博,https://weibo.com/1/AbCd,交通,亭湖区,2026/11/29 9:30,小盐粒\r\n');

describe('/workbench/concerns/import streams the upload', () => {
  test('a form whose _csrf comes first is imported as a preview (303 to the record), no temp file is left', async () => {
    const res = await sendForm(`${server.base}/workbench/concerns/import`, { total: CSV.length, fill: CSV, before: { _csrf: server.csrf }, headers: { cookie: server.cookie } });
    expect(res.status, res.body).toBe(303);
    expect(res.headers.location).toMatch(/^\/workbench\/concerns\/imports\/[\w-]+$/);
    const page = await fetch(`${server.base}${res.headers.location}`, { headers: { cookie: server.cookie } });
    expect(await page.text()).toContain('青年路地下通道积水一米深');
    expect(server.leftovers()).toEqual([]);
  }, 60_000);

  test('a forged 64 MB form (wrong token) gets 403 before the file is read, nothing is spooled', async () => {
    const res = await sendForm(`${server.base}/workbench/concerns/import`, { total: 64 * MB, before: { _csrf: 'forged' }, headers: { cookie: server.cookie } });
    // reading the form to find the token would meet the 10 MB body limit first (413)
    expect(res.status).toBe(403);
    expect(res.body).toContain('CSRF');
    expect(res.written).toBeLessThan(64 * MB);
    expect(server.leftovers()).toEqual([]);
  }, 120_000);

  test('a token after the file does not count: 403, nothing imported', async () => {
    const res = await sendForm(`${server.base}/workbench/concerns/import`, { total: CSV.length, fill: CSV, after: { _csrf: server.csrf }, headers: { cookie: server.cookie } });
    expect(res.status).toBe(403);
    const list = await fetch(`${server.base}/api/concerns/imports`, { headers: { cookie: server.cookie } });
    expect(((await list.json()) as { imports: unknown[] }).imports).toHaveLength(1);
  }, 60_000);

  test('a 256 MB file is cut off at the cap with 413 naming file; memory does not grow by the body; no temp file', async () => {
    const BODY = 256 * MB;
    const before = server.memory('VmRSS');
    server.resetPeak();
    const res = await sendForm(`${server.base}/workbench/concerns/import`, { total: BODY, before: { _csrf: server.csrf }, headers: { cookie: server.cookie } });
    expect(res.status).toBe(413);
    expect(res.body).toContain('file: ');
    expect(res.written).toBeLessThan(BODY);
    expect(server.memory('VmHWM') - before).toBeLessThan(BODY / 2);
    await expect.poll(server.leftovers).toEqual([]);
  }, 120_000);

  test('a file just over the cap inside the body limit is cut off by the spool (its own message, naming file)', async () => {
    const res = await sendForm(`${server.base}/workbench/concerns/import`, { total: 10_000_000 + 1000, before: { _csrf: server.csrf }, headers: { cookie: server.cookie } });
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/file: Excel、CSV 或 JSON Lines 文件超过 9\.5 MB 上限/);
    await expect.poll(server.leftovers).toEqual([]);
  }, 60_000);

  test('an empty file part names the field', async () => {
    const res = await sendForm(`${server.base}/workbench/concerns/import`, { total: 0, before: { _csrf: server.csrf }, headers: { cookie: server.cookie } });
    expect(res.status).toBe(400);
    expect(res.body).toContain('file: 文件为空');
  }, 60_000);
});

describe('the other workbench upload forms', () => {
  test('question bank and reach imports: a forged 64 MB form gets 403 before the file is read', async () => {
    for (const path of ['/workbench/quiz-bank/import', '/workbench/reach/import']) {
      const res = await sendForm(`${server.base}${path}`, { total: 64 * MB, before: { _csrf: 'forged' }, headers: { cookie: server.cookie } });
      expect(res.status, path).toBe(403);
      expect(server.leftovers()).toEqual([]);
    }
  }, 120_000);

  test('a reach export over the old 1 MB form limit is taken through the workbench (the API cap applies)', async () => {
    const rows = ['文章标题,发表时间,阅读次数,分享次数'];
    const title = '青年路积水情况通报与绕行建议'.repeat(30);
    for (let i = 0; i < 1500; i++) rows.push(`第${i}篇：${title},2026-11-2${i % 9} 10:00,${100 + i},${i % 7}`);
    const file = Buffer.from(`${rows.join('\n')}\n`);
    expect(file.length).toBeGreaterThan(1.2 * MB);
    const res = await sendForm(`${server.base}/workbench/reach/import`, { total: file.length, fill: file, before: { _csrf: server.csrf, platform: 'wechat' }, headers: { cookie: server.cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/workbench/reach#import-title');
    const flash = decodeURIComponent(decodeURIComponent(String(res.headers['set-cookie'] ?? '')));
    expect(flash).toMatch(/已导入 \d+ 行/);
    expect(flash).not.toMatch(/上限/);
    expect(server.leftovers()).toEqual([]);
  }, 120_000);
});
