import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../scripts/cli.ts';
import type { Concern } from '../../server/concerns/schema.ts';
import type { Item } from '../../server/content/schema.ts';
import type { Org } from '../../server/orgs/schema.ts';
import type { Evaluation } from '../../server/evaluation/schema.ts';
import { subtree } from '../../server/evaluation/metrics.ts';
import { parsePeriod } from '../../server/evaluation/period.ts';
import { chinaDay } from '../../server/reach/day.ts';
import { createTestEnv, loginAs, type Client, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let city: Client;
let admin: Client;
const YEAR = chinaDay(new Date()).slice(0, 4);

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  city = await loginAs(env.app, 'li.reviewer');
  admin = await loginAs(env.app, 'admin');
});
afterAll(() => env.close());

const evaluate = async (client: Client, q: string) => {
  const res = await client.request('GET', `/api/evaluation?${q}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Evaluation;
};
const docText = async (bytes: ArrayBuffer | Buffer) => (await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');

describe('periods', () => {
  test('year, quarter and month', () => {
    expect(parsePeriod('2026')).toMatchObject({ from: '2026-01-01', to: '2026-12-31', kind: 'year' });
    expect(parsePeriod('2026-Q4')).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
    expect(parsePeriod('2024-02')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(() => parsePeriod('2026-13')).toThrow(/^period: /);
  });
});

describe('GET /api/evaluation', () => {
  test('ranks the districts under the city with figures that match the store', async () => {
    const e = await evaluate(city, `period=${YEAR}`);
    const orgs = await env.deps.store.collection<Org>('orgs').list();
    const districts = orgs.filter((o) => o.parentId === 'yc');
    expect(e.orgs.map((r) => r.orgId).sort()).toEqual(districts.map((o) => o.id).sort());
    expect(e.orgs.map((r) => r.rank)).toEqual(districts.map((_, i) => i + 1));
    for (let i = 1; i < e.orgs.length; i++) expect(e.orgs[i - 1]!.score).toBeGreaterThanOrEqual(e.orgs[i]!.score);

    const tinghu = e.orgs.find((r) => r.orgId === 'tinghu')!;
    const scope = subtree(orgs, 'tinghu');
    const concerns = await env.deps.store.collection<Concern>('concerns').list((c) => scope.has(c.orgId) && chinaDay(new Date(c.capturedAt)).startsWith(YEAR) && !c.duplicateOf);
    expect(tinghu.metrics.concernsLogged).toBe(concerns.length);
    expect(tinghu.metrics.handledOffline).toBe(concerns.filter((c) => c.steps.handledAt).length);
    const published = await env.deps.store.collection<Item>('items').list((i) => scope.has(i.orgId) && (i.status === 'published' || i.status === 'retracted') && !!i.publishedAt && chinaDay(new Date(i.publishedAt)).startsWith(YEAR));
    expect(tinghu.metrics.publishedTotal).toBe(published.length);
    expect(tinghu.metrics.views).toBeGreaterThan(0);
    // 东台 has no concerns, items or reach in the demo: it cannot outrank 亭湖
    expect(tinghu.rank).toBeLessThan(e.orgs.find((r) => r.orgId === 'dongtai')!.rank);
    expect(e.members.length).toBeGreaterThan(0);
  });

  test('admin weights change the ranking: only comment work counts, and 阜宁 logged comments', async () => {
    const wang = await loginAs(env.app, 'wang.editor');
    const before = (await evaluate(city, `period=${YEAR}`)).orgs.find((r) => r.orgId === 'funing')!.metrics.comments;
    for (const url of ['https://weibo.com/123/abc', 'https://tieba.baidu.com/p/998877', 'https://weibo.com/123/abd?from=%E7%9B%90%E5%9F%8E']) {
      expect((await wang.request('POST', '/api/evaluation/comments', { url, platform: 'weibo', note: '回应#阜宁灾后重建#谣言 @阜宁发布' })).status).toBe(201);
    }
    expect((await wang.request('POST', '/api/evaluation/comments', { url: 'javascript:alert(1)' })).status).toBe(400);
    const weights = { team: 0, concerns: 0, service: 0, weekly: 0, content: 0, reach: 0, comments: 10 };
    expect((await city.request('PUT', '/api/evaluation/weights', weights)).status).toBe(403);
    const zero = await admin.request('PUT', '/api/evaluation/weights', { ...weights, comments: 0 });
    expect(zero.status).toBe(400);
    expect(((await zero.json()) as { error: { message: string } }).error.message).toMatch(/^team: /);
    expect((await admin.request('PUT', '/api/evaluation/weights', weights)).status).toBe(200);
    const e = await evaluate(city, `period=${YEAR}`);
    expect(e.orgs[0]!.orgId).toBe('funing');
    expect(e.orgs[0]!.score).toBe(100);
    expect(e.orgs[0]!.metrics.comments).toBe(before + 3);
    expect(e.members[0]!.name).toContain('王芳');
    expect((await admin.request('PUT', '/api/evaluation/weights', { team: 15, concerns: 20, service: 25, weekly: 10, content: 10, reach: 10, comments: 10 })).status).toBe(200);
  });

  test('the yearly report downloads as a Word document that parses back, and as CSV', async () => {
    const res = await city.request('GET', `/api/evaluation?period=${YEAR}&format=docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('.docx');
    const text = await docText(await res.arrayBuffer());
    expect(text).toContain(`${YEAR}年度网宣志愿服务工作考评`);
    expect(text).toContain('单位排名');
    expect(text).toContain('亭湖区');
    const bytes = new Uint8Array(await (await city.request('GET', `/api/evaluation?period=${YEAR}&format=csv&table=orgs`)).arrayBuffer());
    // a BOM, so Excel on Chinese Windows reads UTF-8
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder().decode(bytes);
    expect(csv.startsWith('名次,组织,总分')).toBe(true);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 6);
    const members = await (await city.request('GET', `/api/evaluation?period=${YEAR}&format=csv&table=members`)).text();
    expect(members).toContain('王芳');
  });

  test('the monthly circular downloads as Word', async () => {
    const month = chinaDay(new Date()).slice(0, 7);
    const res = await city.request('GET', `/api/evaluation/circular?month=${month}`);
    expect(res.status).toBe(200);
    const text = await docText(await res.arrayBuffer());
    expect(text).toContain('网宣志愿服务工作情况的通报');
    expect(text).toContain('予以表扬');
    expect((await city.request('GET', '/api/evaluation/circular?month=2026-13')).status).toBe(400);
  });

  test('bad input gets 400 naming the field; orgs outside your tree 403', async () => {
    const bad = await city.request('GET', '/api/evaluation?period=last-year');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^query\.period: /);
    const chen = await loginAs(env.app, 'chen.editor');
    expect((await chen.request('GET', `/api/evaluation?period=${YEAR}&org=funing`)).status).toBe(403);
  });
});

describe('commendations', () => {
  test('an admin commends an org and a member for a year; the list for the site is written; others may not', async () => {
    const org = await admin.request('POST', '/api/evaluation/commendations', { year: Number(YEAR), type: 'org', targetId: 'tinghu', title: '先进集体', citation: '全年回应网民关切 <b>最多</b>' });
    expect(org.status).toBe(201);
    const users = await env.deps.store.collection<{ id: string; username: string; version: number; createdAt: string; updatedAt: string }>('users').list();
    const xu = users.find((u) => u.username === 'xu.reporter')!;
    expect((await admin.request('POST', '/api/evaluation/commendations', { year: Number(YEAR), type: 'member', targetId: xu.id, title: '优秀网宣志愿者' })).status).toBe(201);
    expect((await admin.request('POST', '/api/evaluation/commendations', { year: Number(YEAR), type: 'member', targetId: 'u_nobody', title: '优秀网宣志愿者' })).status).toBe(400);
    expect((await city.request('POST', '/api/evaluation/commendations', { year: Number(YEAR), type: 'org', targetId: 'funing', title: '先进集体' })).status).toBe(403);
    const file = join(env.dir, 'honors.json');
    expect(existsSync(file)).toBe(true);
    const honors = JSON.parse(readFileSync(file, 'utf8')) as { name: string; title: string; orgName: string }[];
    expect(honors.map((h) => h.name).sort()).toEqual(['亭湖区', '徐亮'].sort());
    expect(JSON.stringify(honors)).not.toContain('xu.reporter');
    const e = await evaluate(city, `period=${YEAR}`);
    expect(e.orgs.find((r) => r.orgId === 'tinghu')!.commended).toBe('先进集体');
  });
});

describe('lianxin report yearly / circular', () => {
  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
    try {
      return { code: await main(args), out: lines.join('\n') };
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  }

  test('write the yearly evaluation and the monthly circular as Word documents', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lx-eval-cli-'));
    try {
      expect((await cli('--data', dir, 'seed', '--demo')).code).toBe(0);
      const yearly = join(dir, 'yearly.docx');
      const r = await cli('--data', dir, 'report', 'yearly', '--year', YEAR, '--out', yearly);
      expect(r.code, r.out).toBe(0);
      expect(await docText(await readFile(yearly))).toContain('单位排名');
      const circular = join(dir, 'circular.docx');
      const month = chinaDay(new Date()).slice(0, 7);
      expect((await cli('--data', dir, 'report', 'circular', '--month', month, '--out', circular)).code).toBe(0);
      expect(await docText(await readFile(circular))).toContain('下步要求');
      const csv = join(dir, 'yearly.csv');
      expect((await cli('--data', dir, 'report', 'yearly', '--year', YEAR, '--format', 'csv', '--out', csv)).code).toBe(0);
      expect(await readFile(csv, 'utf8')).toContain('亭湖区');
      const bad = await cli('--data', dir, 'report', 'circular', '--month', '2026');
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/month: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
