import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeBrowser, POLL, textOf } from './harness.ts';
import { launchBrowser } from './launch.ts';
import { makeSnapshot, writeFixtureSnapshots } from '../site/fixtures.ts';
import { SITE_URL } from '../site/helpers.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { buildSite } from '../../server/publish/service.ts';
import { defaultSiteDir } from '../../server/publish/publisher.ts';

describeBrowser('site search in a real browser', () => {
  let dataDir = '';
  let server: ServerType;
  let url = '';
  let browser: Browser;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lianxin-search-browser-'));
    const loquat = makeSnapshot(500, { kind: 'notice', slug: 'loquat', url: '/notices/loquat/', title: '枇杷节开幕', bodyHtml: '<p>今年的白沙枇杷已经上市,<b>欢迎</b>选购。</p>' });
    const retracted = makeSnapshot(501, { kind: 'notice', slug: 'gone', url: '/notices/gone/', title: '已撤回的通告', bodyHtml: '<p>杨梅采摘节取消。</p>', status: 'retracted', retraction: { at: '2024-06-24T02:00:00Z', note: '经核实信息有误。' } });
    writeFixtureSnapshots({ dataDir, count: 20, extra: [loquat, retracted] });
    await buildSite({ dataDir, outDir: defaultSiteDir(dataDir), siteUrl: SITE_URL, siteTitle: '连心' }, { cards: false });
    const deps = createDeps({ store: createStore({ adapter: 'memory' }), config: loadConfig({}, { dataDir, siteUrl: SITE_URL }) });
    const app = createApp(deps);
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('typing a Chinese word on /search/ at 390×844 lists the item with its word marked; a retracted item is not found by its old text', async () => {
    const context = await browser.newContext({ baseURL: url, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto('/search/');
    await page.locator('#q').fill('枇杷');
    const link = page.locator('#results li a', { hasText: '枇杷节开幕' });
    await expect.poll(() => link.count(), POLL).toBe(1);
    expect(await link.getAttribute('href')).toBe('/notices/loquat/');
    await expect.poll(textOf(page.locator('#results li mark')), POLL).toBe('枇杷');
    // the excerpt is text: the stored <b> never became an element
    expect(await page.locator('#results li b').count()).toBe(0);
    expect(await page.locator('#search-status').innerText()).toMatch(/找到 \d+/);
    if (process.env.LIANXIN_SHOTS) await page.screenshot({ path: process.env.LIANXIN_SHOTS, fullPage: false });
    const box = await link.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);

    await page.locator('#q').fill('杨梅采摘');
    await expect.poll(textOf(page.locator('#search-status')), POLL).toBe('没有找到相关内容');
    await expect.poll(textOf(page.locator('#results li')), POLL).toContain('换个说法试试');
    expect(problems).toEqual([]);
    await context.close();
  });

  test('?q= on load searches at once, and markup in the query stays text', async () => {
    const context = await browser.newContext({ baseURL: url, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`/search/?q=${encodeURIComponent('经核实')}`);
    await expect.poll(() => page.locator('#results li a', { hasText: '已撤回的通告' }).count(), POLL).toBe(1);
    const dialogs: string[] = [];
    page.on('dialog', (d) => void dialogs.push(d.message()));
    await page.goto(`/search/?q=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    await expect.poll(textOf(page.locator('#search-status')), POLL).not.toBe('');
    expect(await page.locator('#q').inputValue()).toBe('<img src=x onerror=alert(1)>');
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
