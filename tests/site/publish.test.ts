import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { seedDemo } from '../../scripts/seed/demo.ts';
import { createItem } from '../../server/content/service.ts';
import { transitionItem } from '../../server/review/service.ts';
import type { User } from '../../server/users/schema.ts';
import { startPublisher, type Publisher } from '../../server/publish/publisher.ts';
import { SITE_URL, XSS_TITLE } from './helpers.ts';

let deps: Deps;
let publisher: Publisher;
let app: ReturnType<typeof createApp>;
const user = async (username: string) => (await deps.store.collection<User>('users').list((u) => u.username === username))[0]!;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-publish-'));
  deps = createDeps({ store: createStore({ adapter: 'memory' }), config: loadConfig({}, { dataDir, siteUrl: SITE_URL }) });
  await seedDemo(deps);
  app = createApp(deps);
  publisher = startPublisher({ deps, debounceMs: 20, log: { info: () => undefined, error: console.error } });
  await publisher.idle(); // first start: full build
}, 300_000);

afterAll(() => publisher.stop());

describe('publishing updates the site', () => {
  test('an approved item published through the review flow is served with its page, list and feed; retracting it shows the note', async () => {
    const chen = await user('chen.editor');
    const zhao = await user('zhao.reviewer');
    let item = await createItem({
      deps,
      actor: chen,
      input: { kind: 'notice', title: XSS_TITLE.replace('\u0007', ''), summary: '增量发布测试', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '龙卷风过后的安置点名单' }] }] }, tags: ['防汛'], groupIds: [], variants: {} },
    });
    item = await transitionItem({ deps, actor: chen, id: item.id, input: { to: 'in-review' } });
    item = await transitionItem({ deps, actor: zhao, id: item.id, input: { to: 'approved' } });
    item = await transitionItem({ deps, actor: zhao, id: item.id, input: { to: 'published' } });
    await publisher.idle();

    const url = `/notices/${item.slug}/`;
    const page = await app.request(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('龙卷风过后的安置点名单');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(await (await app.request('/notices/')).text()).toContain(url);
    expect(await (await app.request('/tags/%E9%98%B2%E6%B1%9B/')).text()).toContain(url);
    expect(await (await app.request('/feeds/all.xml')).text()).toContain(`${SITE_URL}${url}`);
    expect((await app.request(`/cards/${item.id}.jpg`)).headers.get('content-type')).toBe('image/jpeg');

    await transitionItem({ deps, actor: zhao, id: item.id, input: { to: 'retracted', comment: '信息有误,已撤回。' } });
    await publisher.idle();
    const retracted = await (await app.request(url)).text();
    expect(retracted).toContain('本文已撤回');
    expect(retracted).not.toContain('龙卷风过后的安置点名单');
    expect(await (await app.request('/notices/')).text()).not.toContain(url);
  });
});
