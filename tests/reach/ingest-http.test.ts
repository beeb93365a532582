import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Item } from '../../server/content/schema.ts';
import type { ReachRecord, Summary } from '../../server/reach/schema.ts';
import { createTestEnv, loginAs, type Client, type TestEnv } from '../helpers.ts';

const PHONE = 'Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.49';
const SITE = 'https://lianxin.example.cn';

let env: TestEnv;
let editor: Client;
let published: Item[];
let draft: Item;

const hit = (body: unknown, headers: Record<string, string> = {}) =>
  env.app.request('/api/reach/hit', { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': PHONE, 'x-test-ip': '203.0.113.9', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
  const items = await env.deps.store.collection<Item>('items').list();
  published = items.filter((i) => i.status === 'published');
  draft = items.find((i) => i.status === 'draft')!;
  // these tests count from zero: drop the demo's reach figures
  const reach = env.deps.store.collection<ReachRecord>('reach');
  for (const r of await reach.list()) await reach.remove(r.id);
});
afterAll(() => env.close());

async function beaconRows(itemId: string) {
  await env.deps.reach.flush();
  return env.deps.store.collection<ReachRecord>('reach').list((r) => r.itemId === itemId && r.source === 'beacon');
}

describe('POST /api/reach/hit', () => {
  test('counts a hit from the site origin with CORS for that origin only, and no cookie is set', async () => {
    const item = published[0]!;
    const before = (await beaconRows(item.id)).reduce((s, r) => s + r.views, 0);
    const res = await hit({ url: `${SITE}/notices/x/`, itemId: item.id, ref: 'https://m.weibo.cn/status/1' }, { origin: SITE });
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('set-cookie')).toBeNull();
    const rows = await beaconRows(item.id);
    expect(rows.reduce((s, r) => s + r.views, 0)).toBe(before + 1);
    expect(rows[0]!.referrers['m.weibo.cn']).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(rows)).not.toContain('203.0.113.9');
  });

  test('refuses another origin with 403 and counts nothing', async () => {
    const item = published[0]!;
    const before = (await beaconRows(item.id)).reduce((s, r) => s + r.views, 0);
    const res = await hit({ url: 'x', itemId: item.id }, { origin: 'https://evil.example.com' });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect((await beaconRows(item.id)).reduce((s, r) => s + r.views, 0)).toBe(before);
    const pre = await env.app.request('/api/reach/hit', { method: 'OPTIONS', headers: { origin: SITE, 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(SITE);
  });

  test('one reader is one unique a day however often they read; another reader is another', async () => {
    const item = published[1]!;
    for (let i = 0; i < 3; i++) expect((await hit({ url: 'x', itemId: item.id })).status).toBe(202);
    expect((await hit({ url: 'x', itemId: item.id }, { 'x-test-ip': '198.51.100.4' })).status).toBe(202);
    const rows = await beaconRows(item.id);
    expect(rows.reduce((s, r) => s + r.views, 0)).toBe(4);
    expect(rows.reduce((s, r) => s + r.uniques, 0)).toBe(2);
  });

  test('robots, empty user agents, DNT and Sec-GPC are answered 204 and not counted', async () => {
    const item = published[2]!;
    const before = (await beaconRows(item.id)).reduce((s, r) => s + r.views, 0);
    const answers = await Promise.all([
      hit({ url: 'x', itemId: item.id }, { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }),
      hit({ url: 'x', itemId: item.id }, { 'user-agent': 'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)' }),
      hit({ url: 'x', itemId: item.id }, { 'user-agent': '' }),
      hit({ url: 'x', itemId: item.id }, { dnt: '1' }),
      hit({ url: 'x', itemId: item.id }, { 'sec-gpc': '1' }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([204, 204, 204, 204, 204]);
    expect((await beaconRows(item.id)).reduce((s, r) => s + r.views, 0)).toBe(before);
  });

  test('bad bodies get 400 naming the field; unpublished or unknown items 404; nothing is counted', async () => {
    const cases: [unknown, number, RegExp][] = [
      ['not json', 400, /^body: /],
      [{ url: 'x' }, 400, /^itemId: /],
      [{ url: 'x', itemId: '../../etc/passwd' }, 400, /^itemId: /],
      [{ url: 'x', itemId: '<script>alert(1)</script>' }, 400, /^itemId: /],
      [{ url: 'x'.repeat(5000), itemId: published[0]!.id }, 400, /^body: /],
      [{ url: 'x', itemId: draft.id }, 404, /^itemId: /],
      [{ url: 'x', itemId: 'it_nope' }, 404, /^itemId: /],
    ];
    for (const [body, status, message] of cases) {
      const res = await hit(body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(await beaconRows(draft.id)).toEqual([]);
  });

  test('a hit with a workbench session cookie still counts (no CSRF token needed)', async () => {
    const item = published[0]!;
    const before = (await beaconRows(item.id)).reduce((s, r) => s + r.views, 0);
    expect((await hit({ url: 'x', itemId: item.id }, { cookie: editor.cookie })).status).toBe(202);
    expect((await beaconRows(item.id)).reduce((s, r) => s + r.views, 0)).toBe(before + 1);
  });
});

describe('GET /api/reach/pixel.gif', () => {
  test('the no-JS pixel answers a GIF and counts the read', async () => {
    const item = published[0]!;
    const before = (await beaconRows(item.id)).reduce((s, r) => s + r.views, 0);
    const res = await env.app.request(`/api/reach/pixel.gif?item=${item.id}`, { headers: { 'user-agent': PHONE, 'x-test-ip': '192.0.2.77' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(new Uint8Array(await res.arrayBuffer()).slice(0, 6)).toEqual(new TextEncoder().encode('GIF89a'));
    expect((await beaconRows(item.id)).reduce((s, r) => s + r.views, 0)).toBe(before + 1);
    // nonsense still gets the image, and counts nothing
    expect((await env.app.request('/api/reach/pixel.gif?item=..%2F..', { headers: { 'user-agent': PHONE } })).status).toBe(200);
  });
});

describe('short links /r/<code>', () => {
  test('a short link per item and channel counts clicks and redirects to the item page', async () => {
    const item = published[0]!;
    const res = await editor.request('POST', '/api/reach/links', { itemId: item.id, channel: 'wechat' });
    expect(res.status).toBe(201);
    const link = (await res.json()) as { id: string; url: string; target: string };
    expect(link.url).toBe(`${SITE}/r/${link.id}`);
    // asking again gives the same link
    expect(((await (await editor.request('POST', '/api/reach/links', { itemId: item.id, channel: 'wechat' })).json()) as { id: string }).id).toBe(link.id);

    for (let i = 0; i < 3; i++) {
      const go = await env.app.request(`/r/${link.id}`, { headers: { 'user-agent': PHONE, 'x-test-ip': `192.0.2.${i}` } });
      expect(go.status).toBe(302);
      expect(go.headers.get('location')).toBe(`${SITE}${link.target}`);
    }
    // a link-preview robot is redirected but not counted
    expect((await env.app.request(`/r/${link.id}`, { headers: { 'user-agent': 'facebookexternalhit/1.1' } })).status).toBe(302);
    await env.deps.reach.flush();
    const summary = (await (await editor.request('GET', `/api/reach/summary?itemId=${item.id}&channel=wechat`)).json()) as Summary;
    expect(summary.clicks).toBe(3);
    expect(summary.byChannel.wechat!.clicks).toBe(3);
    expect((await env.app.request('/r/zzzzzzz')).status).toBe(404);
    expect((await env.app.request('/r/..%2F..')).status).toBe(404);
  });

  test('links only for published items, by editors', async () => {
    expect((await editor.request('POST', '/api/reach/links', { itemId: draft.id, channel: 'weibo' })).status).toBe(400);
    const reporter = await loginAs(env.app, 'xu.reporter');
    expect((await reporter.request('POST', '/api/reach/links', { itemId: published[0]!.id, channel: 'weibo' })).status).toBe(403);
    expect((await editor.request('POST', '/api/reach/links', { itemId: published[0]!.id, channel: 'tiktok' })).status).toBe(400);
  });
});

describe('summary and manual entry', () => {
  test('manual entry for one item and day replaces itself and shows in the summary by channel and day', async () => {
    const item = published[1]!;
    const entry = { itemId: item.id, day: '2025-06-01', channel: 'wechat', views: 5000, uniques: 4200, shares: 300, likes: 80 };
    expect((await editor.request('POST', '/api/reach/manual', entry)).status).toBe(200);
    expect((await editor.request('POST', '/api/reach/manual', { ...entry, views: 5200 })).status).toBe(200);
    const s = (await (await editor.request('GET', `/api/reach/summary?itemId=${item.id}&from=2025-06-01&to=2025-06-01`)).json()) as Summary;
    expect(s.views).toBe(5200);
    expect(s.shares).toBe(300);
    expect(s.byChannel.wechat!.uniques).toBe(4200);
    expect(s.byDay).toEqual([{ day: '2025-06-01', views: 5200, uniques: 4200, shares: 300 }]);
    const bad = await editor.request('POST', '/api/reach/manual', { ...entry, views: -1 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^views: /);
    expect((await editor.request('POST', '/api/reach/manual', { ...entry, day: '2026-13-40' })).status).toBe(400);
  });

  test('summary per org includes the orgs below it; per column filters by kind', async () => {
    const city = (await (await editor.request('GET', '/api/reach/summary?org=yc')).json()) as Summary;
    const district = (await (await editor.request('GET', '/api/reach/summary?org=tinghu')).json()) as Summary;
    const all = (await (await editor.request('GET', '/api/reach/summary')).json()) as Summary;
    expect(city.views).toBe(all.views);
    expect(district.views).toBeLessThanOrEqual(city.views);
    const rumors = (await (await editor.request('GET', '/api/reach/summary?column=rumors')).json()) as Summary;
    const notices = (await (await editor.request('GET', '/api/reach/summary?column=notices')).json()) as Summary;
    const videos = (await (await editor.request('GET', '/api/reach/summary?column=videos')).json()) as Summary;
    expect(rumors.views + notices.views + videos.views).toBe(all.views);
    expect((await editor.request('GET', '/api/reach/summary?from=2026-12-01&to=2026-11-01')).status).toBe(400);
    expect((await env.app.request('/api/reach/summary')).status).toBe(401);
  });
});
