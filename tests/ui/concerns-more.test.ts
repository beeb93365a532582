import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, type TestEnv, formBody as form } from '../helpers.ts';
import { itemsOf } from '../../server/content/service.ts';
import { concernsOf, createConcern } from '../../server/concerns/service.ts';
import { getConcernSettings } from '../../server/concerns/settings.ts';
import { isoWeekOf, previousWeek, weekRange } from '../../server/concerns/week.ts';
import { suggestGroups } from '../../server/groups/suggest.ts';
import { groupsOf } from '../../server/groups/service.ts';
import type { User } from '../../server/users/schema.ts';

let env: TestEnv;
let week: string;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  week = isoWeekOf(env.deps.clock());
});
afterAll(async () => {
  await env?.close();
});

const get = async (path: string, cookie: string, t: TestEnv = env) => {
  const res = await t.app.request(path, { headers: { cookie } });
  return { status: res.status, html: await res.text() };
};
const post = (path: string, cookie: string, body: URLSearchParams) => env.app.request(path, { method: 'POST', headers: { cookie }, body });
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
/** Follows a form action's redirect carrying its flash cookie; returns the page shown. */
const follow = async (res: Response, cookie: string) => get(res.headers.get('location')!, `${cookie}; ${(res.headers.get('set-cookie') ?? '').split(';')[0]}`);
/** The action URL and the HTML of the first form whose action starts with `action`. */
const formAt = (html: string, action: string): { url: string; chunk: string } => {
  const start = html.indexOf(`action="${action}`);
  expect(start).toBeGreaterThan(-1);
  return { url: unescape(/action="([^"]+)"/.exec(html.slice(start))![1]!), chunk: html.slice(start, html.indexOf('</form>', start)) };
};
const values = (chunk: string, re: RegExp) => [...chunk.matchAll(re)].map((m) => m[1]!);
/** Groups and where each concern sits: to show that a refused action changed nothing. */
const snapshot = async () => JSON.stringify({ groups: (await groupsOf(env.deps).list()).map((g) => [g.id, g.version, [...g.concernIds].sort()]).sort(), concerns: (await concernsOf(env.deps).list()).map((c) => [c.id, c.groupId ?? null]).sort() });
const userNamed = async (username: string) => (await env.deps.store.collection<User>('users').list((u) => u.username === username))[0]!;

describe('moving concerns between groups and splitting a group', () => {
  let sourceId: string;
  let otherId: string;
  /** Two groups of wang's org (funing) this week, from concerns not grouped yet. */
  beforeAll(async () => {
    const wang = await loginAs(env.app, 'wang.editor');
    const funing = (await userNamed('wang.editor')).orgId;
    const loose = (await concernsOf(env.deps).list((c) => c.week === week && !c.groupId && c.orgId === funing)).slice(0, 6);
    expect(loose.length).toBe(6);
    for (const [title, part] of [['待拆分的分组', loose.slice(0, 4)], ['移入目标分组', loose.slice(4)]] as const) {
      const res = await post(`/workbench/groups/accept?week=${week}`, wang.cookie, form({ _csrf: wang.csrf, week, title, concernIds: part.map((c) => c.id) }));
      expect(res.status).toBe(303);
    }
    sourceId = (await groupsOf(env.deps).list((g) => g.title === '待拆分的分组'))[0]!.id;
    otherId = (await groupsOf(env.deps).list((g) => g.title === '移入目标分组'))[0]!.id;
  });

  test('checked concerns move to the group chosen in 移到分组', async () => {
    const wang = await loginAs(env.app, 'wang.editor');
    const page = await get(`/workbench/groups?week=${week}`, wang.cookie);
    const { url, chunk } = formAt(page.html, `/workbench/groups/${sourceId}/move`);
    expect(chunk).toContain('移到分组');
    const boxes = values(chunk, /type="checkbox"[^>]*name="concernIds" value="([^"]+)"/g);
    expect(boxes.length).toBeGreaterThan(2);
    expect(values(chunk, /<option value="([^"]+)"/g)).toContain(otherId);
    const res = await post(url, wang.cookie, form({ _csrf: wang.csrf, concernIds: boxes[0]!, to: otherId, mode: 'move' }));
    expect(res.status).toBe(303);
    expect((await follow(res, wang.cookie)).html).toContain('已把 1 条关切移到「移入目标分组」');
    expect((await groupsOf(env.deps).get(sourceId))!.concernIds).not.toContain(boxes[0]);
    expect((await groupsOf(env.deps).get(otherId))!.concernIds).toContain(boxes[0]);
    expect((await concernsOf(env.deps).get(boxes[0]!))!.groupId).toBe(otherId);
  });

  test('拆分为新分组 makes a new group of the checked concerns under the given title', async () => {
    const wang = await loginAs(env.app, 'wang.editor');
    const before = (await groupsOf(env.deps).get(sourceId))!.concernIds;
    const picked = before.slice(0, 2);
    const res = await post(`/workbench/groups/${sourceId}/move?week=${week}`, wang.cookie, form({ _csrf: wang.csrf, concernIds: picked, to: otherId, title: '校车接送时间', mode: 'split' }));
    expect(res.headers.get('location')).toBe(`/workbench/groups?week=${week}`);
    const split = (await groupsOf(env.deps).list((g) => g.title === '校车接送时间'))[0]!;
    expect(split).toMatchObject({ week, orgId: (await groupsOf(env.deps).get(sourceId))!.orgId });
    expect([...split.concernIds].sort()).toEqual([...picked].sort());
    expect((await groupsOf(env.deps).get(sourceId))!.concernIds).toEqual(before.slice(2));
    for (const id of picked) expect((await concernsOf(env.deps).get(id))!.groupId).toBe(split.id);
    expect((await groupsOf(env.deps).get(otherId))!.concernIds.some((id) => picked.includes(id))).toBe(false);
  });

  test('no concern checked, an unknown target or a split without title is refused naming the field, and nothing changes', async () => {
    const wang = await loginAs(env.app, 'wang.editor');
    const member = (await groupsOf(env.deps).get(sourceId))!.concernIds[0]!;
    const before = await snapshot();
    const cases: [Record<string, string | string[]>, string][] = [
      [{ to: otherId, mode: 'move' }, 'concernIds: 至少选择一条关切'],
      [{ concernIds: member, to: 'grp_nosuchgroup', mode: 'move' }, 'to: 目标分组 grp_nosuchgroup 不存在'],
      [{ concernIds: member, title: '  ', mode: 'split' }, 'title: 拆分出新分组时需要标题'],
      [{ concernIds: 'cn_notinthisgroup', to: otherId, mode: 'move' }, 'concernIds.0: 关切 cn_notinthisgroup 不在分组'],
    ];
    for (const [fields, message] of cases) {
      const res = await post(`/workbench/groups/${sourceId}/move?week=${week}`, wang.cookie, form({ _csrf: wang.csrf, ...fields }));
      expect(res.headers.get('location')).toBe(`/workbench/groups?week=${week}`);
      const page = await follow(res, wang.cookie);
      expect(page.html).toContain('flash-error');
      expect(page.html).toContain(message);
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('continuing a group from the previous week', () => {
  test('a group accepted as a continuation shows 延续自上周 with a link to last week’s group', async () => {
    const wang = await loginAs(env.app, 'wang.editor');
    const funing = (await userNamed('wang.editor')).orgId;
    const last = previousWeek(week);
    const prev = await groupsOf(env.deps).insert({ id: 'grp_lastweek', title: '上周的菜场污水', summary: '', concernIds: [], week: last, orgId: funing, decision: '', feedback: [], itemIds: [], createdBy: 'test' });
    const loose = (await concernsOf(env.deps).list((c) => c.week === week && !c.groupId && c.orgId === funing))[0]!;
    const res = await post(`/workbench/groups/accept?week=${week}`, wang.cookie, form({ _csrf: wang.csrf, week, title: '菜场污水（续）', concernIds: loose.id, continuesFrom: prev.id }));
    expect(res.status).toBe(303);
    const group = (await groupsOf(env.deps).list((g) => g.title === '菜场污水（续）'))[0]!;
    expect(group.continuesFrom).toBe(prev.id);
    const page = await get(`/workbench/groups?week=${week}`, wang.cookie);
    const card = page.html.slice(page.html.indexOf(`data-group="${group.id}"`));
    expect(card.slice(0, card.indexOf('</article>'))).toContain(`延续自上周：<a href="/workbench/groups?week=${last}#g-${prev.id}">上周的菜场污水</a>`);
  });
});

describe('continuing a suggestion from the previous week', () => {
  test('a suggestion like last week’s group offers 延续上周 (checked), and accepting it links the two; unchecked it does not', async () => {
    const wang = await loginAs(env.app, 'wang.editor');
    const actor = await userNamed('wang.editor');
    const last = previousWeek(week);
    // last week's group said what this week's first suggestion says
    const suggestion = (await suggestGroups({ deps: env.deps, actor, week })).groups[0]!;
    const at = new Date(weekRange(last).start.getTime() + 86_400_000).toISOString();
    const old = [];
    for (const text of suggestion.quotes) old.push(await createConcern({ deps: env.deps, actor, input: { text, platform: 'weibo', category: '其他', capturedAt: at } }));
    const prev = await groupsOf(env.deps).insert({ id: 'grp_lastweek_suggest', title: suggestion.title.slice(0, 100), summary: '', concernIds: old.map((c) => c.id), week: last, orgId: actor.orgId, decision: '', feedback: [], itemIds: [], createdBy: 'test' });
    for (const c of old) await concernsOf(env.deps).update(c.id, undefined, (x) => ({ ...x, groupId: prev.id }));

    const page = await get(`/workbench/groups?week=${week}`, wang.cookie);
    const { url, chunk } = formAt(page.html, '/workbench/groups/accept');
    expect(chunk).toMatch(new RegExp(`<input type="checkbox"[^>]*name="continuesFrom" value="${prev.id}" checked`));
    expect(chunk).toContain(`延续上周「${prev.title}」`);
    const ids = values(chunk, /type="hidden" name="concernIds" value="([^"]+)"/g);
    expect([...ids].sort()).toEqual([...suggestion.concernIds].sort());
    // submitted as rendered (box checked): the group continues last week's
    const res = await post(url, wang.cookie, form({ _csrf: wang.csrf, week, title: '延续的建议分组', concernIds: ids.slice(0, 1), continuesFrom: prev.id }));
    expect(res.status).toBe(303);
    expect((await groupsOf(env.deps).list((g) => g.title === '延续的建议分组'))[0]!.continuesFrom).toBe(prev.id);
    // box unchecked: a plain group
    const plain = await post(url, wang.cookie, form({ _csrf: wang.csrf, week, title: '不延续的建议分组', concernIds: ids.slice(1, 2) }));
    expect(plain.status).toBe(303);
    expect((await groupsOf(env.deps).list((g) => g.title === '不延续的建议分组'))[0]!.continuesFrom).toBeUndefined();
  });
});

describe('escalation to the parent org and its feedback (逐级上报、逐级反馈)', () => {
  test('a district escalates a group, the city sees it in 下级上报, and its feedback lands on the group and its concerns', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const li = await loginAs(env.app, 'li.reviewer');
    const group = (await groupsOf(env.deps).list((g) => g.title === '校车超载与接送安全'))[0]!;
    const empty = await get('/workbench/groups/escalated', li.cookie);
    expect(empty.html).toContain('下级组织还没有上报分组');
    const page = await get(`/workbench/groups?week=${week}`, chen.cookie);
    const { url } = formAt(page.html, `/workbench/groups/${group.id}/escalate`);
    expect((await post(url, chen.cookie, form({ _csrf: chen.csrf, note: '涉及市教育局统筹校车运力' }))).status).toBe(303);
    expect((await groupsOf(env.deps).get(group.id))!.escalatedTo).toBe((await userNamed('li.reviewer')).orgId);

    const queue = await get('/workbench/groups/escalated', li.cookie);
    expect(queue.status).toBe(200);
    expect(queue.html).toContain(`data-escalated="${group.id}"`);
    expect(queue.html).toContain('上报说明：涉及市教育局统筹校车运力');
    expect(queue.html).toContain('>待反馈</span>');
    expect(queue.html).toContain('aria-current="page">下级上报</a>');
    // the district's own queue holds nothing: it escalated, it did not receive
    expect((await get('/workbench/groups/escalated', chen.cookie)).html).not.toContain(`data-escalated="${group.id}"`);

    const fb = formAt(queue.html, `/workbench/groups/${group.id}/feedback`);
    const text = '请亭湖区先排查全部校车核载情况，周五前报市教育局';
    const res = await post(fb.url, li.cookie, form({ _csrf: li.csrf, text }));
    expect(res.headers.get('location')).toBe('/workbench/groups/escalated');
    const after = await follow(res, li.cookie);
    expect(after.html).toContain('>已反馈</span>');
    expect(after.html).toContain(`反馈：${text}`);
    const stored = (await groupsOf(env.deps).get(group.id))!;
    expect(stored.feedback.map((f) => f.text)).toEqual([text]);
    expect(stored.concernIds.length).toBeGreaterThan(0);
    for (const id of stored.concernIds) expect((await concernsOf(env.deps).get(id))!.feedback.map((f) => f.text)).toContain(text);
    // and the district sees it on its own 每周会办 page
    expect((await get(`/workbench/groups?week=${week}`, chen.cookie)).html).toContain(`反馈：${text}`);
  });
});

describe('the monthly 网民关切回应 digest', () => {
  test('the button on the reports page makes a draft notice and opens its editor; a month without answers is refused', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const page = await get(`/workbench/reports?week=${week}`, chen.cookie);
    const { url, chunk } = formAt(page.html, '/workbench/reports/monthly-digest');
    const month = values(chunk, /name="month" value="([^"]+)"/g)[0]!;
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    const bad = await post(url, chen.cookie, form({ _csrf: chen.csrf, month: '2020-01' }));
    expect((await follow(bad, chen.cookie)).html).toContain('month: 2020-01 没有已回应的分组');
    const itemsBefore = (await itemsOf(env.deps).list()).length;
    const res = await post(url, chen.cookie, form({ _csrf: chen.csrf, month }));
    expect(res.status).toBe(303);
    const match = /^\/workbench\/items\/([^/]+)\/edit$/.exec(res.headers.get('location')!);
    expect(match).not.toBeNull();
    expect((await itemsOf(env.deps).list()).length).toBe(itemsBefore + 1);
    const item = (await itemsOf(env.deps).get(match![1]!))!;
    expect(item).toMatchObject({ kind: 'notice', status: 'draft', tags: ['网民关切回应'] });
    expect(item.title).toContain('网民关切回应');
    expect(item.groupIds).toContain((await groupsOf(env.deps).list((g) => g.title === '校车超载与接送安全'))[0]!.id);
    expect((await get(res.headers.get('location')!, chen.cookie)).status).toBe(200);
  });
});

describe('concern categories (admin)', () => {
  test('an admin edits the categories and the intake form offers the new one', async () => {
    const admin = await loginAs(env.app, 'admin');
    const page = await get('/workbench/admin/categories', admin.cookie);
    expect(page.status).toBe(200);
    const { url, chunk } = formAt(page.html, '/workbench/admin/categories');
    const current = /<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(chunk)![1]!.split('\n');
    expect(current).toContain('党风廉政');
    const version = values(chunk, /name="version" value="([^"]+)"/g)[0]!;
    const res = await post(url, admin.cookie, form({ _csrf: admin.csrf, version, categories: [...current, '文化旅游'].join('\r\n') }));
    expect((await follow(res, admin.cookie)).html).toContain(`已保存 ${current.length + 1} 个类别`);
    expect((await getConcernSettings({ deps: env.deps })).categories).toEqual([...current, '文化旅游']);
    expect((await get('/workbench/concerns', admin.cookie)).html).toContain('<option value="文化旅游">文化旅游</option>');
    // dropping 其他 is refused, naming the field, and keeps the list
    const again = formAt((await get('/workbench/admin/categories', admin.cookie)).html, '/workbench/admin/categories');
    const bad = await post(again.url, admin.cookie, form({ _csrf: admin.csrf, version: values(again.chunk, /name="version" value="([^"]+)"/g)[0]!, categories: '教育\n交通' }));
    expect((await follow(bad, admin.cookie)).html).toContain('categories: 必须保留「其他」类别');
    expect((await getConcernSettings({ deps: env.deps })).categories).toContain('文化旅游');
  });

  test('a non-admin gets 403 on the page, the form action and the API', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const before = await getConcernSettings({ deps: env.deps });
    expect((await get('/workbench/admin/categories', chen.cookie)).status).toBe(403);
    expect((await post('/workbench/admin/categories', chen.cookie, form({ _csrf: chen.csrf, categories: '其他' }))).status).toBe(403);
    expect((await chen.request('PUT', '/api/concerns/settings', { categories: ['其他'] })).status).toBe(403);
    expect(await getConcernSettings({ deps: env.deps })).toEqual(before);
  });
});

describe('overdue concerns', () => {
  test('a concern received more than config.responseDays days ago is marked overdue on the list; a newer one is not', async () => {
    const now = new Date('2026-11-20T04:00:00Z');
    const t = await createTestEnv({ clock: () => now, config: { responseDays: 5 } });
    try {
      const admin = (await t.deps.store.collection<User>('users').list((u) => u.username === 'admin'))[0]!;
      const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
      const old = await createConcern({ deps: t.deps, actor: admin, input: { text: '小区门口的坑洼一个多星期没人修', platform: 'weibo', category: '城建', capturedAt: daysAgo(6) } });
      const fresh = await createConcern({ deps: t.deps, actor: admin, input: { text: '公交站台的遮雨棚漏水', platform: 'hotline', category: '交通', capturedAt: daysAgo(4) } });
      const session = await loginAs(t.app, 'admin');
      const list = await get('/workbench/concerns?week=', session.cookie, t);
      const row = (id: string) => {
        const at = list.html.indexOf(`href="/workbench/concerns/${id}"`);
        expect(at).toBeGreaterThan(-1);
        const start = list.html.lastIndexOf('<tr', at);
        return list.html.slice(start, list.html.indexOf('</tr>', at));
      };
      expect(row(old.id)).toMatch(/^<tr class="overdue"/);
      expect(row(old.id)).toContain('已超过 5 天未回应');
      expect(row(fresh.id)).not.toContain('overdue');
      const only = await get('/workbench/concerns?week=&overdue=true', session.cookie, t);
      expect(only.html).toContain(old.id);
      expect(only.html).not.toContain(fresh.id);
    } finally {
      await t.close();
    }
  });
});
