import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, startHarness, type Harness } from './harness.ts';
import { DEMO_PASSWORD } from '../../scripts/seed/demo.ts';
import { GUEST, QA_TITLE } from '../../scripts/seed/live.ts';
import { itemsOf } from '../../server/content/service.ts';
import type { Item } from '../../server/content/schema.ts';

/** The page polls every second in this test (the site default is 10 s). */
const POLL_MS = 1000;
const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** A logged-in API client over real HTTP. */
async function apiAs(h: Harness, username: string, password = DEMO_PASSWORD) {
  const res = await fetch(`${h.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${h.url}${path}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json = (await r.json()) as Record<string, unknown> & { id: string };
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
}

async function waitForPage(h: Harness, path: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await fetch(`${h.url}${path}`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${path} was never built`);
}

describeBrowser('a live page in a real browser', () => {
  let h: Harness;
  let qa: Item;
  let page: Page;
  const previous = process.env.LIANXIN_LIVE_POLL_MS;

  beforeAll(async () => {
    process.env.LIANXIN_LIVE_POLL_MS = String(POLL_MS);
    h = await startHarness();
    qa = (await itemsOf(h.deps).list((i) => i.title === QA_TITLE))[0]!;
    await waitForPage(h, `/live/${qa.slug}/`);
    await waitForPage(h, `/live/${qa.slug}/updates/latest.json`);
    const context = await h.browser.newContext({ baseURL: h.url, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[browser reader] ${error.message}`));
    if (process.env.LIVE_DEBUG) {
      page.on('console', (m) => console.log(`[console] ${m.text()}`));
      page.on('response', (r) => console.log(`[response] ${r.status()} ${r.url()}`));
    }
    await page.goto(`/live/${qa.slug}/`);
    // a marker that a reload would wipe
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  }, 300_000);
  afterAll(async () => {
    await h?.close();
    if (previous === undefined) delete process.env.LIANXIN_LIVE_POLL_MS;
    else process.env.LIANXIN_LIVE_POLL_MS = previous;
  });

  test('an update published through the API appears at the top of the open page without a reload, within one polling interval', async () => {
    const editor = await apiAs(h, 'chen.editor');
    const reviewer = await apiAs(h, 'zhao.reviewer');
    const update = await editor('POST', `/api/items/${qa.id}/updates`, { type: 'official', body: doc('区人社局：创业担保贷款申请材料已简化为三项。') });
    await page.waitForTimeout(POLL_MS + 500); // pending updates never reach readers
    expect(await page.locator(`#u-${update.id}`).count()).toBe(0);
    await reviewer('POST', `/api/items/${qa.id}/updates/${update.id}/transitions`, { to: 'published' });
    // one interval, plus the request itself
    await page.locator(`#u-${update.id}`).waitFor({ timeout: POLL_MS + 1500 });
    expect(await page.locator('#live-updates > li').first().getAttribute('id')).toBe(`u-${update.id}`);
    expect(await page.locator('#live-status').innerText()).toContain('新增 1 条动态');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    // a correction shows 已更正 in place, still without a reload
    const current = (await editor('GET', `/api/items/${qa.id}/updates?state=published`)).updates as Array<{ id: string; version: number }>;
    const version = current.find((u) => u.id === update.id)!.version;
    await editor('PATCH', `/api/items/${qa.id}/updates/${update.id}`, { version, body: doc('区人社局：创业担保贷款申请材料已简化为两项。'), correction: '材料数量有误' });
    await page.locator(`#u-${update.id} .note`, { hasText: '已更正' }).waitFor({ timeout: POLL_MS + 1500 });
    expect(await page.locator(`#u-${update.id} .body`).innerText()).toContain('两项');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  test('a reader asks on the page; the question passes moderation, a guest answers, a reviewer publishes, and the answer with the question appears', async () => {
    await page.getByLabel(/你的问题/).fill('退役军人创业有没有额外的贴息政策？');
    await page.getByLabel(/昵称/).fill('老兵小王');
    await page.getByRole('button', { name: '提交问题' }).click();
    await page.locator('#ask-status', { hasText: '已收到你的问题' }).waitFor({ timeout: 5000 });

    const editor = await apiAs(h, 'chen.editor');
    const queue = (await editor('GET', `/api/items/${qa.id}/questions?state=pending`)).questions as Array<{ id: string; text: string; nickname?: string }>;
    const asked = queue.find((q) => q.text === '退役军人创业有没有额外的贴息政策？')!;
    expect(asked.nickname).toBe('老兵小王');
    // not on the page before it is answered and published
    await page.waitForTimeout(POLL_MS + 500);
    expect(await page.locator('#live-updates').innerText()).not.toContain('退役军人');

    await editor('POST', `/api/items/${qa.id}/questions/${asked.id}/transitions`, { to: 'accepted' });
    const guest = await apiAs(h, GUEST.username);
    const answer = await guest('POST', `/api/items/${qa.id}/updates`, { type: 'answer', questionId: asked.id, body: doc('退役军人创业可叠加享受退役军人事务部门的额外贴息。') });
    const reviewer = await apiAs(h, 'zhao.reviewer');
    await reviewer('POST', `/api/items/${qa.id}/updates/${answer.id}/transitions`, { to: 'published' });

    const shown = page.locator(`#u-${answer.id}`);
    await shown.waitFor({ timeout: POLL_MS + 1500 });
    expect(await shown.locator('.lu-question').innerText()).toContain('老兵小王 问：退役军人创业有没有额外的贴息政策？');
    expect(await shown.innerText()).toContain(`答问：${GUEST.displayName}`);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });

  test('the pinned block follows an edit without a reload', async () => {
    const editor = await apiAs(h, 'chen.editor');
    const item = (await editor('GET', `/api/items/${qa.id}`)).item as { version: number };
    await editor('PATCH', `/api/items/${qa.id}/live`, { version: item.version, pinned: doc('交流时间延长至 18:00') });
    await page.locator('#live-pinned-body', { hasText: '延长至 18:00' }).waitFor({ timeout: POLL_MS + 1500 });
  });
});
