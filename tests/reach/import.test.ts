import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Item } from '../../server/content/schema.ts';
import type { ReachRecord, Summary } from '../../server/reach/schema.ts';
import type { ImportResult, Unmatched } from '../../server/reach/import.ts';
import { parseCount, parseDay } from '../../server/reach/import.ts';
import { shardOf } from '../../server/store/collection.ts';
import { createTestEnv, loginAs, type Client, type TestEnv } from '../helpers.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));

let env: TestEnv;
let editor: Client;
let byTitle: (t: string) => Item;

beforeAll(async () => {
  // demo reach figures cover the two weeks before this clock, well away from the fixtures' days (late November)
  env = await createTestEnv({ demo: true, clock: () => new Date('2026-10-15T04:00:00Z') });
  editor = await loginAs(env.app, 'chen.editor');
  const items = await env.deps.store.collection<Item>('items').list();
  byTitle = (t) => items.find((i) => i.title.includes(t))!;
});
afterAll(() => env.close());

async function upload(name: string, query = ''): Promise<{ status: number; body: ImportResult & { error?: { message: string } } }> {
  const form = new FormData();
  form.append('file', new File([fixture(name)], name));
  const res = await env.app.request(`/api/reach/import${query}`, { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf }, body: form });
  return { status: res.status, body: (await res.json()) as never };
}

// November only: the fixtures' days (the demo's figures are in October)
const summary = async (q: string) => (await (await editor.request('GET', `/api/reach/summary?${q}${q.includes('from=') ? '' : '&from=2026-11-01&to=2026-11-30'}`)).json()) as Summary;
const importRows = () => env.deps.store.collection<ReachRecord>('reach').list((r) => r.source === 'import');

describe('figures as the platforms write them', () => {
  test('counts and days', () => {
    expect(parseCount('12,876')).toBe(12876);
    expect(parseCount('10万+')).toBe(100000);
    expect(parseCount('1.2万')).toBe(12000);
    expect(parseCount('-')).toBe(0);
    expect(parseCount('九百')).toBeUndefined();
    expect(parseDay('2026/11/27')).toBe('2026-11-27');
    expect(parseDay('2026年11月7日')).toBe('2026-11-07');
    expect(parseDay('2026-11-24 18:32')).toBe('2026-11-24');
    expect(parseDay('2026-02-30')).toBeUndefined();
  });
});

describe('WeChat export (CSV, UTF-8 with BOM and a caption line)', () => {
  test('matches rows by title, reports the rest and the bad row, and a re-import changes nothing', async () => {
    const { status, body } = await upload('wechat-utf8.csv');
    expect(status).toBe(200);
    expect(body.platform).toBe('wechat');
    expect(body.rows).toBe(6);
    expect(body.matched).toBe(3);
    expect(body.unmatched.map((u) => u.title).sort()).toEqual(['冬季供暖报修电话和办理流程，一图读懂', '寒潮来袭！这份出行提醒请收好🧣']);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.line).toBe(8);
    expect(body.errors[0]!.message).toMatch(/^阅读人数: /);

    const bus = byTitle('校车安全的回应');
    const rumor = byTitle('高考指标');
    const s = await summary(`itemId=${bus.id}&channel=wechat`);
    expect(s.views).toBe(12876 + 3822);
    expect(s.uniques).toBe(10532 + 3210);
    expect(s.shares).toBe(1033 + 188);
    expect(s.likes).toBe(88 + 120 + 15 + 31); // 在看 and 点赞 together
    expect(s.byDay.map((d) => d.day)).toEqual(['2026-11-24', '2026-11-25']);
    expect((await summary(`itemId=${rumor.id}&channel=wechat`)).views).toBe(100000);

    const before = await importRows();
    const again = await upload('wechat-utf8.csv');
    expect(again.body.matched).toBe(3);
    expect(await importRows()).toHaveLength(before.length);
    expect((await summary(`itemId=${bus.id}&channel=wechat`)).views).toBe(12876 + 3822);
  });

  test('GB18030 (Excel on Chinese Windows) with slashed dates imports the same way', async () => {
    const { status, body } = await upload('wechat-gb18030.csv', '?platform=wechat');
    expect(status).toBe(200);
    expect(body.matched).toBe(2);
    expect(body.unmatched.map((u) => u.title)).toEqual(['【通知】亭湖区图书馆寒假开放时间调整']);
    expect((await summary(`itemId=${byTitle('校车安全的回应').id}&from=2026-11-27&to=2026-11-27`)).views).toBe(990);
  });
});

describe('Weibo export (CSV)', () => {
  test('matches posts by their Weibo text or a link to our page, keeps emoji and hashtags, reports the rest', async () => {
    const { status, body } = await upload('weibo-utf8.csv');
    expect(status).toBe(200);
    expect(body.platform).toBe('weibo');
    expect(body.matched).toBe(3);
    expect(body.unmatched).toHaveLength(1);
    expect(body.unmatched[0]!.title).toContain('#盐城天气#');
    expect(body.errors.map((e) => e.line)).toEqual([6]);
    const bus = await summary(`itemId=${byTitle('校车安全的回应').id}&channel=weibo`);
    expect(bus.views).toBe(156000);
    expect(bus.reposts).toBe(12000);
    const video = await summary(`itemId=${byTitle('校车安全，我们这样做').id}&channel=weibo`);
    expect(video.views).toBe(42000);
    const rumor = await summary(`itemId=${byTitle('高考指标').id}&channel=weibo`);
    expect(rumor.reposts).toBe(18000);
  });
});

describe('XLSX exports', () => {
  test('WeChat workbook: typed dates and numbers, hyperlink cells, a caption and a total row', async () => {
    const { status, body } = await upload('wechat.xlsx');
    expect(status).toBe(200);
    expect(body.rows).toBe(3);
    expect(body.matched).toBe(2);
    expect(body.unmatched.map((u) => u.title)).toEqual(['青年志愿者冬季送温暖活动报名开始啦']);
    const s = await summary(`itemId=${byTitle('校车安全的回应').id}&from=2026-11-20&to=2026-11-20`);
    expect(s.views).toBe(24311);
    expect(s.shares).toBe(2002);
  });

  test('Weibo workbook: rich-text cells and date-times', async () => {
    const { body } = await upload('weibo.xlsx');
    expect(body.platform).toBe('weibo');
    expect(body.matched).toBe(1);
    expect(body.unmatched).toHaveLength(1);
    expect((await summary(`itemId=${byTitle('校车安全的回应').id}&from=2026-11-22&to=2026-11-22`)).reposts).toBe(6100);
  });
});

describe('matching by hand', () => {
  test('an unmatched post matched to an item writes its figures, and the next import matches it by itself', async () => {
    const list = (await (await editor.request('GET', '/api/reach/unmatched')).json()) as Unmatched[];
    const weather = list.find((u) => u.title.includes('#盐城天气#'))!;
    const target = byTitle('校车安全，我们这样做');
    const before = (await summary(`itemId=${target.id}`)).views;
    const res = await editor.request('POST', `/api/reach/unmatched/${weather.id}/match`, { itemId: target.id });
    expect(res.status).toBe(200);
    expect((await summary(`itemId=${target.id}`)).views).toBe(before + 23000);
    const again = await upload('weibo-utf8.csv');
    expect(again.body.unmatched).toHaveLength(0);
    expect(again.body.matched).toBe(4);
    expect((await summary(`itemId=${target.id}`)).views).toBe(before + 23000);
    const gone = (await (await editor.request('GET', '/api/reach/unmatched')).json()) as Unmatched[];
    expect(gone.find((u) => u.id === weather.id)).toBeUndefined();
  });

  test('matching to a draft is refused and changes nothing', async () => {
    const list = (await (await editor.request('GET', '/api/reach/unmatched')).json()) as Unmatched[];
    const one = list[0]!;
    const res = await editor.request('POST', `/api/reach/unmatched/${one.id}/match`, { itemId: byTitle('加装电梯').id });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^itemId: /);
    expect(((await (await editor.request('GET', '/api/reach/unmatched')).json()) as Unmatched[]).map((u) => u.id)).toContain(one.id);
  });
});

describe('bad files', () => {
  test('empty, headerless, binary and corrupt XLSX files get 400 naming the file', async () => {
    const post = (body: BodyInit) => env.app.request('/api/reach/import', { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'text/csv' }, body });
    for (const body of ['', '随便,写点\n1,2\n', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0])]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^file: /);
    }
    const reporter = await loginAs(env.app, 'xu.reporter');
    const denied = await env.app.request('/api/reach/import', { method: 'POST', headers: { cookie: reporter.cookie, 'x-csrf-token': reporter.csrf, 'content-type': 'text/csv' }, body: fixture('weibo-utf8.csv') });
    expect(denied.status).toBe(403);
  });
});

describe('a large export', () => {
  const ROWS = 1_500;
  // a WeChat export of posts no item matches, with one row whose figure is not a number (line 2 + 700)
  const csv = ['日期,文章标题,阅读次数,原文链接', ...Array.from({ length: ROWS + 1 }, (_, i) => (i === 700 ? '2026-11-26,坏行,九百,https://mp.weixin.qq.com/s/bad' : `2026-11-26,批量未匹配文章 ${i},${i + 1},https://mp.weixin.qq.com/s/bulk-${i}`))].join('\n');
  const post = async () => {
    const form = new FormData();
    form.append('file', new File([csv], '批量.csv'));
    const res = await env.app.request('/api/reach/import', { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf }, body: form });
    return { status: res.status, body: (await res.json()) as ImportResult };
  };
  const stored = async () => (await env.deps.store.collection<Unmatched>('reach-unmatched').list((u) => u.title.startsWith('批量未匹配文章'))).length;
  // the id the import gives a post with a link (its platform and link hashed)
  const postId = (i: number) => createHash('sha256').update(`wechat\0https://mp.weixin.qq.com/s/bulk-${i}`).digest('hex').slice(0, 24);

  test('a write that fails stores none of the file; the import again stores every good row once and reports the bad one', async () => {
    // a directory where the shard file of row 800's post goes: that shard's write fails
    const shardFile = join(env.dir, 'db', 'reach-unmatched', `${shardOf(postId(800))}.json`);
    const kept = existsSync(shardFile) ? readFileSync(shardFile) : undefined;
    rmSync(shardFile, { force: true });
    mkdirSync(shardFile);
    const failed = await post();
    expect(failed.status).toBe(500);
    expect(await stored()).toBe(0);
    rmSync(shardFile, { recursive: true });
    if (kept) writeFileSync(shardFile, kept);

    const { status, body } = await post();
    expect(status).toBe(200);
    expect(body.rows).toBe(ROWS + 1);
    expect(body.unmatched).toHaveLength(ROWS);
    expect(body.errors).toEqual([{ line: 702, message: expect.stringMatching(/^阅读: /) }]);
    expect(await stored()).toBe(ROWS);
    // a re-import changes nothing
    expect((await post()).body.unmatched).toHaveLength(ROWS);
    expect(await stored()).toBe(ROWS);
    const one = await env.deps.store.collection<Unmatched>('reach-unmatched').get(postId(42));
    expect(one).toMatchObject({ title: '批量未匹配文章 42', rows: [{ day: '2026-11-26', figures: { views: 43 } }] });
  });
});
