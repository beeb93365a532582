import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Concern } from '../../server/concerns/schema.ts';
import type { Group } from '../../server/groups/schema.ts';
import type { SuggestionView } from '../../server/groups/suggest.ts';
import type { WeeklyReport } from '../../server/reports/schema.ts';
import { setupApp, type Client } from './setup.ts';

const WEEK = '2026-W48';
type Suggestions = { week: string; groups: SuggestionView[]; ungrouped: { id: string }[] };

describe('the weekly loop over HTTP: suggest → accept → report → escalate → answer', () => {
  let ctx: Awaited<ReturnType<typeof setupApp>>;
  let li: Client; // city editor + reviewer
  let wang: Client; // editor, 阜宁县
  beforeAll(async () => {
    ctx = await setupApp();
    li = await ctx.as('li.reviewer');
    wang = await ctx.as('wang.editor');
  });
  afterAll(() => ctx.close());

  test('the demo week already has the 校车 and 高考 groups, answered by the demo items', async () => {
    const { groups } = (await (await li(`/api/groups?week=${WEEK}`)).json()) as { groups: Group[] };
    const bus = groups.find((g) => g.title.includes('校车'))!;
    const gaokao = groups.find((g) => g.title.includes('高考'))!;
    expect(bus.itemIds).toHaveLength(1);
    expect(gaokao.itemIds).toHaveLength(1);
    const { concerns } = (await (await li(`/api/concerns?group=${gaokao.id}`)).json()) as { concerns: Concern[] };
    expect(concerns.length).toBeGreaterThanOrEqual(5);
    expect(concerns.every((c) => c.status === 'answered' && c.answer?.via === 'item' && c.answer.url?.startsWith('/rumors/'))).toBe(true);
  });

  test('suggests groups for the rest of the demo week: titled, quoted, each concern in at most one group', async () => {
    const res = await wang(`/api/groups/suggest?week=${WEEK}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Suggestions;
    expect(body.groups.length).toBeGreaterThanOrEqual(5);
    const ids = body.groups.flatMap((g) => g.concerns.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const g of body.groups) {
      expect(g.title).not.toBe('');
      expect(g.quotes.length).toBeGreaterThan(0);
      expect(g.size).toBe(g.concerns.length);
    }
    // The disaster-relief concerns of the demo come together.
    const relief = body.groups.find((g) => g.concerns.filter((c) => /物资|捐/.test(c.text)).length >= 3);
    expect(relief).toBeDefined();
    expect(relief!.concerns.every((c) => /物资|捐|受灾|灾区|救/.test(c.text))).toBe(true);
  });

  test('a suggestion that goes on from last week points at last week\'s group', async () => {
    const lastWeek = ['陈良镇受灾群众的救灾物资什么时候到？', '想给灾区捐物资，哪个渠道靠谱？求官方渠道', '救灾物资发放不及时，村民还缺水缺电'].map((text, i) =>
      JSON.stringify({ text, platform: 'weibo', category: '灾害', district: '阜宁县', capturedAt: `2026-11-1${7 + i}T09:00:00+08:00` }),
    );
    const imported = await wang('/api/concerns/import?format=jsonl', { body: lastWeek.join('\n'), headers: { 'content-type': 'application/x-ndjson' } });
    expect(await imported.json()).toMatchObject({ imported: 3, errors: [] });
    const previous = (await (await wang('/api/groups/suggest?week=2026-W47')).json()) as Suggestions;
    const created = await wang('/api/groups', { json: { week: '2026-W47', groups: [{ title: '救灾物资', concernIds: previous.groups.flatMap((g) => g.concernIds).concat(previous.ungrouped.map((c) => c.id)) }] } });
    const [group] = ((await created.json()) as { groups: Group[] }).groups;
    const { groups } = (await (await wang(`/api/groups/suggest?week=${WEEK}`)).json()) as Suggestions;
    const relief = groups.find((g) => g.concerns.filter((c) => /物资|捐/.test(c.text)).length >= 3)!;
    expect(relief.continuesFrom).toEqual({ id: group!.id, title: '救灾物资' });
  });

  test('an editor accepts suggestions; the concerns point at the new group; grouping them again is a 409', async () => {
    const { groups } = (await (await wang(`/api/groups/suggest?week=${WEEK}`)).json()) as Suggestions;
    const relief = groups.find((g) => g.continuesFrom)!;
    const pick = [relief, groups.find((g) => g !== relief)!].map((g, i) => ({ title: i === 0 ? '灾后救灾物资与捐赠渠道' : g.title, concernIds: g.concernIds, decision: i === 0 ? '公布官方捐赠渠道，核实物资发放情况' : undefined, ...(i === 0 ? { continuesFrom: g.continuesFrom!.id } : {}) }));
    const res = await wang('/api/groups', { json: { week: WEEK, groups: pick } });
    expect(res.status).toBe(201);
    const created = ((await res.json()) as { groups: Group[] }).groups;
    expect(created).toHaveLength(2);
    const concern = (await (await wang(`/api/concerns/${pick[0]!.concernIds[0]}`)).json()) as Concern;
    expect(concern.groupId).toBe(created[0]!.id);
    expect((await wang('/api/groups', { json: { week: WEEK, groups: [pick[0]] } })).status).toBe(409);
    const bad = await wang('/api/groups', { json: { week: WEEK, groups: [{ title: '', concernIds: [] }] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^groups\.0\.(title|concernIds):/);
  });

  test('the weekly report downloads as a .docx that unzips, with the groups and decision in document.xml', async () => {
    const res = await wang(`/api/reports/weekly?org=funing&week=${WEEK}&format=docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    const xml = await zip.file('word/document.xml')!.async('string');
    for (const text of ['网情民意周报', '阜宁县', WEEK, '灾后救灾物资与捐赠渠道', '公布官方捐赠渠道，核实物资发放情况', '回应率']) expect(xml).toContain(text);
    const html = await (await wang(`/api/reports/weekly?org=funing&week=${WEEK}&format=html`)).text();
    expect(html).toContain('<h1>网情民意周报</h1>');
    const md = await (await wang(`/api/reports/weekly?org=funing&week=${WEEK}&format=md`)).text();
    expect(md).toContain('灾后救灾物资与捐赠渠道');
  });

  test('the parent org sees its children aggregated; a child cannot read the parent or a sibling', async () => {
    const report = (await (await li(`/api/reports/weekly?org=yc&week=${WEEK}`)).json()) as WeeklyReport;
    const funing = report.children.find((c) => c.orgId === 'funing')!;
    const tinghu = report.children.find((c) => c.orgId === 'tinghu')!;
    expect(funing.received).toBeGreaterThan(0);
    expect(tinghu.received).toBeGreaterThan(0);
    expect(report.totals.received).toBe(report.children.reduce((s, c) => s + c.received, 0));
    expect(report.groups.map((g) => g.title)).toContain('灾后救灾物资与捐赠渠道');
    expect((await li(`/api/reports/weekly?org=funing&week=${WEEK}&format=docx`)).status).toBe(200);
    expect((await wang(`/api/reports/weekly?org=yc&week=${WEEK}`)).status).toBe(403);
    expect((await wang(`/api/reports/weekly?org=tinghu&week=${WEEK}`)).status).toBe(403);
    const bad = await li(`/api/reports/weekly?org=yc&week=${WEEK}&format=pdf`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^query\.format:/);
  });

  test('an escalated group lands in the parent queue; the parent feedback flows down to its concerns', async () => {
    const { groups } = (await (await wang(`/api/groups?week=${WEEK}&org=funing`)).json()) as { groups: Group[] };
    const relief = groups.find((g) => g.title === '灾后救灾物资与捐赠渠道')!;
    expect((await wang(`/api/groups/${relief.id}/escalate`, { json: { note: '涉及多个乡镇，需市级协调' } })).status).toBe(200);
    const queue = (await (await li('/api/groups?queue=escalated')).json()) as { groups: Group[] };
    expect(queue.groups.map((g) => g.id)).toContain(relief.id);
    expect((await wang(`/api/groups/${relief.id}/feedback`, { json: { text: '自己给自己反馈' } })).status).toBe(403);
    expect((await li(`/api/groups/${relief.id}/feedback`, { json: { text: '已请市民政局统一公布捐赠渠道' } })).status).toBe(200);
    const concern = (await (await wang(`/api/concerns/${relief.concernIds[0]}`)).json()) as Concern;
    expect(concern.feedback.map((f) => [f.fromOrgId, f.text])).toEqual([['yc', '已请市民政局统一公布捐赠渠道']]);
    const report = (await (await wang(`/api/reports/weekly?org=funing&week=${WEEK}`)).json()) as WeeklyReport;
    expect(report.escalations).toEqual([{ group: '灾后救灾物资与捐赠渠道', from: '阜宁县', to: '盐城市委组织部 · 团市委', note: '涉及多个乡镇，需市级协调' }]);
  });

  test('publishing a notice started from a group marks its concerns answered and the response rate moves', async () => {
    const rate = async () => ((await (await wang(`/api/reports/response-rate?org=funing&week=${WEEK}`)).json()) as { total: { answered: number; received: number } }).total;
    const before = await rate();
    const { groups } = (await (await wang(`/api/groups?week=${WEEK}&org=funing`)).json()) as { groups: Group[] };
    const relief = groups.find((g) => g.title === '灾后救灾物资与捐赠渠道')!;
    const started = await wang(`/api/groups/${relief.id}/items`, { json: { kind: 'notice', title: '救灾捐赠请认准官方渠道' } });
    expect(started.status).toBe(201);
    const item = (await started.json()) as { id: string; groupIds: string[] };
    expect(item.groupIds).toEqual([relief.id]);
    expect((await wang(`/api/items/${item.id}/transitions`, { json: { to: 'in-review' } })).status).toBe(200);
    expect((await li(`/api/items/${item.id}/transitions`, { json: { to: 'approved' } })).status).toBe(200);
    expect((await li(`/api/items/${item.id}/transitions`, { json: { to: 'published' } })).status).toBe(200);
    const { concerns } = (await (await wang(`/api/concerns?group=${relief.id}`)).json()) as { concerns: Concern[] };
    expect(concerns.every((c) => c.status === 'answered' && c.answer?.itemId === item.id)).toBe(true);
    const after = await rate();
    expect(after.received).toBe(before.received);
    expect(after.answered).toBe(before.answered + relief.concernIds.length);
    const report = (await (await wang(`/api/reports/weekly?org=funing&week=${WEEK}`)).json()) as WeeklyReport;
    expect(report.groups.find((g) => g.id === relief.id)).toMatchObject({ status: 'answered', items: [{ title: '救灾捐赠请认准官方渠道' }] });
  });

  test('merge, split and rename keep every concern in exactly one group', async () => {
    const suggested = (await (await wang(`/api/groups/suggest?week=${WEEK}`)).json()) as Suggestions;
    const accepted = await wang('/api/groups', { json: { week: WEEK, groups: suggested.groups.slice(0, 2).map((g) => ({ title: g.title, concernIds: g.concernIds })) } });
    const [a, b] = ((await accepted.json()) as { groups: Group[] }).groups;
    const merged = (await (await wang(`/api/groups/${a!.id}/merge`, { json: { from: [b!.id] } })).json()) as Group;
    expect(merged.concernIds).toHaveLength(a!.concernIds.length + b!.concernIds.length);
    expect((await wang(`/api/groups/${b!.id}`)).status).toBe(404);
    const split = await wang(`/api/groups/${a!.id}/move`, { json: { concernIds: b!.concernIds, title: '拆出来的分组' } });
    expect(split.status).toBe(200);
    const { to } = (await split.json()) as { to: Group };
    const moved = (await (await wang(`/api/concerns/${b!.concernIds[0]}`)).json()) as Concern;
    expect(moved.groupId).toBe(to.id);
    const renamed = await wang(`/api/groups/${to.id}`, { method: 'PATCH', json: { version: to.version, title: '改名后的分组', decision: '下周跟进' } });
    expect(await renamed.json()).toMatchObject({ title: '改名后的分组', decision: '下周跟进' });
    expect((await wang(`/api/groups/${to.id}`, { method: 'PATCH', json: { version: to.version, title: '旧版本' } })).status).toBe(409);
  });

  test('the monthly digest drafts a notice listing the answered groups with links', async () => {
    const res = await wang('/api/reports/monthly-digest', { json: { month: '2026-11' } });
    expect(res.status).toBe(201);
    const item = (await res.json()) as { status: string; title: string; body: unknown };
    expect(item.status).toBe('draft');
    expect(item.title).toBe('2026 年 11 月网民关切回应');
    expect(JSON.stringify(item.body)).toContain('救灾捐赠请认准官方渠道');
    expect((await wang('/api/reports/monthly-digest', { json: { month: '2026-13' } })).status).toBe(400);
  });

  test('retracting one of two answers re-points the concerns to the other published item', async () => {
    const sun = await ctx.as('sun.reviewer');
    const { groups } = (await (await li(`/api/groups?week=${WEEK}`)).json()) as { groups: Group[] };
    const gaokao = groups.find((g) => g.title.includes('高考'))!;
    const created = (await (await li('/api/items', { json: { kind: 'notice', title: '高考报名政策答问', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '答问' }] }] }, groupIds: [gaokao.id] } })).json()) as { id: string };
    expect((await li(`/api/items/${created.id}/transitions`, { json: { to: 'in-review' } })).status).toBe(200);
    expect((await sun(`/api/items/${created.id}/transitions`, { json: { to: 'approved' } })).status).toBe(200);
    expect((await sun(`/api/items/${created.id}/transitions`, { json: { to: 'published' } })).status).toBe(200);
    const { concerns } = (await (await li(`/api/concerns?group=${gaokao.id}`)).json()) as { concerns: Concern[] };
    const rumorId = concerns[0]!.answer!.itemId!;
    expect((await sun(`/api/items/${rumorId}/transitions`, { json: { to: 'retracted', comment: '政策已更新，以新答问为准' } })).status).toBe(200);
    const { concerns: after } = (await (await li(`/api/concerns?group=${gaokao.id}`)).json()) as { concerns: Concern[] };
    expect(after.map((c) => [c.status, c.answer?.itemId])).toEqual(after.map(() => ['answered', created.id]));
  });

  test('retracting the only answer puts its concerns back to received, and the response rate back', async () => {
    const rate = async () => ((await (await wang(`/api/reports/response-rate?org=funing&week=${WEEK}`)).json()) as { total: { answered: number; received: number } }).total;
    const { groups } = (await (await wang(`/api/groups?week=${WEEK}&org=funing`)).json()) as { groups: Group[] };
    const relief = groups.find((g) => g.title === '灾后救灾物资与捐赠渠道')!;
    const before = await rate();
    const { concerns } = (await (await wang(`/api/concerns?group=${relief.id}`)).json()) as { concerns: Concern[] };
    const itemId = concerns[0]!.answer!.itemId!;
    expect((await li(`/api/items/${itemId}/transitions`, { json: { to: 'retracted', comment: '捐赠账户信息有误，已撤回' } })).status).toBe(200);
    const { concerns: reopened } = (await (await wang(`/api/concerns?group=${relief.id}`)).json()) as { concerns: Concern[] };
    expect(reopened.map((c) => [c.status, c.answer, c.history.at(-1)?.comment])).toEqual(reopened.map(() => ['received', undefined, '回应稿件《救灾捐赠请认准官方渠道》已撤回']));
    expect(await rate()).toMatchObject({ received: before.received, answered: before.answered - relief.concernIds.length });
  });

  test('a reporter may not accept groups', async () => {
    const xu = await ctx.as('xu.reporter');
    const res = await xu('/api/groups', { json: { week: WEEK, groups: [{ title: 'x', concernIds: ['cn_x'] }] } });
    expect(res.status).toBe(403);
  });
});
