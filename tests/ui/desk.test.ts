import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, type TestEnv, formBody as form } from '../helpers.ts';
import { concernsOf, createConcern } from '../../server/concerns/service.ts';
import { isoWeekOf, nextWeek, previousWeek } from '../../server/concerns/week.ts';
import { suggestGroups } from '../../server/groups/suggest.ts';
import { groupsOf } from '../../server/groups/service.ts';
import { descendantIds } from '../../server/orgs/service.ts';
import type { User } from '../../server/users/schema.ts';

let env: TestEnv;
let week: string;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  week = isoWeekOf(env.deps.clock());
  // One-off concerns no suggestion will take: they must still be on the desk.
  const chen = await userNamed('chen.editor');
  for (const text of ['五星街道某小区门口的路灯坏了一个月', '希望青少年宫周末开放自习室', '建军路公交站台的广告牌玻璃碎了', '亭湖区图书馆能不能延长开放时间']) {
    await createConcern({ deps: env.deps, actor: chen, input: { text, platform: 'weibo', district: '亭湖区' } });
  }
});
afterAll(async () => {
  await env?.close();
});

const get = async (path: string, cookie: string) => {
  const res = await env.app.request(path, { headers: { cookie } });
  return { status: res.status, html: await res.text() };
};
const post = (path: string, cookie: string, body: URLSearchParams) => env.app.request(path, { method: 'POST', headers: { cookie }, body });
const follow = async (res: Response, cookie: string) => get(res.headers.get('location')!, `${cookie}; ${(res.headers.get('set-cookie') ?? '').split(';')[0]}`);
const userNamed = async (username: string) => (await env.deps.store.collection<User>('users').list((u) => u.username === username))[0]!;
const snapshot = async () => JSON.stringify({ groups: (await groupsOf(env.deps).list()).map((g) => [g.id, g.decision, g.escalatedTo ?? null, [...g.concernIds].sort()]).sort(), concerns: (await concernsOf(env.deps).list()).map((c) => [c.id, c.groupId ?? null]).sort() });

describe('every concern of the week is on the desk', () => {
  test('concerns in no suggestion are listed with checkboxes and become a new group, then undo puts them back', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const actor = await userNamed('chen.editor');
    const suggested = await suggestGroups({ deps: env.deps, actor, week });
    const page = await get(`/workbench/groups?week=${week}`, chen.cookie);
    // Every ungrouped concern is on the page with a checkbox.
    for (const u of suggested.ungrouped) expect(page.html).toContain(`data-ungrouped-concern="${u.id}"`);
    const picked = suggested.ungrouped.slice(0, 2).map((u) => u.id);
    expect(picked.length).toBe(2);
    const before = await snapshot();
    const res = await post(`/workbench/groups/ungrouped?week=${week}`, chen.cookie, form({ _csrf: chen.csrf, week, title: '手动归类的一组', concernIds: picked, mode: 'new' }));
    expect(res.status).toBe(303);
    const after = await follow(res, chen.cookie);
    expect(after.html).toContain('已新建分组「手动归类的一组」（2 条）');
    const group = (await groupsOf(env.deps).list((g) => g.title === '手动归类的一组'))[0]!;
    for (const id of picked) expect((await concernsOf(env.deps).get(id))!.groupId).toBe(group.id);
    // The page offers to undo it; undoing restores groups and concerns exactly.
    const undoId = /data-undo="([^"]+)"/.exec(after.html)![1]!;
    expect(after.html).toContain('最近的操作：新建分组「手动归类的一组」');
    const undone = await post(`/workbench/groups/undo/${undoId}?week=${week}`, chen.cookie, form({ _csrf: chen.csrf }));
    expect((await follow(undone, chen.cookie)).html).toContain('已撤销：新建分组「手动归类的一组」');
    expect(await snapshot()).toBe(before);
    // An undo cannot be replayed.
    const again = await post(`/workbench/groups/undo/${undoId}?week=${week}`, chen.cookie, form({ _csrf: chen.csrf }));
    expect((await follow(again, chen.cookie)).html).toContain('已撤销过');
    expect(await snapshot()).toBe(before);
  });

  test("the week's concerns a parent org grouped are listed with that org and group, so the desk accounts for every one", async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const actor = await userNamed('chen.editor');
    const scope = await descendantIds({ deps: env.deps, id: actor.orgId });
    const mine = await concernsOf(env.deps).list((c) => c.week === week && scope.has(c.orgId));
    const groups = await groupsOf(env.deps).list();
    const heldAbove = mine.filter((c) => c.groupId && !scope.has(groups.find((g) => g.id === c.groupId)!.orgId));
    // the demo's city team grouped three district concerns (the 高考 rumour) in its own group
    expect(heldAbove.length).toBeGreaterThan(0);
    const page = await get(`/workbench/groups?week=${week}`, chen.cookie);
    const section = page.html.slice(page.html.indexOf('data-elsewhere'));
    expect(page.html).toContain(`在其他组织分组中的关切 <span class="count">${heldAbove.length}</span>`);
    for (const c of heldAbove) {
      const holder = groups.find((g) => g.id === c.groupId)!;
      expect(section).toContain(`/workbench/concerns/${c.id}`);
      expect(section).toContain(holder.title);
    }
    // every concern of the week in this org's scope is somewhere on the page
    for (const c of mine) expect(page.html).toContain(c.id);
  });

  test('加入分组 on a concern page adds it to a group of its week and returns to the concern', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const actor = await userNamed('chen.editor');
    const loose = (await concernsOf(env.deps).list((c) => c.week === week && !c.groupId && c.orgId === actor.orgId)).slice(0, 2);
    const made = await post(`/workbench/groups/ungrouped?week=${week}`, chen.cookie, form({ _csrf: chen.csrf, week, title: '目标分组', concernIds: [loose[0]!.id], mode: 'new' }));
    expect(made.status).toBe(303);
    const target = (await groupsOf(env.deps).list((g) => g.title === '目标分组'))[0]!;
    const page = await get(`/workbench/concerns/${loose[1]!.id}`, chen.cookie);
    expect(page.html).toContain('data-add-to-group');
    expect(page.html).toContain(`<option value="${target.id}">`);
    const next = `/workbench/concerns/${loose[1]!.id}`;
    const res = await post(`/workbench/groups/ungrouped?${new URLSearchParams({ week, next })}`, chen.cookie, form({ _csrf: chen.csrf, week, to: target.id, concernIds: [loose[1]!.id], mode: 'add' }));
    expect(res.headers.get('location')).toBe(next);
    expect((await groupsOf(env.deps).get(target.id))!.concernIds).toContain(loose[1]!.id);
    // A concern already in a group cannot be added again: a clear message, nothing changed.
    const before = await snapshot();
    const twice = await post(`/workbench/groups/ungrouped?${new URLSearchParams({ week, next })}`, chen.cookie, form({ _csrf: chen.csrf, week, to: target.id, concernIds: [loose[1]!.id], mode: 'add' }));
    expect((await follow(twice, chen.cookie)).html).toContain('concernIds.0: 关切');
    expect(await snapshot()).toBe(before);
  });

  test('起草微公告 saves the typed 会办决定 before drafting', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const target = (await groupsOf(env.deps).list((g) => g.title === '目标分组'))[0]!;
    const res = await post(`/workbench/groups/${target.id}/items?week=${week}&kind=notice`, chen.cookie, form({ _csrf: chen.csrf, version: String(target.version), title: target.title, decision: '由团区委联系街道，本周五前回复', kind: 'notice' }));
    expect(res.status).toBe(303);
    expect((await groupsOf(env.deps).get(target.id))!.decision).toBe('由团区委联系街道，本周五前回复');
  });

  test('merge and escalate ask for confirmation, and both can be undone', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const page = await get(`/workbench/groups?week=${week}`, chen.cookie);
    expect(page.html).toMatch(/data-confirm="确定把所选分组并入本组吗/);
    expect(page.html).toMatch(/data-confirm="确定上报/);
    const target = (await groupsOf(env.deps).list((g) => g.title === '目标分组'))[0]!;
    const before = await snapshot();
    const res = await post(`/workbench/groups/${target.id}/escalate?week=${week}`, chen.cookie, form({ _csrf: chen.csrf, note: '需市级协调' }));
    const shown = await follow(res, chen.cookie);
    expect((await groupsOf(env.deps).get(target.id))!.escalatedTo).toBeDefined();
    const undoId = /data-undo="([^"]+)"/.exec(shown.html)![1]!;
    await post(`/workbench/groups/undo/${undoId}?week=${week}`, chen.cookie, form({ _csrf: chen.csrf }));
    expect((await groupsOf(env.deps).get(target.id))!.escalatedTo).toBeUndefined();
    expect(await snapshot()).toBe(before);
  });

  test('suggested groups show the key words their members share', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const actor = await userNamed('chen.editor');
    for (const text of ['青年路地道积水一米深，车都熄火了 #盐城暴雨#', '转发微博//@亭湖小妹:青年路下穿又淹了，积水没人抽', '青年路地下通道积水两天了还没排掉 http://t.cn/A6x'])
      await createConcern({ deps: env.deps, actor, input: { text, platform: 'weibo', district: '亭湖区' } });
    const page = await get(`/workbench/groups?week=${week}`, chen.cookie);
    expect(page.html).toContain('data-suggestion');
    expect(page.html).toMatch(/共同关键词：[^<]*<mark>[^<]*青年路/);
  });

  test('week arrows move a week back and forth, across a year boundary too', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const page = await get(`/workbench/groups?week=${week}`, chen.cookie);
    expect(page.html).toContain(`href="/workbench/groups?week=${previousWeek(week)}" rel="prev"`);
    expect(page.html).toContain(`href="/workbench/groups?week=${nextWeek(week)}" rel="next"`);
    expect(nextWeek('2026-W53')).toBe('2027-W01');
    expect(previousWeek('2027-W01')).toBe('2026-W53');
    expect(nextWeek('2025-W52')).toBe('2026-W01');
  });
});
