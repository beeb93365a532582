import { startHarness } from '../tests/browser/launch.ts';
import { itemsOf } from '../server/content/service.ts';
const h = await startHarness();
try {
  const items = await itemsOf(h.deps).list((i) => i.kind === 'live');
  for (let i = 0; i < 600; i++) { const ok = await Promise.all(items.map(async (it) => (await fetch(`${h.url}/live/${it.slug}/updates/latest.json`)).status === 200)); if (ok.every(Boolean)) break; await new Promise((r) => setTimeout(r, 250)); }
  const ctx = await h.browser.newContext({ baseURL: h.url, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  for (const it of items) { await page.goto(`/live/${it.slug}/`); await page.waitForTimeout(800); await page.screenshot({ path: `/tmp/live-shots/${it.live.mode}.png`, fullPage: true }); }
  await page.goto('/workbench/login'); await page.getByLabel('用户名').fill('zhao.reviewer'); await page.getByLabel('密码').fill('lianxin-demo'); await page.getByRole('button', { name: '登录' }).click(); await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  const qa = items.find((i) => i.live.mode === 'qa')!;
  await page.goto(`/workbench/live/${qa.id}`); await page.screenshot({ path: '/tmp/live-shots/console.png', fullPage: true });
} finally { await h.close(); }
