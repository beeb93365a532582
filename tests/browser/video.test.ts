import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { attrOf, describeBrowser, loginAs, POLL, startHarness, textOf, type Harness } from './harness.ts';
import { itemsOf } from '../../server/content/service.ts';
import type { Item } from '../../server/content/schema.ts';

describeBrowser('the video editor in a real browser', () => {
  let h: Harness;
  let image: string;
  beforeAll(async () => {
    h = await startHarness();
    image = join(h.dataDir, 'scene-test.png');
    await writeFile(image, await sharp({ create: { width: 540, height: 960, channels: 3, background: '#1f6feb' } }).png().toBuffer());
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  test('an editor creates a video, writes a two-scene storyboard, renders it and sees the video', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    await page.goto('/workbench/items');
    await page.getByRole('link', { name: '新建微视频' }).click();
    await page.getByLabel('标题').fill('浏览器测试：两镜头微视频');
    await page.getByLabel('第一个镜头的字幕').fill('第一镜：新增校车投入运营');
    await page.getByLabel('第一个镜头时长（秒）').fill('1');
    await page.getByRole('button', { name: '创建并开始编辑' }).click();
    await page.waitForURL(/\/workbench\/items\/it_[0-9a-f]+\/edit$/);
    const id = /items\/(it_[0-9a-f]+)\/edit/.exec(page.url())![1]!;

    // short cards, a second scene with an uploaded image; the total follows live
    await page.getByLabel('片头时长（秒）').fill('1');
    await page.getByLabel('片尾时长（秒）').fill('1');
    await page.getByRole('button', { name: '添加镜头' }).click();
    const second = page.locator('[data-scene]').nth(1);
    await expect.poll(textOf(second.locator('legend')), POLL).toBe('镜头 2');
    await second.getByLabel('字幕').fill('第二镜：护学岗上岗');
    await second.getByLabel('时长（秒）').fill('0.5');
    await expect.poll(textOf(page.locator('[data-total]')), POLL).toContain('有镜头短于 1 秒');
    await second.locator('[data-scene-file]').setInputFiles(image);
    await expect.poll(attrOf(second.locator('[data-scene-thumb]'), 'src'), POLL).toMatch(/^\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.png$/);

    // the server's error lands next to the field it names
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(second.locator('[data-error-for="scenes.1.seconds"]')), POLL).toContain('每个镜头至少 1 秒');
    expect(await second.getByLabel('时长（秒）').getAttribute('aria-invalid')).toBe('true');

    await second.getByLabel('时长（秒）').fill('1');
    await expect.poll(textOf(page.locator('[data-total-seconds]')), POLL).toBe('4.0');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(page.locator('#save-status')), POLL).toContain('已保存');
    expect(await second.locator('[data-error-for="scenes.1.seconds"]').isHidden()).toBe(true);
    const saved = (await itemsOf(h.deps).get(id)) as Extract<Item, { kind: 'video' }>;
    expect(saved.storyboard).toMatchObject({ titleCard: { seconds: 1 }, endCard: { seconds: 1 }, scenes: [{ text: '第一镜：新增校车投入运营', seconds: 1 }, { text: '第二镜：护学岗上岗', seconds: 1 }] });
    expect(saved.storyboard.scenes[1]!.image).toMatch(/^media\/[0-9a-f]{2}\/[0-9a-f]{64}\.png$/);

    // render: progress reaches 100% and the video appears
    await page.getByRole('button', { name: '生成视频' }).click();
    await expect.poll(textOf(page.locator('[data-render-percent]')), { timeout: 90_000, interval: 200 }).toBe('100%');
    await expect.poll(attrOf(page.locator('[data-render-output] video'), 'src'), POLL).toMatch(/^\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.mp4$/);
    expect(await page.locator('[data-render-output] video').getAttribute('poster')).toMatch(/\.jpg$/);
    await expect.poll(textOf(page.locator('[data-render-meta]')), POLL).toMatch(/时长 4\.0 秒 · 1080×1920 · \d+(\.\d)? (KB|MB)/);
    expect(await page.locator('[data-render-stale]').isHidden()).toBe(true);
    // the video plays in the page (Chromium decodes its metadata)
    await expect.poll(() => page.locator('[data-render-output] video').evaluate((v: HTMLVideoElement) => v.duration), { timeout: 10_000 }).toBeGreaterThan(3.9);

    // the editor's version followed the render: editing again saves without a conflict, and marks the render stale
    await page.locator('[data-scene]').first().getByLabel('字幕').fill('第一镜：新增十二辆校车');
    await expect.poll(attrOf(page.locator('[data-render-stale]'), 'hidden'), POLL).toBeNull();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(page.locator('#save-status')), POLL).toContain('已保存');
    expect(await page.locator('#conflict').isHidden()).toBe(true);
    await context.close();
  });
});
