import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { attrOf, csrfOf, describeBrowser, loginAs, POLL, startHarness, textOf, type Harness } from './harness.ts';
import type { PublishedItem } from '../../server/content/snapshot.ts';

describeBrowser('the review flow in a real browser', () => {
  let h: Harness;
  let image: string;
  beforeAll(async () => {
    h = await startHarness();
    image = join(h.dataDir, 'upload-test.png');
    await writeFile(image, await sharp({ create: { width: 320, height: 180, channels: 3, background: '#b4232a' } }).png().toBuffer());
  });
  afterAll(async () => {
    await h?.close();
  });

  test('an editor writes and submits a notice, cannot approve it, and a reviewer approves and publishes it', async () => {
    const chen = await loginAs(h, 'chen.editor');
    const page = chen.page;
    await expect.poll(textOf(page.locator('.who')), POLL).toContain('亭湖区');
    await expect.poll(textOf(page.locator('.who')), POLL).toContain('编辑');

    // create the notice
    await page.goto('/workbench/items/new?kind=notice');
    await page.getByLabel('标题').fill('浏览器测试：老旧小区加装电梯补贴开放申请');
    await page.getByRole('button', { name: '创建并开始编辑' }).click();
    await page.waitForURL(/\/workbench\/items\/it_[0-9a-f]+\/edit$/);
    const id = /items\/(it_[0-9a-f]+)\/edit/.exec(page.url())![1]!;

    // type a heading and a paragraph with bold text and a link in tiptap
    const body = page.locator('.prose');
    await body.click();
    await page.getByRole('button', { name: '二级标题' }).click();
    await page.keyboard.type('网友关心的电梯补贴');
    await page.keyboard.press('Enter');
    await page.keyboard.type('补贴标准为');
    await page.getByRole('button', { name: '加粗' }).click();
    await page.keyboard.type('每台二十万元');
    await page.getByRole('button', { name: '加粗' }).click();
    await page.keyboard.type('，详见区政府网站');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowLeft');
    // the link panel (no window.prompt): address, Enter applies
    await page.getByRole('button', { name: '链接' }).click();
    await page.getByLabel(/^链接地址/).fill('https://www.yancheng.gov.cn/');
    await page.getByLabel(/^链接地址/).press('Enter');
    await expect.poll(textOf(body.locator('a[href="https://www.yancheng.gov.cn/"]')), POLL).toBe('区政府网站');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');

    // upload an image through the toolbar
    // after the upload the image's alt field is in the page (no window.prompt)
    await page.locator('#image-file').setInputFiles(image);
    await page.getByLabel(/^图片说明/).fill('加装电梯示意图');
    await expect.poll(attrOf(body.locator('img[alt="加装电梯示意图"]'), 'src'), POLL).toMatch(/^\/media\/[0-9a-f]{2}\/[0-9a-f]{64}[./]/);
    const src = await body.locator('img').getAttribute('src');
    expect((await page.request.get(src!)).status()).toBe(200);

    // the Weibo counter counts the Weibo way: CJK 1, ASCII ½, a link 10 (45 half-widths → 23, not 38 characters),
    // plus what the export appends: a space and the page link (21 half-widths; no tags yet) → 66 half-widths = 33
    await page.getByLabel('微博正文').fill('【电梯补贴】每台二十万元 https://www.yancheng.gov.cn/');
    await expect.poll(textOf(page.locator('#weiboText-count')), POLL).toMatch(/^33 \/ 140（含导出时附加的话题和链接 11 字）$/);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(page.locator('#save-status')), POLL).toContain('已保存');

    const saved = (await (await page.request.get(`/api/items/${id}`)).json()).item;
    expect(saved.body.content[0]).toMatchObject({ type: 'heading', attrs: { level: 2 }, content: [{ text: '网友关心的电梯补贴' }] });
    const paragraph = JSON.stringify(saved.body.content[1]);
    expect(paragraph).toContain('"type":"bold"');
    expect(paragraph).toContain('https://www.yancheng.gov.cn/');
    expect(JSON.stringify(saved.body)).toContain(src!);

    // submit for review
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(textOf(page.locator('.flash-ok')), POLL).toContain('已提交审核');
    await expect.poll(textOf(page.locator('.status').first()), POLL).toBe('待审核');

    // the same editor cannot approve: no button, and the API refuses
    await page.goto(`/workbench/review/${id}`);
    await page.locator('.transitions').waitFor();
    expect(await page.getByRole('button', { name: '审核通过' }).count()).toBe(0);
    const refused = await page.request.post(`/api/items/${id}/transitions`, { data: { to: 'approved' }, headers: { 'X-CSRF-Token': (await csrfOf(page))! } });
    expect(refused.status()).toBe(403);
    await chen.context.close();

    // a reviewer sees the diff and approves, then publishes
    const zhao = await loginAs(h, 'zhao.reviewer');
    await zhao.page.goto('/workbench/review');
    await zhao.page.getByRole('link', { name: '浏览器测试：老旧小区加装电梯补贴开放申请' }).click();
    await zhao.page.locator('.diff-blocks ins').first().waitFor();
    await expect.poll(textOf(zhao.page.locator('.diff-blocks')), POLL).toContain('网友关心的电梯补贴');
    await expect.poll(textOf(zhao.page.locator('[data-diff-summary]')), POLL).toContain('新增');
    await zhao.page.getByRole('button', { name: '审核通过' }).click();
    await expect.poll(textOf(zhao.page.locator('.flash-ok')), POLL).toContain('已通过');
    await zhao.page.getByRole('button', { name: '发布' }).click();
    await expect.poll(textOf(zhao.page.locator('.flash-ok')), POLL).toContain('已发布');
    await expect.poll(textOf(zhao.page.locator('.timeline')), POLL).toContain('已通过 → 已发布');

    // published: the snapshot the site is built from carries the text, and the public page shows it
    const snapshot = JSON.parse(await readFile(join(h.dataDir, 'published', 'items', `${id}.json`), 'utf8')) as PublishedItem;
    expect(snapshot.status).toBe('published');
    expect(snapshot.bodyHtml).toContain('网友关心的电梯补贴');
    expect(snapshot.bodyHtml).toContain('<strong>每台二十万元</strong>');
    expect(snapshot.bodyHtml).toContain('href="https://www.yancheng.gov.cn/"');
    await zhao.page.goto(`/workbench/items/${id}/preview`);
    await expect.poll(textOf(zhao.page.locator('.site-body h2')), POLL).toBe('网友关心的电梯补贴');
    // the publisher renders the page in the background (the first start builds the whole site first)
    await expect.poll(async () => (await zhao.page.request.get(snapshot.url)).status(), { timeout: 90_000, interval: 500 }).toBe(200);
    await zhao.page.goto(snapshot.url);
    await expect.poll(textOf(zhao.page.locator('main')), POLL).toContain('网友关心的电梯补贴');
    await expect.poll(textOf(zhao.page.locator('main strong')), POLL).toBe('每台二十万元');
    await zhao.context.close();
  });
});
