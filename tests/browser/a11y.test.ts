import { afterAll, beforeAll, expect, test } from 'vitest';
import { axeViolations, csrfOf, describeBrowser, loginAs, startHarness, type Harness } from './harness.ts';
import { itemsOf } from '../../server/content/service.ts';
import { concernsOf } from '../../server/concerns/service.ts';
import { escalateGroup } from '../../server/groups/edit.ts';
import { groupsOf } from '../../server/groups/service.ts';
import type { User } from '../../server/users/schema.ts';

describeBrowser('workbench accessibility (axe-core)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the login page has no serious or critical violations', async () => {
    const page = await h.browser.newPage({ baseURL: h.url });
    await page.goto('/workbench/login');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  test('home, list, editors and review pages have no serious or critical violations', async () => {
    const { context, page } = await loginAs(h, 'li.reviewer');
    const items = await itemsOf(h.deps).list();
    const rumor = items.find((i) => i.kind === 'rumor-guide')!;
    const notice = items.find((i) => i.kind === 'notice' && i.status === 'published')!;
    const inReview = items.find((i) => i.status === 'in-review')!;
    const video = items.find((i) => i.kind === 'video')!;
    for (const path of ['/workbench', '/workbench/items', '/workbench/items?status=published&q=校车', `/workbench/items/${rumor.id}/edit`, `/workbench/items/${notice.id}/edit`, '/workbench/review', `/workbench/review/${inReview.id}`, `/workbench/review/${notice.id}`, '/workbench/items/new?kind=rumor-guide', '/workbench/items/new?kind=video', `/workbench/items/${video.id}/edit`, `/workbench/review/${video.id}`]) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
    }
    await context.close();
  });

  test('on a phone (390×844) the menu never breaks inside a label, wide tables scroll sideways from the keyboard too, and nothing is serious for axe', async () => {
    const inReview = (await itemsOf(h.deps).list((i) => i.status === 'in-review'))[0]!;
    for (const [username, paths] of [
      // the review page: a long revision name in its <select> once widened the page to 531 px
      ['zhao.reviewer', ['/workbench/review', `/workbench/review/${inReview.id}`]],
      ['xu.reporter', ['/workbench', '/workbench/concerns', '/workbench/evaluation']],
      ['chen.editor', ['/workbench', '/workbench/items', '/workbench/evaluation', '/workbench/reach', '/workbench/reports?org=tinghu', '/workbench/series']],
    ] as const) {
      const { context, page } = await loginAs(h, username);
      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of paths) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        // every menu label on one line: its height is one line of text
        const labels = await page.locator('nav[aria-label="主导航"] a').evaluateAll((as) => as.map((a) => ({ text: a.textContent, lines: Math.round(a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)) })));
        expect({ path, broken: labels.filter((l) => l.lines > 1) }).toEqual({ path, broken: [] });
        // the page itself never scrolls sideways; a table that is too wide scrolls inside its own box and takes focus
        expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: 390 });
        const tables = await page.locator('table.list:not(.cards)').evaluateAll((ts) => ts.map((t) => ({ overflows: t.scrollWidth > t.clientWidth + 1, focusable: t.tabIndex === 0, narrowest: Math.min(...[...t.querySelectorAll('td')].map((td) => td.getBoundingClientRect().width)) })));
        for (const table of tables) {
          if (table.overflows) expect({ path, focusable: table.focusable }).toEqual({ path, focusable: true });
          // no name squeezed into a column one or two characters wide
          expect({ path, narrow: table.narrowest < 40 }).toEqual({ path, narrow: false });
        }
        // charts keep a legible width and scroll in their own box: a 640 px chart fit into 310 px had 6 px labels
        for (const width of await page.locator('.chart-scroll svg').evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().width))) expect({ path, legible: width >= 480 }).toEqual({ path, legible: true });
        expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
      }
      await context.close();
    }
  });

  test('an editable draft in the editor has no serious or critical violations', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    const draft = (await itemsOf(h.deps).list((i) => i.status === 'draft'))[0]!;
    await page.goto(`/workbench/items/${draft.id}/edit`);
    await page.locator('.prose').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  test('an editable video draft (storyboard editor and render panel) has no serious or critical violations', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    await page.goto('/workbench');
    const storyboard = { format: '9:16', titleCard: { title: '无障碍检查' }, scenes: [{ text: '第一镜', seconds: 2 }, { text: '第二镜', seconds: 2 }], endCard: { orgName: '亭湖区团委', date: '2025年12月' } };
    const created = await page.request.post('/api/items', { data: { kind: 'video', title: '无障碍检查微视频', body: { type: 'doc', content: [{ type: 'paragraph' }] }, storyboard }, headers: { 'X-CSRF-Token': (await csrfOf(page))! } });
    expect(created.status()).toBe(201);
    const item = (await created.json()) as { id: string };
    await page.goto(`/workbench/items/${item.id}/edit`);
    await page.locator('[data-scene]').nth(1).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  test('admin pages have no serious or critical violations', async () => {
    const { context, page } = await loginAs(h, 'admin');
    for (const path of ['/workbench/admin/users', '/workbench/admin/orgs']) {
      await page.goto(path);
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
    }
    const user = (await h.deps.store.collection<{ id: string; username: string; version: number; createdAt: string; updatedAt: string }>('users').list((u) => u.username === 'chen.editor'))[0]!;
    await page.goto(`/workbench/admin/users/${user.id}`);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  test('concerns pages (intake and list, detail, import, weekly grouping, 下级上报, weekly report, categories) have no serious or critical violations', async () => {
    // one group escalated to the city, so 下级上报 has a card with its feedback form
    const chen = (await h.deps.store.collection<User>('users').list((u) => u.username === 'chen.editor'))[0]!;
    const bus = (await groupsOf(h.deps).list((g) => g.orgId === chen.orgId && !g.escalatedTo))[0]!;
    await escalateGroup({ deps: h.deps, actor: chen, id: bus.id, input: { note: '请市里统筹' } });
    const { context, page } = await loginAs(h, 'li.reviewer');
    const concerns = await concernsOf(h.deps).list();
    const replied = concerns.find((c) => c.status === 'replied')!;
    const overdueOrOpen = concerns.find((c) => c.status === 'received')!;
    for (const path of ['/workbench/concerns', '/workbench/concerns?overdue=true', `/workbench/concerns/${replied.id}`, `/workbench/concerns/${overdueOrOpen.id}`, '/workbench/concerns/import', '/workbench/groups', '/workbench/groups/escalated', '/workbench/reports']) {
      await page.goto(path);
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
    }
    await context.close();
    const admin = await loginAs(h, 'admin');
    await admin.page.goto('/workbench/admin/categories');
    expect({ path: 'categories', violations: await axeViolations(admin.page) }).toEqual({ path: 'categories', violations: [] });
    await admin.context.close();
  });
});
