import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { axeViolations, describeBrowser, loginAs, POLL, startHarness, textOf, type Harness } from './harness.ts';
import type { Item } from '../../server/content/schema.ts';
import { itemPath } from '../../server/reach/service.ts';
import { reachSummary } from '../../server/reach/service.ts';

const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323a) NetType/WIFI Language/zh_CN';

describeBrowser('reach in a real browser', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('the dashboard shows headline figures and server-rendered charts with Chinese labels, and exports CSV', async () => {
    const { context, page } = await loginAs(h, 'li.reviewer');
    await page.goto('/workbench/reach');
    await expect.poll(textOf(page.locator('h1')), POLL).toBe('传播看板');
    const views = Number((await page.locator('[data-kpi="views"]').innerText()).replace(/,/g, ''));
    expect(views).toBeGreaterThan(0);
    await expect.poll(textOf(page.locator('[data-kpi="response"]')), POLL).toMatch(/%|—/);
    const charts = page.locator('figure[data-chart] svg');
    expect(await charts.count()).toBeGreaterThanOrEqual(4);
    // the charts' labels are real text in the page's CJK font, laid out with a width
    const label = page.locator('figure[data-chart] svg text', { hasText: '亭湖区' }).first();
    const box = await label.boundingBox();
    expect(box?.width).toBeGreaterThan(20);
    expect(await page.locator('figure[data-chart] svg path').count()).toBeGreaterThan(10);
    expect(await axeViolations(page)).toEqual([]);
    mkdirSync(join(h.dataDir, 'shots'), { recursive: true });
    await page.screenshot({ path: join(h.dataDir, 'shots', 'reach.png'), fullPage: false });
    if (process.env.LIANXIN_SHOTS) await page.screenshot({ path: process.env.LIANXIN_SHOTS, fullPage: false });

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-csv="orgs"]').click()]);
    const csv = await download.createReadStream().then(async (s) => {
      let text = '';
      for await (const chunk of s) text += chunk.toString();
      return text;
    });
    expect(csv.startsWith('\uFEFF组织,阅读')).toBe(true);
    expect(csv).toContain('亭湖区');
    await context.close();
  });

  test('a published item shows its reach panel with a chart and a short link', async () => {
    const item = (await h.deps.store.collection<Item>('items').list((i) => i.status === 'published'))[0]!;
    const { context, page } = await loginAs(h, 'chen.editor');
    await page.goto(`/workbench/items/${item.id}/edit`);
    await expect.poll(textOf(page.locator('#reach-title')), POLL).toBe('传播数据');
    expect(await page.locator('[data-reach-panel] figure svg').count()).toBe(1);
    await expect.poll(textOf(page.locator('[data-reach-panel] .links')), POLL).toMatch(/\/r\/[A-Za-z0-9]+/);
    await page.goto('/workbench/evaluation');
    await expect.poll(textOf(page.locator('h1')), POLL).toBe('评优考评');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  test("a reader's page view in WeChat's browser is counted once by the beacon", async () => {
    const item = (await h.deps.store.collection<Item>('items').list((i) => i.status === 'published' && i.kind === 'notice'))[0]!;
    const context = await h.browser.newContext({ baseURL: h.url, userAgent: WECHAT_UA, locale: 'zh-CN' });
    const page = await context.newPage();
    // the site is built in the background on first start
    await expect.poll(async () => (await page.goto(itemPath(item, h.deps)))?.status(), { timeout: 120_000, interval: 1000 }).toBe(200);
    expect(await page.locator('script[src="/reach.js"]').getAttribute('data-item')).toBe(item.id);
    await page.waitForLoadState('networkidle');
    await h.deps.reach.flush();
    const before = (await reachSummary({ deps: h.deps, query: { itemId: item.id, channel: 'site' } })).views;
    const hit = page.waitForResponse((r) => r.url().endsWith('/api/reach/hit'));
    await page.reload();
    expect((await hit).status()).toBe(202);
    await h.deps.reach.flush();
    const after = await reachSummary({ deps: h.deps, query: { itemId: item.id, channel: 'site' } });
    expect(after.views).toBe(before + 1);
    await context.close();
  }, 180_000);
});
