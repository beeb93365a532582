import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
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
    await xu.page.getByRole('button', { name: '上传并预览' }).click();
    // a preview first: nothing is added until it is confirmed
    await expect.poll(textOf(xu.page.locator('[data-import-preview]')), POLL).toMatch(/将导入\s*2\s*条/);
    await xu.page.getByRole('button', { name: '确认导入 2 条' }).click();
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
    // on the phone the 上报说明 field gets a line of its own, not a sliver between its label and button
    await expect.poll(async () => (await card.getByLabel('上报说明').boundingBox())?.width ?? 0, POLL).toBeGreaterThan(250);
    await xu.context.close();
    await chen.context.close();
  });
  test('the week end to end on a phone: a volunteer logs and imports, the editor groups every concern, writes the summary, the report goes up and the feedback comes back down', async () => {
    const phone = { width: 390, height: 844 };
    const marker = `第${Date.now() % 100000}号`;

    // The volunteer: the big button on the home page, one concern by hand.
    const xu = await loginAs(h, 'xu.reporter');
    await xu.page.setViewportSize(phone);
    await xu.page.goto('/workbench');
    const before = Number(await xu.page.locator('[data-week-count]').innerText());
    await xu.page.getByRole('link', { name: '登记关切', exact: true }).click();
    await xu.page.locator('#text').fill(`${marker}：五星街道健身广场的器材坏了，孩子差点受伤`);
    await xu.page.locator('#platform').selectOption({ label: '抖音' });
    await xu.page.locator('#district').selectOption('亭湖区');
    await xu.page.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(textOf(xu.page.locator('.flash')), POLL).toContain('已登记');

    // An Excel workbook: Chinese headers, a real date cell and a serial number, a short district name.
    const now = new Date(Date.now() + 8 * 3_600_000);
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('本周');
    ws.addRow(['内容', '平台', '区县', '发布时间']);
    ws.addRow([`${marker}：五星街道幸福里的垃圾桶满了没人清`, '微博', '亭湖', new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 0, 10))]);
    const serial = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - Date.UTC(1899, 11, 30)) / 86_400_000 + 0.01;
    ws.addRow([`${marker}：五星街道菜场门口电动车乱停`, '快手', '亭湖区', serial]);
    ws.getColumn(4).numFmt = 'yyyy/m/d h:mm';
    const file = join(h.dataDir, '本周关切.xlsx');
    await ws.workbook.xlsx.writeFile(file);
    await xu.page.goto('/workbench/concerns/import');
    await xu.page.locator('input[type="file"]').setInputFiles(file);
    await xu.page.getByRole('button', { name: '上传并预览' }).click();
    await expect.poll(textOf(xu.page.locator('[data-preview-rows]')), POLL).toContain('五星街道幸福里的垃圾桶');
    await xu.page.getByRole('button', { name: '确认导入 2 条' }).click();
    await expect.poll(textOf(xu.page.locator('[data-import-result]')), POLL).toMatch(/导入\s*2\s*条/);
    await xu.page.goto('/workbench');
    await expect.poll(async () => Number(await xu.page.locator('[data-week-count]').innerText()), POLL).toBe(before + 3);

    // The editor groups every concern of the week: each suggestion accepted, the rest checked into one group.
    const chen = await loginAs(h, 'chen.editor');
    const page = chen.page;
    await page.setViewportSize(phone);
    await page.goto('/workbench/groups');
    const accept = page.locator('[data-suggestion] button', { hasText: '接受' });
    for (let n = await accept.count(); n > 0; n = await accept.count()) {
      await accept.first().click();
      await expect.poll(() => accept.count(), POLL).toBeLessThan(n);
    }
    const boxes = page.locator('[data-ungrouped] input[type="checkbox"]');
    if ((await boxes.count()) > 0) {
      for (const box of await boxes.all()) await box.check();
      await page.getByLabel('新建分组').fill('五星街道民生小事');
      await page.locator('[data-ungrouped]').getByRole('button', { name: '新建分组' }).click();
    }
    await expect.poll(textOf(page.locator('[data-ungrouped]')), POLL).toContain('本周每条关切都已在分组或建议分组中');
    await expect.poll(textOf(page.locator('#suggested-title .count')), POLL).toBe('0');

    // The summary, written in the editor (tiptap), saved; the charts are on the page.
    await page.goto('/workbench/reports?org=tinghu');
    const editor = page.locator('[data-rich-editor="summary"] .ProseMirror');
    await editor.click();
    await page.keyboard.type(`本周五星街道民生小事集中（${marker}）。`);
    await page.keyboard.press('Enter');
    await page.locator('.rich-box', { has: editor }).getByRole('button', { name: '列表' }).click();
    await page.keyboard.type('健身器材、垃圾清运、电动车停放');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(page.locator('.flash')), POLL).toContain('已保存本周综述与研判建议');
    await expect.poll(() => page.locator('[data-rich-editor="summary"] li').innerText(), POLL).toContain('健身器材、垃圾清运、电动车停放');
    await expect.poll(() => page.locator('[data-report-charts] [data-chart] svg').count(), POLL).toBeGreaterThanOrEqual(3);

    // A reviewer of the district submits it (after a confirm); it is frozen.
    const zhao = await loginAs(h, 'zhao.reviewer');
    await zhao.page.setViewportSize(phone);
    await zhao.page.goto('/workbench/reports?org=tinghu');
    zhao.page.once('dialog', (d) => void d.accept());
    await zhao.page.locator('[data-submit-filing]').getByRole('button', { name: '提交上级' }).click();
    await expect.poll(textOf(zhao.page.locator('.flash')), POLL).toMatch(/周报已提交上级/);
    await expect.poll(textOf(zhao.page.locator('[data-filing-text]')), POLL).toContain(marker);

    // The city receives it and sends feedback.
    const li = await loginAs(h, 'li.reviewer');
    await li.page.setViewportSize(phone);
    await li.page.goto('/workbench/reports');
    await expect.poll(() => li.page.locator('[data-child-filing="tinghu"]').getAttribute('data-state'), POLL).toBe('submitted');
    await li.page.locator('[data-child-filing="tinghu"] a').click();
    await li.page.getByRole('button', { name: '接收周报' }).click();
    await expect.poll(textOf(li.page.locator('.flash')), POLL).toContain('已接收该周报');
    await li.page.getByLabel(/^反馈给/).fill(`请跟进健身器材维修（${marker}）`);
    await li.page.getByRole('button', { name: '反馈', exact: true }).click();
    await expect.poll(textOf(li.page.locator('.flash')), POLL).toContain('已反馈');

    // The volunteer sees the feedback on what they logged.
    await xu.page.goto('/workbench');
    await expect.poll(textOf(xu.page.locator('[data-panel="my-concerns"]')), POLL).toMatch(new RegExp(`上级反馈：[^·]*请跟进健身器材维修（${marker}）`));
    for (const s of [xu, chen, zhao, li]) await s.context.close();
  });
});
