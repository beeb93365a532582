import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { attrOf, describeBrowser, loginAs, POLL, textOf, type Harness } from './harness.ts';
import { ADMIN_PASSWORD, launchBrowser } from './launch.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { startServer } from '../../server/main.ts';
import { ensureAdmin } from '../../server/bootstrap.ts';
import { seedDemo } from '../../scripts/seed/demo.ts';
import { createItem, getItem } from '../../server/content/service.ts';
import { transitionItem } from '../../server/review/service.ts';
import { updateItem } from '../../server/content/service.ts';
import { docFromParagraphs } from '../../server/content/tiptap.ts';
import { findUserByName, publicUser } from '../../server/users/service.ts';
import type { User } from '../../server/users/schema.ts';
import { readPublishSnapshot } from '../../server/content/snapshot.ts';
import { colourRegions, isBlue, isGreen, isRed, pixel } from '../media/regions.ts';

/** The real server over a temp data dir with a clock the test moves; restartable over the same data. */
function fakeClockServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-editorial-'));
  const clock = { now: new Date() };
  let server: { url: string; close: () => Promise<void> } | undefined;
  let deps: Deps;
  /** `schedulerIntervalMs`: a long one leaves only the start-up pass to publish what fell due. */
  const start = async (schedulerIntervalMs = 200) => {
    deps = createDeps({ store: createStore({ adapter: 'lowdb', dir: dataDir, clock: () => clock.now }), config: loadConfig({}, { dataDir, port: 0, host: '127.0.0.1', adminPassword: ADMIN_PASSWORD }), clock: () => clock.now });
    server = await startServer(deps, { schedulerIntervalMs });
    return deps;
  };
  const stop = async () => {
    await server?.close();
    await deps.store.close();
  };
  return { dataDir, clock, start, stop, url: () => server!.url, deps: () => deps };
}

describeBrowser('the editor’s and reviewer’s day in a real browser', () => {
  let h: Harness;
  let browser: Browser;
  let srv: ReturnType<typeof fakeClockServer>;
  const user = async (name: string): Promise<User> => publicUser((await findUserByName({ deps: h.deps, username: name }))!);

  beforeAll(async () => {
    srv = fakeClockServer();
    const deps = await srv.start();
    await seedDemo(deps);
    await ensureAdmin(deps);
    browser = await launchBrowser();
    h = {
      get url() {
        return srv.url();
      },
      dataDir: srv.dataDir,
      get deps() {
        return srv.deps();
      },
      browser,
      close: async () => undefined,
    } as Harness;
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    // the site builder, killed at close, may still be ending a write for a moment
    rmSync(srv.dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  test('a rumor guide with a source line without a link still saves, and 提交审核 flags the field with a Chinese message and a linked summary', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    await page.goto('/workbench/items/new?kind=rumor-guide');
    await page.getByLabel('标题').fill('谣言识破：高考指标被转移？');
    await page.getByLabel('网传说法').fill('盐城高考指标被转移到外地');
    await page.getByLabel('依据').fill('省教育考试院已公开辟谣。');
    await page.getByRole('button', { name: '创建并开始编辑' }).click();
    await page.waitForURL(/\/edit$/);
    const id = /items\/(it_[0-9a-f]+)\/edit/.exec(page.url())![1]!;
    await page.locator('#claim-0-sources').fill('省教育考试院 | https://www.jseea.cn/\n网传截图');
    await page.getByRole('button', { name: '添加说法' }).click();
    await page.locator('#claim-1-claim').fill('第二条说法：高考改为全国统一命题');
    await page.locator('#tips').fill('看发布来源是否权威');
    await expect.poll(textOf(page.locator('#save-status')), { timeout: 15_000, interval: 200 }).toContain('已保存');

    // nothing typed is lost: the second claim, the tips and the bad source line are on the server
    await page.reload();
    await expect.poll(attrOf(page.locator('#claim-1-claim'), 'id'), POLL).toBe('claim-1-claim');
    expect(await page.locator('#claim-0-sources').inputValue()).toContain('网传截图');
    expect(await page.locator('#claim-1-claim').inputValue()).toBe('第二条说法：高考改为全国统一命题');
    expect(await page.locator('#tips').inputValue()).toBe('看发布来源是否权威');

    await page.getByRole('button', { name: '提交审核' }).click();
    const summary = page.locator('#issues-summary');
    await summary.waitFor({ state: 'visible' });
    await expect.poll(textOf(summary), POLL).toContain('说法 1 · 来源第 2 行缺少网址');
    await expect.poll(textOf(summary), POLL).toContain('说法 2 · 依据');
    await expect.poll(attrOf(page.locator('#claim-0-sources'), 'aria-invalid'), POLL).toBe('true');
    const describedBy = (await page.locator('#claim-0-sources').getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy.split(' ').pop()}"]`).innerText()).toBe('说法 1 · 来源第 2 行缺少网址');
    // the summary links to the field
    await summary.getByRole('link', { name: '说法 1 · 来源第 2 行缺少网址' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), POLL).toBe('claim-0-sources');
    expect((await getItem({ deps: h.deps, id })).status).toBe('draft');

    // fixed: the flags go and the submit goes through
    await page.locator('#claim-0-sources').fill('省教育考试院 | https://www.jseea.cn/\n网传截图 | https://weibo.com/123/AbCd');
    await page.locator('#claim-1-evidence').fill('教育部未发布此类通知。');
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(textOf(page.locator('.flash-ok')), POLL).toContain('已提交审核');
    expect((await getItem({ deps: h.deps, id })).status).toBe('in-review');
    await context.close();
  });

  test('an over-long WeChat title cannot be submitted, in the page or through the API', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    const chen = await user('chen.editor');
    const item = await createItem({ deps: h.deps, actor: chen, input: { kind: 'notice', title: '长标题测试', summary: '', body: docFromParagraphs('正文。'), tags: [], groupIds: [], variants: {} } });
    await page.goto(`/workbench/items/${item.id}/edit`);
    await page.getByLabel('微信标题').fill('关于本周末全区中小学因持续强降雨天气停课一天以及后续补课安排的通知说明');
    await expect.poll(textOf(page.locator('#wechatTitle-count')), POLL).toMatch(/超出 \d+ 字/);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(page.locator('#save-status')), POLL).toContain('已保存');
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(textOf(page.locator('#issues-summary')), POLL).toContain('微信标题最多 32 个字');
    await expect.poll(attrOf(page.locator('#wechatTitle'), 'aria-invalid'), POLL).toBe('true');
    expect((await getItem({ deps: h.deps, id: item.id })).status).toBe('draft');
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const res = await page.request.post(`/api/items/${item.id}/transitions`, { data: { to: 'in-review' }, headers: { 'X-CSRF-Token': csrf! } });
    expect(res.status()).toBe(400);
    expect((await res.json()).error.message).toMatch(/^variants\.wechat\.title: /);
    await context.close();
  });

  test('a reviewer sees the channel previews and a field diff since the send-back, and comments on a passage; the editor is notified', async () => {
    const chen = await user('chen.editor');
    const zhao = await user('zhao.reviewer');
    const deps = h.deps;
    let item = await createItem({ deps, actor: chen, input: { kind: 'notice', title: '冬季供暖报修', summary: '报修电话公布', body: docFromParagraphs('供暖报修电话为 12345。', '24 小时有人接听。'), tags: ['民生'], groupIds: [], variants: {} } });
    item = await transitionItem({ deps, actor: chen, id: item.id, input: { to: 'in-review' } });
    item = await transitionItem({ deps, actor: zhao, id: item.id, input: { to: 'changes-requested', comment: '请补充微信标题和微博文案' } });
    item = await updateItem({ deps, actor: chen, id: item.id, input: { version: item.version, summary: '报修电话和受理时间公布', variants: { wechat: { title: '供暖报修电话公布' }, weibo: { text: '【供暖报修】电话 12345，24 小时受理。' } } } });
    item = await transitionItem({ deps, actor: chen, id: item.id, input: { to: 'in-review' } });

    const { context, page } = await loginAs(h, 'zhao.reviewer');
    await page.goto(`/workbench/review/${item.id}`);
    // the previews, as the editor sees them
    await expect.poll(textOf(page.locator('[data-preview="site"]')), POLL).toContain('供暖报修电话为 12345');
    await page.getByRole('tab', { name: '微信预览' }).click();
    await expect.poll(textOf(page.locator('[data-preview="wechat"]')), POLL).toContain('供暖报修电话公布');
    await page.getByRole('tab', { name: '微博预览' }).click();
    await expect.poll(textOf(page.locator('[data-preview="weibo"]')), POLL).toContain('【供暖报修】电话 12345');
    await expect.poll(textOf(page.locator('[data-preview="weibo"]')), POLL).toContain('#民生#');
    // the field diff is against the version that was sent back
    await expect.poll(textOf(page.locator('[data-field-diff-summary]')), POLL).toContain('退回修改');
    const diff = page.locator('[data-field-diff]');
    await expect.poll(textOf(diff.locator('.field-row.changed dt')), POLL).toBe('摘要');
    expect(await diff.locator('.field-row.changed').count()).toBe(3);
    expect(await diff.locator('[data-field="微信标题"] ins').innerText()).toBe('供暖报修电话公布');
    expect(await diff.locator('[data-field="摘要"] ins').innerText()).toBe('和受理时间');
    // switch to any revision
    await page.getByLabel('对比的版本').selectOption({ index: (await page.locator('#base option').count()) - 1 });
    await page.getByRole('button', { name: '对比', exact: true }).click();
    await expect.poll(textOf(page.locator('[data-field-diff-summary]')), POLL).toContain('第 1 版');

    // a comment on a passage of the body, with an @mention
    await page.getByRole('tab', { name: '网站预览' }).click();
    await page.evaluate(() => {
      const p = [...document.querySelectorAll('[data-preview="site"] .site-body p')].find((el) => el.textContent!.includes('12345'))!;
      const text = p.firstChild!;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, '供暖报修电话为 12345'.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    });
    await expect.poll(textOf(page.locator('[data-quote-text]')), POLL).toBe('供暖报修电话为 12345');
    await page.getByLabel(/^发表评论/).fill('@chen.editor 这个号码请再核实一下');
    await page.getByRole('button', { name: '发表评论' }).click();
    await expect.poll(textOf(page.locator('.flash-ok')), POLL).toContain('评论已发表');
    await expect.poll(textOf(page.locator('.comment-quote')), POLL).toBe('供暖报修电话为 12345');
    await expect.poll(textOf(page.locator('[data-preview="site"] mark.comment-anchor')), POLL).toBe('供暖报修电话为 12345');
    await context.close();

    // chen's bell counts it, and the notification centre lists the mention and the send-back
    const ed = await loginAs(h, 'chen.editor');
    await expect.poll(textOf(ed.page.locator('[data-bell] .bell-count')), POLL).toMatch(/^[1-9]\d*$/);
    await ed.page.locator('[data-bell]').click();
    await expect.poll(textOf(ed.page.locator('.notifications')), POLL).toContain('提到了你');
    await expect.poll(textOf(ed.page.locator('.notifications')), POLL).toContain('请补充微信标题和微博文案');
    await ed.page.getByRole('button', { name: '全部标为已读' }).click();
    expect(await ed.page.locator('[data-bell] .bell-count').count()).toBe(0);
    await ed.context.close();
  });

  test('a scheduled item goes live at its time (fake clock), also when the time passed while the server was down, and then the link appears', { timeout: 360_000 }, async () => {
    const { context, page } = await loginAs(h, 'zhao.reviewer');
    const chen = await user('chen.editor');
    const zhao = await user('zhao.reviewer');
    const make = async (title: string) => {
      let it = await createItem({ deps: h.deps, actor: chen, input: { kind: 'notice', title, summary: '', body: docFromParagraphs(`${title}。`), tags: [], groupIds: [], variants: {} } });
      it = await transitionItem({ deps: h.deps, actor: chen, id: it.id, input: { to: 'in-review' } });
      return transitionItem({ deps: h.deps, actor: zhao, id: it.id, input: { to: 'approved' } });
    };
    const first = await make('定时发布测试一');
    await page.goto(`/workbench/review/${first.id}`);
    const at = new Date(srv.clock.now.getTime() + 2 * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16); // two hours on, China time
    await page.getByLabel('发布时间（北京时间）').fill(at);
    await page.getByRole('button', { name: '设定时间' }).click();
    await expect.poll(textOf(page.locator('[data-scheduled]')), POLL).toContain('定时发布');
    // a pass before the time publishes nothing
    const { publishDue } = await import('../../server/editorial/service.ts');
    expect((await publishDue({ deps: h.deps })).published).not.toContain(first.id);
    expect((await getItem({ deps: h.deps, id: first.id })).status).toBe('approved');
    // the clock reaches the time: the scheduler (every 200 ms here) publishes it
    srv.clock.now = new Date(srv.clock.now.getTime() + 2 * 3_600_000 + 60_000);
    await expect.poll(async () => (await getItem({ deps: h.deps, id: first.id })).status, { timeout: 10_000, interval: 200 }).toBe('published');
    // after publishing the status turns into the public link once the page answers
    await page.goto(`/workbench/review/${first.id}`);
    await expect.poll(attrOf(page.locator('[data-publish-status] a'), 'href'), { timeout: 240_000, interval: 500 }).toMatch(/\/notices\/[a-z0-9-]+\/$/);
    const href = (await page.locator('[data-publish-status] a').getAttribute('href'))!;
    expect((await page.request.get(href)).status()).toBe(200);
    await expect.poll(textOf(page.locator('.channel-buttons')), POLL).toContain('复制到公众号');
    await context.close();

    // scheduled, then the server is down while the time passes: published at start-up
    const second = await make('定时发布测试二');
    const { scheduleItem } = await import('../../server/editorial/service.ts');
    await scheduleItem({ deps: h.deps, actor: zhao, id: second.id, input: { at: new Date(srv.clock.now.getTime() + 3_600_000).toISOString(), version: second.version } });
    await srv.stop();
    srv.clock.now = new Date(srv.clock.now.getTime() + 5 * 3_600_000);
    // no periodic pass for an hour: only the one at start-up can publish it
    await srv.start(3_600_000);
    await expect.poll(async () => (await getItem({ deps: h.deps, id: second.id })).status, { timeout: 10_000, interval: 100 }).toBe('published');
    expect((await getItem({ deps: h.deps, id: second.id })).history.at(-1)).toMatchObject({ to: 'published', comment: '定时发布', actorId: zhao.id });
  });

  test('a Word-style paste keeps the list and the table, and drops the junk styles', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    const chen = await user('chen.editor');
    const item = await createItem({ deps: h.deps, actor: chen, input: { kind: 'notice', title: '粘贴测试', summary: '', body: docFromParagraphs(''), tags: [], groupIds: [], variants: {} } });
    await page.goto(`/workbench/items/${item.id}/edit`);
    await page.locator('.prose').click();
    const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";}</style></head><body>
<!--StartFragment--><h1 style="mso-outline-level:1">供暖报修须知</h1>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span><span style='font-family:宋体;color:red'>拨打报修电话</span><o:p></o:p></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>2.<span>&nbsp;&nbsp; </span></span>等待上门<o:p></o:p></p>
<table class=MsoTableGrid border=1 style='border-collapse:collapse;mso-yfti-tbllook:1184'><tr><td style='width:100pt'><p class=MsoNormal>片区</p></td><td><p class=MsoNormal>电话</p></td></tr><tr><td><p class=MsoNormal>五星街道</p></td><td><p class=MsoNormal>12345</p></td></tr></table>
<!--EndFragment--></body></html>`;
    await page.evaluate((html) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', '供暖报修须知 1. 拨打报修电话 2. 等待上门');
      document.querySelector('.prose')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, word);
    await expect.poll(() => page.locator('.prose ol li').count(), POLL).toBe(2);
    expect(await page.locator('.prose ol li').first().innerText()).toBe('拨打报修电话');
    expect(await page.locator('.prose table td, .prose table th').count()).toBe(4);
    expect(await page.locator('.prose h2').innerText()).toBe('供暖报修须知');
    expect(await page.locator('.prose [style*="color"]').count()).toBe(0);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(page.locator('#save-status')), POLL).toContain('已保存');
    const saved = JSON.stringify((await getItem({ deps: h.deps, id: item.id })).body);
    expect(saved).toContain('"orderedList"');
    expect(saved).toContain('"table"');
    expect(saved).not.toContain('mso-');
    expect(saved).not.toContain('1.\\u00a0');
    await context.close();
  });

  test('typed changes the server never confirmed (a crash, a closed tab) are offered back from the local copy', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    const chen = await user('chen.editor');
    const item = await createItem({ deps: h.deps, actor: chen, input: { kind: 'notice', title: '本地副本测试', summary: '', body: docFromParagraphs('服务器上的正文。'), tags: [], groupIds: [], variants: {} } });
    await page.goto(`/workbench/items/${item.id}/edit`);
    await page.locator('.prose').waitFor();
    // the tab dies before the autosave: cut the network, type, leave
    await context.setOffline(true);
    await page.getByLabel('标题', { exact: true }).fill('本地副本测试：断网时改的标题');
    await expect.poll(() => page.evaluate((id) => localStorage.getItem(`lianxin:local-copy:${id}`) ?? '', item.id), POLL).toContain('断网时改的标题');
    await page.close();
    await context.setOffline(false);
    expect((await getItem({ deps: h.deps, id: item.id })).title).toBe('本地副本测试');

    const again = await context.newPage();
    await again.goto(`/workbench/items/${item.id}/edit`);
    await again.locator('#local-copy').waitFor({ state: 'visible' });
    await again.getByRole('button', { name: '恢复本地副本' }).click();
    await expect.poll(attrOf(again.locator('#title'), 'value'), POLL).toBe('本地副本测试：断网时改的标题');
    expect((await getItem({ deps: h.deps, id: item.id })).title).toBe('本地副本测试：断网时改的标题');
    expect(await again.locator('#local-copy').isVisible()).toBe(false);
    await context.close();
  });

  test('links do not grow when typing after them, and the link panel opens with Ctrl+K', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    const chen = await user('chen.editor');
    const item = await createItem({ deps: h.deps, actor: chen, input: { kind: 'notice', title: '链接测试', summary: '', body: docFromParagraphs('区政府网站'), tags: [], groupIds: [], variants: {} } });
    await page.goto(`/workbench/items/${item.id}/edit`);
    await page.locator('.prose p').click();
    await page.keyboard.press('End');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Control+k');
    await page.getByLabel(/^链接地址/).fill('javascript:alert(1)');
    await page.getByLabel(/^链接地址/).press('Enter');
    await expect.poll(textOf(page.locator('[data-link-error]')), POLL).toContain('只允许');
    await page.getByLabel(/^链接地址/).fill('https://www.yancheng.gov.cn/');
    await page.getByLabel(/^链接地址/).press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type('，欢迎访问');
    await expect.poll(textOf(page.locator('.prose a')), POLL).toBe('区政府网站');
    expect(await page.locator('.prose p').innerText()).toBe('区政府网站，欢迎访问');
    await context.close();
  });

  test('the "/" menu and the link panel (Ctrl+K) open at the cursor, are keyboard driven, and Esc closes them', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    const chen = await user('chen.editor');
    const lines = Array.from({ length: 8 }, (_, i) => `第 ${i + 1} 段：供暖报修须知。`);
    const item = await createItem({ deps: h.deps, actor: chen, input: { kind: 'notice', title: '插入菜单位置', summary: '', body: docFromParagraphs(...lines, ''), tags: [], groupIds: [], variants: {} } });
    await page.goto(`/workbench/items/${item.id}/edit`);
    const last = page.locator('.prose p').last();
    await last.click();
    await page.keyboard.type('/');
    const menu = page.locator('#slash-menu');
    await menu.waitFor({ state: 'visible' });
    /** The panel sits just under the line (or just over it when the window has no room below), starting near its x. */
    const besideLine = async (panel: typeof menu, line: typeof menu, x: number) => {
      const p = (await line.boundingBox())!;
      const b = (await panel.boundingBox())!;
      const below = b.y >= p.y + p.height - 2 && b.y <= p.y + p.height + 24;
      const above = b.y + b.height <= p.y + 2 && b.y + b.height >= p.y - 24;
      return { near: (below || above) && Math.abs(b.x - x) <= 40, p, b };
    };
    const lineBox = (await last.boundingBox())!;
    expect((await besideLine(menu, last, lineBox.x)).near).toBe(true);
    // arrows move the choice, Esc closes and leaves the "/" typed
    await page.keyboard.press('ArrowDown');
    expect(await menu.locator('[aria-selected="true"]').innerText()).toBe('三级标题');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.isVisible(), POLL).toBe(false);
    expect(await last.innerText()).toBe('/');
    // again, and Enter inserts the chosen block where the cursor is
    await page.keyboard.press('Backspace');
    await page.keyboard.type('/');
    await menu.waitFor({ state: 'visible' });
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await menu.locator('[aria-selected="true"]').innerText()).toBe('有序列表');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.prose ol').count(), POLL).toBe(1);
    expect(await menu.isVisible()).toBe(false);

    // the link panel opens under the selected words in the sixth paragraph, not under the toolbar
    const sixth = page.locator('.prose p').nth(5);
    await sixth.click();
    await page.keyboard.press('Home');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Control+k');
    const panel = page.locator('#link-popover');
    await panel.waitFor({ state: 'visible' });
    const sixthBox = (await sixth.boundingBox())!;
    const placed = await besideLine(panel, sixth, sixthBox.x);
    expect(placed.near, JSON.stringify(placed)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('link-url');
    // Tab reaches its buttons; Esc from a button closes it and gives the text the focus back
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('确定');
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.isVisible(), POLL).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('ProseMirror'))).toBe(true);
    expect(await page.locator('.prose a').count()).toBe(0);
    await context.close();
  });

  test('the cover is cropped by dragging and given a focal point by clicking; the published cover and the WeChat cover show that region', { timeout: 240_000 }, async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    const chen = await user('chen.editor');
    const zhao = await user('zhao.reviewer');
    const item = await createItem({ deps: h.deps, actor: chen, input: { kind: 'notice', title: '封面裁剪', summary: '', body: docFromParagraphs('正文。'), tags: [], groupIds: [], variants: {} } });
    await page.goto(`/workbench/items/${item.id}/edit`);
    await page.locator('#cover-file').setInputFiles({ name: 'regions.png', mimeType: 'image/png', buffer: await colourRegions() });
    const stage = page.locator('#crop-stage');
    await stage.waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#crop-image').evaluate((img: HTMLImageElement) => img.naturalWidth), POLL).toBe(1600);
    await page.getByLabel('裁剪比例').selectOption('1:1');
    await stage.scrollIntoViewIfNeeded();
    // drag from the top-left of the right half past the bottom-right corner: a square, kept inside the image
    const box = (await stage.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2 + 3, box.y + 3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.8, { steps: 4 });
    await page.mouse.move(box.x + box.width + 10, box.y + box.height + 10, { steps: 4 });
    await page.mouse.up();
    // a click low on the right: the focal point, in the green
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.95);
    expect(Number(await page.getByLabel('宽', { exact: true }).inputValue())).toBe(Number(await page.getByLabel('高', { exact: true }).inputValue()));
    expect(await page.locator('#crop-thumb').isVisible()).toBe(true);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(page.locator('#save-status')), POLL).toContain('已保存');
    const crop = (await getItem({ deps: h.deps, id: item.id })).coverCrop!;
    expect(crop.aspect).toBe('1:1');
    expect(crop.width).toBe(crop.height);
    expect(crop.x).toBeGreaterThanOrEqual(800);
    expect(crop.x + crop.width).toBeLessThanOrEqual(1600);
    expect(crop.focusY).toBeGreaterThan(0.85);
    // a typed rectangle past the edge is flagged at the panel and never saved
    await page.getByLabel('左边距').fill('1500');
    await page.getByLabel('左边距').press('Tab');
    await expect.poll(textOf(page.locator('#crop-error')), POLL).toContain('封面裁剪：区域超出图片右边');
    await page.getByLabel('左边距').fill(String(crop.x));
    await page.getByLabel('左边距').press('Tab');
    await expect.poll(() => page.locator('#crop-error').isVisible(), POLL).toBe(false);
    expect((await getItem({ deps: h.deps, id: item.id })).coverCrop).toEqual(crop);
    await context.close();

    await transitionItem({ deps: h.deps, actor: chen, id: item.id, input: { to: 'in-review' } });
    await transitionItem({ deps: h.deps, actor: zhao, id: item.id, input: { to: 'approved' } });
    await transitionItem({ deps: h.deps, actor: zhao, id: item.id, input: { to: 'published' } });
    const snapshot = (await readPublishSnapshot(h.deps, item.id))!;
    const site = readFileSync(join(h.dataDir, snapshot.cover!.slice(1)));
    const meta = await sharp(site).metadata();
    expect(meta.width).toBe(meta.height);
    expect(isBlue(await pixel(site, 3, 3))).toBe(true);
    expect(isGreen(await pixel(site, 3, meta.height! - 3))).toBe(true);
    for (const y of [3, meta.height! / 2, meta.height! - 3]) expect(isRed(await pixel(site, 1, y))).toBe(false);
    const ed = await loginAs(h, 'chen.editor');
    const res = await ed.page.request.get(`/api/items/${item.id}/export/wechat`);
    expect(res.status()).toBe(200);
    const thumb = (await res.json()).articles[0].thumb as { file: string; width: number; height: number };
    expect([thumb.width, thumb.height]).toEqual([900, 383]);
    const file = readFileSync(join(h.dataDir, 'site', 'exports', 'wechat', item.id, thumb.file));
    for (const [x, y] of [[450, 5], [450, 190], [5, 378], [895, 378]] as const) expect(isGreen(await pixel(file, x, y)), `${x},${y}`).toBe(true);
    // 下载微信包 is a .zip with the same files
    const zip = await ed.page.request.get(`/workbench/items/${item.id}/wechat-package`);
    expect(zip.headers()['content-type']).toBe('application/zip');
    expect(zip.headers()['content-disposition']).toMatch(/filename="wechat-[a-z0-9-]+\.zip"/);
    const zipFile = join(h.dataDir, 'wechat-package.zip');
    writeFileSync(zipFile, await zip.body());
    const names = execFileSync('unzip', ['-Z1', zipFile], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(names).toEqual(['package.json', 'preview.html', thumb.file].sort());
    expect(execFileSync('unzip', ['-p', zipFile, thumb.file]).equals(file)).toBe(true);
    await ed.context.close();
  });
});
