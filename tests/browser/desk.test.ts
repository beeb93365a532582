import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeBrowser, loginAs, POLL, startHarness, textOf, type Harness } from './harness.ts';

describeBrowser('the weekly desk on a phone (390×844)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a volunteer imports an Excel sheet with Chinese headers and Excel dates; an editor groups ungrouped concerns, undoes, and a merge asks for confirmation first', async () => {
    // The volunteer: a sheet saved from Excel (UTF-8 with BOM, Chinese headers, 2026/… and 年月日 dates, short district names).
    const xu = await loginAs(h, 'xu.reporter');
    await xu.page.setViewportSize({ width: 390, height: 844 });
    const sheet = join(h.dataDir, 'week.csv');
    const today = new Date(Date.now() + 8 * 3_600_000);
    const ymd = (sep: string) => `${today.getUTCFullYear()}${sep}${today.getUTCMonth() + 1}${sep}${today.getUTCDate()}`;
    const lines = [
      '内容,平台,区县,时间',
      `五星街道幸福里小区门口的下水道堵了好几天,抖音,亭湖,${ymd('/')} 8:30`,
      `五星街道菜场旁边的路灯一到晚上就灭,小红书,亭湖区,${today.getUTCFullYear()}年${today.getUTCMonth() + 1}月${today.getUTCDate()}日 9:05`,
    ];
    await writeFile(sheet, `\uFEFF${lines.join('\r\n')}\r\n`);
    await xu.page.goto('/workbench/concerns/import');
    await xu.page.locator('input[type="file"]').setInputFiles(sheet);
    await xu.page.getByRole('button', { name: '导入' }).click();
    await expect.poll(textOf(xu.page.locator('[data-import-result]')), POLL).toMatch(/导入\s*2\s*条/);

    // The concern list is cards on a phone: one row is as wide as the screen, not a column of two characters.
    await xu.page.goto('/workbench/concerns');
    const row = xu.page.locator('table.list.cards tbody tr').first();
    await expect.poll(async () => (await row.boundingBox())?.width ?? 0, POLL).toBeGreaterThan(300);
    await expect.poll(() => row.evaluate((el) => getComputedStyle(el).display), POLL).toBe('block');

    // The editor: the two one-offs are in 未分组的关切 with checkboxes; check both and make a group.
    const chen = await loginAs(h, 'chen.editor');
    const page = chen.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/workbench/groups');
    const ungrouped = page.locator('[data-ungrouped]');
    await expect.poll(textOf(ungrouped), POLL).toContain('幸福里小区门口的下水道');
    await ungrouped.locator('label', { hasText: '幸福里小区门口的下水道' }).locator('input[type="checkbox"]').check();
    await ungrouped.locator('label', { hasText: '菜场旁边的路灯' }).locator('input[type="checkbox"]').check();
    await page.getByLabel('新建分组').fill('五星街道市政小修');
    await ungrouped.getByRole('button', { name: '新建分组' }).click();
    await expect.poll(textOf(page.locator('.flash')), POLL).toContain('已新建分组「五星街道市政小修」（2 条）');
    await expect.poll(textOf(page.locator('[data-ungrouped]')), POLL).not.toContain('幸福里小区门口的下水道');

    // Undo is offered and puts them back.
    await page.locator('[data-undo]').getByRole('button', { name: '撤销' }).click();
    await expect.poll(textOf(page.locator('.flash')), POLL).toContain('已撤销');
    await expect.poll(textOf(page.locator('[data-ungrouped]')), POLL).toContain('幸福里小区门口的下水道');

    // Two groups of one each, then a merge: it asks first; dismissing changes nothing, accepting merges.
    for (const [text, title] of [['幸福里小区门口的下水道', '下水道堵塞'], ['菜场旁边的路灯', '路灯不亮']] as const) {
      await page.locator('[data-ungrouped] label', { hasText: text }).locator('input[type="checkbox"]').check();
      await page.getByLabel('新建分组').fill(title);
      await page.locator('[data-ungrouped]').getByRole('button', { name: '新建分组' }).click();
      await expect.poll(textOf(page.locator('.flash')), POLL).toContain(`已新建分组「${title}」`);
    }
    const card = page.locator('[data-group]').filter({ has: page.getByRole('heading', { name: /^下水道堵塞/ }) });
    const groupsBefore = await page.locator('[data-group]').count();
    page.once('dialog', (d) => void d.dismiss());
    await card.getByRole('button', { name: '合并', exact: true }).click();
    await page.waitForTimeout(500);
    expect(await page.locator('[data-group]').count()).toBe(groupsBefore);
    page.once('dialog', (d) => {
      expect(d.message()).toContain('确定把所选分组并入本组吗');
      void d.accept();
    });
    await card.getByRole('button', { name: '合并', exact: true }).click();
    await expect.poll(textOf(page.locator('.flash')), POLL).toContain('已合并到「下水道堵塞」');
    await expect.poll(() => page.locator('[data-group]').count(), POLL).toBe(groupsBefore - 1);
    await xu.context.close();
    await chen.context.close();
  });
});
