import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, type TestEnv, formBody as form } from '../helpers.ts';
import { concernsOf } from '../../server/concerns/service.ts';
import { isoWeekOf } from '../../server/concerns/week.ts';
import { filingsOf } from '../../server/reports/filing.ts';
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

const get = async (path: string, cookie: string) => (await env.app.request(path, { headers: { cookie } })).text();
const post = (path: string, cookie: string, body: URLSearchParams) => env.app.request(path, { method: 'POST', headers: { cookie }, body });
const flashOf = async (res: Response, cookie: string) => get(res.headers.get('location')!, `${cookie}; ${(res.headers.get('set-cookie') ?? '').split(';')[0]}`);
const userNamed = async (username: string) => (await env.deps.store.collection<User>('users').list((u) => u.username === username))[0]!;

describe('the weekly report: written, submitted, received, fed back', () => {
  test('an editor writes the summary; a reviewer of the org submits; it is frozen; the parent receives it and its feedback reaches the reporters', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const zhao = await loginAs(env.app, 'zhao.reviewer');
    const li = await loginAs(env.app, 'li.reviewer');
    const tinghu = (await userNamed('chen.editor')).orgId;
    const q = new URLSearchParams({ org: tinghu, week });

    const page = await get(`/workbench/reports?${q}`, chen.cookie);
    expect(page).toContain('本周综述');
    expect(page).toContain('data-guard');
    const xss = '<script>alert(1)</script>';
    const saved = await post(`/workbench/reports/filing/save?${q}`, chen.cookie, form({ _csrf: chen.csrf, summary: `本周暴雨后积水、停电关切集中。${xss}`, assessment: '建议排查下穿通道排水。' }));
    expect(await flashOf(saved, chen.cookie)).toContain('已保存本周综述与研判建议');
    // An editor who is not a reviewer cannot submit: nothing changes.
    const refused = await post(`/workbench/reports/filing/submit?${q}`, chen.cookie, form({ _csrf: chen.csrf }));
    expect(await flashOf(refused, chen.cookie)).toContain('提交周报需要本组织的「审核」角色');
    expect((await filingsOf(env.deps).list())[0]!.status).toBe('draft');

    // The parent sees that 亭湖区 has not filed yet.
    const cityBefore = await get(`/workbench/reports?week=${week}`, li.cookie);
    expect(cityBefore).toMatch(new RegExp(`data-child-filing="${tinghu}" data-state="missing"`));

    const submitted = await post(`/workbench/reports/filing/submit?${q}`, zhao.cookie, form({ _csrf: zhao.csrf }));
    expect(await flashOf(submitted, zhao.cookie)).toMatch(/周报已提交上级/);
    const filing = (await filingsOf(env.deps).list())[0]!;
    expect(filing).toMatchObject({ status: 'submitted', orgId: tinghu, week });
    expect(filing.snapshot?.orgId).toBe(tinghu);
    // Frozen: the text cannot change any more, and the page shows it escaped.
    const frozen = await post(`/workbench/reports/filing/save?${q}`, chen.cookie, form({ _csrf: chen.csrf, summary: '改', assessment: '' }));
    expect(await flashOf(frozen, chen.cookie)).toContain('status: 周报已提交，内容已冻结');
    const shown = await get(`/workbench/reports?${q}`, chen.cookie);
    expect(shown).not.toContain(xss);
    expect(shown).toContain('&lt;script&gt;');

    // The Word file is the filed report: it opens, with the team's sections before the generated ones.
    const docx = await env.app.request(`/api/reports/weekly?${new URLSearchParams({ org: tinghu, week, format: 'docx' })}`, { headers: { cookie: zhao.cookie } });
    expect(docx.status).toBe(200);
    const xml = await (await JSZip.loadAsync(await docx.arrayBuffer())).file('word/document.xml')!.async('string');
    expect(xml.indexOf('本周综述')).toBeGreaterThan(-1);
    expect(xml.indexOf('本周综述')).toBeLessThan(xml.indexOf('一、总体情况'));
    expect(xml).toContain('建议排查下穿通道排水。');
    expect(xml).not.toContain('<script>');

    // The parent: listed as submitted, receives it, sends feedback.
    expect(await get(`/workbench/reports?week=${week}`, li.cookie)).toMatch(new RegExp(`data-child-filing="${tinghu}" data-state="submitted"`));
    // A sibling district cannot receive it.
    const wang = await loginAs(env.app, 'wang.editor');
    const sibling = await post(`/workbench/reports/filing/receive?${q}`, wang.cookie, form({ _csrf: wang.csrf }));
    expect(await flashOf(sibling, wang.cookie)).toContain('接收周报只能由上级组织进行');
    const received = await post(`/workbench/reports/filing/receive?${q}`, li.cookie, form({ _csrf: li.csrf }));
    expect(await flashOf(received, li.cookie)).toContain('已接收该周报');
    const fb = await post(`/workbench/reports/filing/feedback?${q}`, li.cookie, form({ _csrf: li.csrf, text: '请本周五前报送积水点整改情况' }));
    expect(await flashOf(fb, li.cookie)).toContain('已反馈');
    expect((await filingsOf(env.deps).list())[0]!.feedback.map((f) => f.text)).toEqual(['请本周五前报送积水点整改情况']);

    // The reporter whose concern the report covers sees the feedback on it.
    const xu = await userNamed('xu.reporter');
    const mine = (await concernsOf(env.deps).list((c) => c.week === week && c.capturedBy === xu.id))[0];
    expect(mine).toBeDefined();
    const xuLogin = await loginAs(env.app, 'xu.reporter');
    expect(await get(`/workbench/concerns/${mine!.id}`, xuLogin.cookie)).toContain('周报反馈：请本周五前报送积水点整改情况');
  });
});
