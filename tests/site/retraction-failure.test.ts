// A failed page keeps its last good file; for a retracted item that file is the content it was retracted
// for. It must come down even when the retracted page cannot be rendered: the plain 本文已撤回 page
// takes its place (server/publish/retraction-page.ts). A corrected item whose page fails keeps its last
// good (uncorrected) page, and the build status lists it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HtmlValidate } from 'html-validate';
import { buildSite } from '../../server/publish/service.ts';
import { updateSite } from '../../server/publish/incremental.ts';
import type { PublishedItem } from '../../server/publish/schema.ts';
import { loadSnapshots, snapshotDir } from '../../server/publish/snapshots.ts';
import { readSiteStatus } from '../../server/publish/status.ts';
import { stopAstroBuilder } from '../../server/publish/build-site.ts';
import { startServer } from '../../server/main.ts';
import { makeSnapshot, writeFixtureSnapshots } from './fixtures.ts';
import { createTestEnv, type TestEnv } from '../helpers.ts';

/** An item showing this tag fails to render in the builder (tests/site/fail-render.mjs). */
const FAIL_TAG = '渲染失败测试';
const TITLE = '<script>alert(1)</script> 城东“积水”通告 & 绕行';
const OLD_BODY = '城东路段积水深达半米，请绕行';
const NOTE = '经核实<b>信息有误</b>，本文撤回。';

let env: TestEnv;
let server: Awaited<ReturnType<typeof startServer>>;
let args: { dataDir: string; outDir: string; siteUrl: string; siteTitle: string };
const original = new Map<string, PublishedItem>();

const notice = (n: number, slug: string, over: Record<string, unknown> = {}) =>
  makeSnapshot(n, { kind: 'notice', slug, url: `/notices/${slug}/`, title: `${TITLE} ${n}`, bodyHtml: `<p>${OLD_BODY}（${n}）</p>`, ...over });
const first = notice(950, 'flood');
const second = notice(951, 'flood-two');
const third = notice(952, 'flood-three', { seriesId: 'ser_flood' });
// a live item: its page reads the updates file, which makes it fail when that file is of the wrong shape
const liveBase = makeSnapshot(953, { kind: 'notice' });
const live = { ...liveBase, kind: 'live', id: 'it_livecorr', slug: 'storm', url: '/live/storm/', title: '台风直播：原标题', live: { mode: 'event', place: '', coverageStart: liveBase.publishedAt, state: 'ended' } } as unknown as PublishedItem;

const page = (item: PublishedItem) => readFileSync(join(args.outDir, item.url, 'index.html'), 'utf8');
const writeSnapshot = (item: PublishedItem) => writeFileSync(join(snapshotDir(args.dataDir), `${item.id}.json`), JSON.stringify(item));
const retract = (item: PublishedItem): PublishedItem => {
  const at = '2024-06-25T02:00:00.000Z';
  const next = { ...item, status: 'retracted', retraction: { at, note: NOTE }, tags: [...item.tags, FAIL_TAG], updatedAt: at } as PublishedItem;
  writeSnapshot(next);
  return next;
};

/** The page at the item's URL is the plain retraction page, on disk and over HTTP. */
async function expectRetractionPage(item: PublishedItem) {
  const html = page(item);
  const res = await fetch(`${server.url}${item.url}`);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(html);
  expect(html).not.toContain(OLD_BODY);
  expect(html).toContain('本文已撤回');
  expect(html).toContain('经核实&lt;b&gt;信息有误&lt;/b&gt;，本文撤回。');
  expect(html).toContain('2024年6月25日');
  expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt; 城东“积水”通告 &amp; 绕行');
  expect(html).not.toMatch(/<script/i);
  expect(html).toContain('<html lang="zh-CN">');
  expect(html).toContain('<a href="/">');
  const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(html);
  expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.message}`))).toEqual([]);
}

beforeAll(async () => {
  // the builder process (forked on the first build) loads the failure switch
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${join(import.meta.dirname, 'fail-render.mjs')}`.trim();
  env = await createTestEnv({ config: { port: 0, host: '127.0.0.1' } });
  args = { dataDir: env.dir, outDir: join(env.dir, 'site'), siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' };
  for (const item of writeFixtureSnapshots({ dataDir: env.dir, count: 3, extra: [first, second, third, live] })) original.set(item.id, item);
  await buildSite(args, { cards: false, search: false });
  server = await startServer(env.deps, { schedulerIntervalMs: 3_600_000 });
}, 600_000);

afterAll(async () => {
  await server?.close();
  stopAstroBuilder();
  await env?.close();
});

describe('a retracted item whose page fails to render', () => {
  test('an incremental update puts the plain retraction page in place of the old one; a failed correction keeps the last good page and is listed', async () => {
    for (const item of [first, second, third]) expect(page(item)).toContain(OLD_BODY);
    expect(await (await fetch(`${server.url}${first.url}`)).text()).toContain(OLD_BODY);
    const retracted = retract(first);
    // the live item is corrected while its updates file is broken: its page throws
    const corrected = { ...live, title: '台风直播：更正后的标题', corrections: [{ at: '2024-06-25T03:00:00.000Z', note: '地点更正。' }] } as PublishedItem;
    writeSnapshot(corrected);
    mkdirSync(join(args.dataDir, 'published', 'live', live.id), { recursive: true });
    writeFileSync(join(args.dataDir, 'published', 'live', live.id, 'latest.json'), '{}');

    const update = await updateSite({ ...args, ids: [retracted.id, corrected.id], before: new Map(original) });
    expect(update.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: retracted.id, path: retracted.url, reason: expect.stringContaining('forced render failure') }),
        expect.objectContaining({ itemId: corrected.id, path: corrected.url, reason: expect.stringContaining('not iterable') }),
      ]),
    );
    await expectRetractionPage(retracted);
    // the status says the page failed, and what was put in its place
    const status = readSiteStatus(args.dataDir);
    expect(status.failures.find((f) => f.itemId === retracted.id)?.reason).toContain('撤回说明页');
    // the correction did not make it: the last good page stays, and the status lists the item
    expect(page(live)).toContain('台风直播：原标题');
    expect(page(live)).not.toContain('更正后的标题');
    expect(status.failures.map((f) => f.itemId)).toContain(corrected.id);
    rmSync(join(args.dataDir, 'published', 'live', live.id, 'latest.json'));
  }, 600_000);

  test('a full build does the same', async () => {
    retract(second);
    const report = await buildSite(args, { cards: false, search: false });
    expect(report.failures.map((f) => f.itemId)).toEqual(expect.arrayContaining([first.id, second.id]));
    await expectRetractionPage(loadSnapshots({ dataDir: args.dataDir }).items.find((i) => i.id === second.id)!);
    await expectRetractionPage(loadSnapshots({ dataDir: args.dataDir }).items.find((i) => i.id === first.id)!);
    // the other pages were built
    expect(page(third)).toContain(OLD_BODY);
  }, 600_000);

  test('an update that fails as a whole has taken the retracted content down before it failed', async () => {
    const before = new Map(loadSnapshots({ dataDir: args.dataDir }).items.map((i) => [i.id, i]));
    const retracted = retract(third);
    // a series snapshot the update cannot read: it fails before any page is rendered
    mkdirSync(join(args.dataDir, 'published', 'series'), { recursive: true });
    writeFileSync(join(args.dataDir, 'published', 'series', 'ser_flood.json'), '{}');
    await expect(updateSite({ ...args, ids: [retracted.id], before })).rejects.toThrow();
    await expectRetractionPage(retracted);
  }, 600_000);
});
