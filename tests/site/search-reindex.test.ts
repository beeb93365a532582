import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makeSnapshot, writeFixtureSnapshots } from './fixtures.ts';
import { searchSite, SITE_URL } from './helpers.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { buildSite } from '../../server/publish/service.ts';
import { startPublisher } from '../../server/publish/publisher.ts';
import { snapshotDir } from '../../server/publish/snapshots.ts';
import { createSearchIndexer, indexSite } from '../../server/publish/search-index.ts';
import type { PublishedItem } from '../../server/publish/schema.ts';

/** Searches a copy of the index as it is now (pagefind.js caches what it loaded, per URL). */
async function searchNow(outDir: string, query: string): Promise<string[]> {
  const copy = mkdtempSync(join(tmpdir(), 'lianxin-search-'));
  cpSync(join(outDir, 'pagefind'), join(copy, 'pagefind'), { recursive: true });
  return searchSite(copy, query);
}

const notice = (n: number, word: string, over: Record<string, unknown> = {}) =>
  makeSnapshot(n, { kind: 'notice', slug: `s-${n}`, url: `/notices/s-${n}/`, title: `第${n}号通告`, bodyHtml: `<p>今年的${word}已经上市,欢迎选购。</p>`, ...over });

/** The real indexSite, counting the runs in flight at once. */
function countingIndex() {
  const seen = { inFlight: 0, most: 0, runs: [] as number[] };
  const index: typeof indexSite = async (args) => {
    seen.inFlight++;
    seen.most = Math.max(seen.most, seen.inFlight);
    seen.runs.push(args.items.length);
    try {
      return await indexSite(args);
    } finally {
      seen.inFlight--;
    }
  };
  return { seen, index };
}

describe('search re-index after publishes', () => {
  test('two publishes in quick succession cost one pagefind run, and both items are found', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lianxin-reindex-'));
    const { seen, index } = countingIndex();
    const search = createSearchIndexer({ outDir, debounceMs: 300, intervalMs: 0, index });
    const base = [notice(1, '西瓜'), notice(2, '葡萄')];
    const a = notice(3, '枇杷');
    const b = notice(4, '杨梅');
    search.schedule([a, ...base]);
    search.schedule([b, a, ...base]);
    await search.idle();
    expect(seen.runs).toEqual([4]);
    expect(search.stats()).toEqual({ runs: 1, running: false, queued: false });
    expect(await searchNow(outDir, '枇杷')).toContain(a.url);
    expect(await searchNow(outDir, '杨梅')).toContain(b.url);
  }, 120_000);

  test('a publish while a run is in flight waits for it (one run at a time, the latest items win), and a retracted item is no longer found by its text', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lianxin-reindex-'));
    const { seen, index } = countingIndex();
    const search = createSearchIndexer({ outDir, debounceMs: 10, intervalMs: 0, index });
    const many = Array.from({ length: 300 }, (_, i) => notice(100 + i, '蔬菜'));
    const a = notice(3, '枇杷');
    search.schedule([a, ...many]);
    // wait until the first run is in flight, then publish twice more: the middle one is never indexed on its own
    while (!search.stats().running) await new Promise((r) => setTimeout(r, 5));
    const b = notice(4, '杨梅');
    search.schedule([b, a, ...many]);
    const retracted: PublishedItem = { ...a, status: 'retracted', retraction: { at: '2024-06-24T02:00:00Z', note: '信息有误,已撤回。' } };
    search.schedule([b, retracted, ...many]);
    await search.idle();
    expect(seen.most).toBe(1);
    expect(seen.runs).toEqual([301, 302]);
    expect(await searchNow(outDir, '杨梅')).toContain(b.url);
    expect(await searchNow(outDir, '枇杷')).not.toContain(a.url);
  }, 120_000);

  test('idle() runs a queued re-index at once instead of waiting out the interval; stop() drops what is queued', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lianxin-reindex-'));
    const { seen, index } = countingIndex();
    const search = createSearchIndexer({ outDir, debounceMs: 600_000, intervalMs: 600_000, index });
    const a = notice(3, '枇杷');
    search.schedule([a]);
    await search.idle();
    expect(seen.runs).toEqual([1]);
    expect(await searchNow(outDir, '枇杷')).toContain(a.url);
    search.schedule([a, notice(4, '杨梅')]);
    search.stop();
    await search.idle();
    expect(seen.runs).toEqual([1]);
  }, 120_000);

  test('a publish the last server run did not get to index (stopped inside the debounce) is indexed when the publisher starts again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-reindex-'));
    writeFixtureSnapshots({ dataDir, count: 5 });
    const siteDir = join(dataDir, 'site');
    await buildSite({ dataDir, outDir: siteDir, siteUrl: SITE_URL, siteTitle: '连心' }, { cards: false });
    // published after the index was written, with no publisher running to pick it up
    await new Promise((r) => setTimeout(r, 20));
    const late = notice(6, '枇杷');
    writeFileSync(join(snapshotDir(dataDir), `${late.id}.json`), JSON.stringify(late));
    expect(await searchNow(siteDir, '枇杷')).not.toContain(late.url);
    const deps = createDeps({ store: createStore({ adapter: 'memory' }), config: loadConfig({}, { dataDir, siteUrl: SITE_URL }) });
    const publisher = startPublisher({ deps, siteDir, listen: false, log: { info: () => undefined, error: console.error } });
    await publisher.idle();
    publisher.stop();
    expect(publisher.search.stats().runs).toBe(1);
    expect(await searchNow(siteDir, '枇杷')).toContain(late.url);
  }, 300_000);
});
