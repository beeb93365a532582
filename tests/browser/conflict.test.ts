import { afterAll, beforeAll, expect, test } from 'vitest';
import { attrOf, describeBrowser, loginAs, POLL, startHarness, textOf, type Harness } from './harness.ts';
import { createItem, getItem, itemHistory } from '../../server/content/service.ts';
import { docFromParagraphs, docText } from '../../server/content/tiptap.ts';
import { findUserByName, publicUser } from '../../server/users/service.ts';

describeBrowser('edit conflicts between two browser windows', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a stale save shows the conflict, never overwrites silently, and both choices do what they say', async () => {
    const chen = publicUser((await findUserByName({ deps: h.deps, username: 'chen.editor' }))!);
    const item = await createItem({ deps: h.deps, actor: chen, input: { kind: 'notice', title: '冲突测试：原标题', summary: '', body: docFromParagraphs('原来的第一段。'), tags: [], groupIds: [], variants: {} } });
    const a = await loginAs(h, 'chen.editor');
    const b = await loginAs(h, 'chen.editor');
    const edit = `/workbench/items/${item.id}/edit`;
    await a.page.goto(edit);
    await b.page.goto(edit);
    await a.page.locator('.prose').waitFor();
    await b.page.locator('.prose').waitFor();

    // A saves first
    await a.page.getByLabel('标题', { exact: true }).fill('冲突测试：A 改的标题');
    await a.page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(a.page.locator('#save-status')), POLL).toContain('已保存');

    // B, still on the old version, saves: the conflict panel opens and nothing of B's reaches the server
    await b.page.locator('.prose').click();
    await b.page.keyboard.press('End');
    await b.page.keyboard.type('B 补充的一句。');
    await b.page.getByRole('button', { name: '保存', exact: true }).click();
    await b.page.locator('#conflict').waitFor({ state: 'visible' });
    await expect.poll(textOf(b.page.locator('#conflict')), POLL).toContain('冲突测试：A 改的标题');
    let stored = await getItem({ deps: h.deps, id: item.id });
    expect(stored.title).toBe('冲突测试：A 改的标题');
    expect(docText(stored.body)).not.toContain('B 补充的一句');
    expect(stored.version).toBe(2);

    // B reloads theirs: A's title, without B's sentence
    await b.page.getByRole('button', { name: '载入对方的版本（放弃我的修改）' }).click();
    await b.page.waitForLoadState('load');
    await expect.poll(attrOf(b.page.locator('#title'), 'value'), POLL).toBe('冲突测试：A 改的标题');
    await expect.poll(textOf(b.page.locator('.prose')), POLL).not.toContain('B 补充的一句');
    await expect.poll(textOf(b.page.locator('#version-label')), POLL).toBe('2');

    // now B saves on the current version; A is the stale one and autosave runs into the conflict
    await b.page.getByLabel('摘要', { exact: true }).fill('B 写的摘要');
    await b.page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(b.page.locator('#save-status')), POLL).toContain('已保存');
    await a.page.getByLabel('标签（用逗号或顿号分隔）').fill('电梯，民生');
    await a.page.locator('#conflict').waitFor({ state: 'visible', timeout: 10_000 });
    stored = await getItem({ deps: h.deps, id: item.id });
    expect(stored.summary).toBe('B 写的摘要');
    expect(stored.tags).toEqual([]);

    // A keeps theirs knowingly (confirmed): A's form wins, B's version stays in the revision history
    a.page.once('dialog', (dialog) => void dialog.accept());
    await a.page.getByRole('button', { name: '保留我的修改（覆盖对方的版本）' }).click();
    await expect.poll(textOf(a.page.locator('#save-status')), POLL).toContain('已保存');
    stored = await getItem({ deps: h.deps, id: item.id });
    expect(stored.tags).toEqual(['电梯', '民生']);
    expect(stored.version).toBe(4);
    const { revisions } = await itemHistory({ deps: h.deps, id: item.id });
    expect(revisions.map((r) => r.itemVersion)).toEqual([1, 2, 3, 4]);
    await a.context.close();
    await b.context.close();
  });
});
