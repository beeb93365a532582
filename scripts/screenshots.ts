/**
 * Writes docs/screenshots/editor.png, review.png and notifications.png from the real workbench with
 * the demo data, in Debian's Chromium with the project's Noto Sans SC. Run: npx tsx scripts/screenshots.ts
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PASSWORD, CHROMIUM, startHarness } from '../tests/browser/launch.ts';
import { DEMO_PASSWORD } from './seed/demo.ts';
import { itemsOf, updateItem } from '../server/content/service.ts';
import { transitionItem } from '../server/review/service.ts';
import { findUserByName, publicUser } from '../server/users/service.ts';
import type { TiptapDoc } from '../server/content/tiptap.ts';
import { addComment } from '../server/comments/service.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');

const text = (t: string, bold = false) => ({ type: 'text', text: t, ...(bold ? { marks: [{ type: 'bold' }] } : {}) });
const para = (...content: object[]) => ({ type: 'paragraph', content });
const heading = (t: string) => ({ type: 'heading', attrs: { level: 2 }, content: [text(t)] });
const list = (...items: string[]) => ({ type: 'bulletList', content: items.map((t) => ({ type: 'listItem', content: [para(text(t))] })) });

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} 不存在：请先 apt-get install -y chromium`);
  mkdirSync(OUT, { recursive: true });
  const h = await startHarness();
  try {
    const deps = h.deps;
    const chen = publicUser((await findUserByName({ deps, username: 'chen.editor' }))!);
    const items = await itemsOf(deps).list();
    // the draft gets a realistic body and channel variants for the editor shot
    const draft = items.find((i) => i.status === 'draft' && i.authorId === chen.id)!;
    const body: TiptapDoc = {
      type: 'doc',
      content: [
        heading('网友关心什么'),
        para(text('本周共收到 21 条关于加装电梯的留言，集中在'), text('补贴标准', true), text('和申请流程。')),
        heading('怎么申请'),
        list('业主协商一致后，向街道提交申请材料。', '住建局 15 个工作日内完成审核。', '竣工验收后按每台 20 万元标准发放补贴。'),
        para(text('咨询电话：0515-8888 0000（工作日 8:30–17:30）。')),
      ] as TiptapDoc['content'],
    };
    await updateItem({ deps, actor: chen, id: draft.id, input: { version: draft.version, body, summary: '【演示数据】加装电梯补贴怎么申请？一图读懂流程。', tags: ['城建', '加装电梯'], variants: { wechat: { title: '加装电梯补贴每台20万元，申请流程看这里', digest: '业主协商、街道受理、住建审核、验收发放。' }, weibo: { text: '【加装电梯补贴每台20万元】申请流程看这里 https://example.org/notices/elevator/' } } } });
    // the sent-back item is revised and resubmitted, so the review page shows a real diff
    const sentBack = items.find((i) => i.status === 'changes-requested')!;
    const revised = await updateItem({ deps, actor: chen, id: sentBack.id, input: { version: sentBack.version, summary: '【演示数据】K3 路 12 月 9 日起调整站点，首末班时间不变。', variants: { wechat: { title: 'K3路12月9日起调整站点' }, weibo: { text: '【K3路调整】12月9日起取消市二中站、新增五星花园站。' } }, body: { type: 'doc', content: [heading('调整内容'), para(text('K3 路自 12 月 9 日起调整部分站点：'), text('取消“市二中站”', true), text('，新增“五星花园站”。')), list('首班车 6:00，末班车 21:00。', '咨询电话：0515-8832 0000。')] } as TiptapDoc } });
    await transitionItem({ deps, actor: chen, id: sentBack.id, input: { to: 'in-review', version: revised.version } });
    const zhao = publicUser((await findUserByName({ deps, username: 'zhao.reviewer' }))!);
    await addComment({ deps, actor: zhao, id: sentBack.id, input: { body: '@chen.editor 请核实新站点名称是否与公交公司公告一致。', quote: '新增“五星花园站”' } });
    // a day's worth of notifications for chen: one approved, one sent back, one mention (above)
    const waiting = items.find((i) => i.status === 'in-review' && i.authorId === chen.id);
    if (waiting) await transitionItem({ deps, actor: zhao, id: waiting.id, input: { to: 'approved', version: waiting.version } });
    const { createItem } = await import('../server/content/service.ts');
    const extra = await createItem({ deps, actor: chen, input: { kind: 'notice', title: '冬季供暖报修电话公布', summary: '【演示数据】', body: { type: 'doc', content: [para(text('报修电话 12345。'))] } as TiptapDoc, tags: ['民生'], groupIds: [], variants: {} } as never });
    const submitted = await transitionItem({ deps, actor: chen, id: extra.id, input: { to: 'in-review', version: extra.version, assigneeId: zhao.id } });
    await transitionItem({ deps, actor: zhao, id: extra.id, input: { to: 'changes-requested', version: submitted.version, comment: '请补充各片区的报修电话和受理时间。' } });

    const shoot = async (username: string, path: string, file: string, before?: (page: import('playwright-core').Page) => Promise<void>, height = 1000, width = 1440) => {
      const context = await h.browser.newContext({ baseURL: h.url, locale: 'zh-CN', viewport: { width, height }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto('/workbench/login');
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL((url) => !url.pathname.endsWith('/login'));
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await before?.(page);
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: join(OUT, file), fullPage: false });
      await context.close();
      console.log(`已写入 docs/screenshots/${file}`);
    };
    await shoot('chen.editor', `/workbench/items/${draft.id}/edit`, 'editor.png', async (page) => {
      await page.getByRole('tab', { name: '微信预览' }).click();
      await page.locator('.prose').click();
    });
    await shoot(
      'zhao.reviewer',
      `/workbench/review/${sentBack.id}`,
      'review.png',
      async (page) => {
        await page.getByRole('tab', { name: '微信预览' }).click();
      },
      1800,
    );
    await shoot('chen.editor', '/workbench/notifications', 'notifications.png', undefined, 700);
    // a volunteer on a phone (390×844): the big 登记关切 button and what became of what they logged
    await shoot('xu.reporter', '/workbench', 'reporter-phone.png', undefined, 844, 390);
  } finally {
    await h.close();
  }
}

await main();
