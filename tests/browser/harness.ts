import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { DEMO_PASSWORD } from '../../scripts/seed/demo.ts';
import { ADMIN_PASSWORD, CHROMIUM, type Harness } from './launch.ts';

export { startHarness, type Harness } from './launch.ts';
const require = createRequire(import.meta.url);

/**
 * A describe block that needs Debian's Chromium. Without it the block is skipped with a loud
 * warning, unless LIANXIN_REQUIRE_BROWSER=1 (CI) turns the skip into a failing test.
 */
export function describeBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) return void describe(name, body);
  if (process.env.LIANXIN_REQUIRE_BROWSER === '1') {
    return void describe(name, () => test('has Chromium at /usr/bin/chromium (LIANXIN_REQUIRE_BROWSER=1)', () => {
      throw new Error(`${CHROMIUM} 不存在：请先 apt-get install -y chromium`);
    }));
  }
  console.warn(`\n!!! 跳过浏览器测试「${name}」：${CHROMIUM} 不存在（apt-get install -y chromium 后重跑；CI 设置 LIANXIN_REQUIRE_BROWSER=1 时会失败）!!!\n`);
  describe.skip(name, body);
}

/** A new context logged in through the real login form. */
export async function loginAs(h: Harness, username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({ baseURL: h.url, locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  // script errors in the page fail loudly in the test output
  page.on('pageerror', (error) => console.error(`[browser ${username}] ${error.message}`));
  await page.goto('/workbench/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  return { context, page };
}

export const csrfOf = (page: Page) => page.locator('meta[name="csrf-token"]').getAttribute('content');

/** axe-core's serious and critical violations on the current page. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; help: string; targets: string[] }[]> {
  // evaluated through the DevTools protocol, not as a <script> tag: the pages' CSP allows no inline script
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

/** Web-first checks (playwright-core has no `expect`): poll until the page shows what we wait for. */
export const textOf = (locator: Locator) => () => locator.first().innerText({ timeout: 5_000 }).catch(() => '');
export const attrOf = (locator: Locator, name: string) => () => locator.first().getAttribute(name, { timeout: 5_000 }).catch(() => null);
export const POLL = { timeout: 10_000, interval: 100 };
