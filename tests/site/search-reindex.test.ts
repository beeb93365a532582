import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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
import { indexSite, readManifest, SEARCH_DIR, updateSearchIndex } from '../../server/publish/search-index.ts';
import { searchIndex } from '../../server/publish/search-query.ts';
import type { PublishedItem } from '../../server/publish/schema.ts';

const notice = (n: number, word: string, over: Record<string, unknown> = {}) =>
  makeSnapshot(n, { kind: 'notice', slug: `s-${n}`, url: `/notices/s-${n}/`, title: `第${n}号通告`, bodyHtml: `<p>今年的${word}已经上市,欢迎选购。</p>`, ...over });

const retract = (item: PublishedItem, note = '信息有误,已撤回。'): PublishedItem => ({ ...item, status: 'retracted', retraction: { at: '2024-06-24T02:00:00Z', note } });

/** Every answer (url and score) the index gives for these queries. */
const answers = (outDir: string, queries: string[]) => Object.fromEntries(queries.map((q) => [q, searchIndex({ outDir, query: q, limit: 1_000 }).map((h) => `${h.url} ${h.score.toFixed(9)}`).sort()]));

const QUERIES = ['枇杷', '杨梅', '西瓜', '化工厂', '暴雨', '冰雹', '撤回', '第7号', '110', '通告', '志愿者 热线', '枇杷 杨梅', '不存在的词语'];

describe('static search index', () => {
  test('after a series of publishes, corrections, retractions and removals, the incremental index answers exactly as a full build of the same items', async () => {
    const incremental = mkdtempSync(join(tmpdir(), 'lianxin-search-'));
    let items: PublishedItem[] = Array.from({ length: 40 }, (_, i) => makeSnapshot(i + 1));
    await indexSite({ outDir: incremental, items });
    const steps: Array<(list: PublishedItem[]) => { list: PublishedItem[]; ids: string[] }> = [
      (l) => ({ list: [...l, notice(101, '枇杷')], ids: ['it000101'] }),
      (l) => ({ list: [...l, notice(102, '杨梅'), notice(103, '西瓜')], ids: ['it000102', 'it000103'] }),
      (l) => ({ list: l.map((i) => (i.id === 'it000101' ? { ...i, corrections: [{ at: '2024-06-24T03:00:00Z', note: '更正:是杨梅不是枇杷。' }] } : i)), ids: ['it000101'] }),
      (l) => ({ list: l.map((i) => (i.id === 'it000007' ? retract(i) : i)), ids: ['it000007'] }),
      (l) => ({ list: l.filter((i) => i.id !== 'it000103'), ids: ['it000103'] }),
      (l) => ({ list: l.map((i) => (i.id === 'it000002' ? { ...i, title: '第2号:暴雨橙色预警(已更新)' } : i)), ids: ['it000002'] }),
      (l) => ({ list: [...l, notice(104, '西瓜')], ids: ['it000104', 'it000005'] }), // an unchanged id is skipped
    ];
    for (const step of steps) {
      const next = step(items);
      items = next.list;
      await updateSearchIndex({ outDir: incremental, items, ids: next.ids });
    }
    const full = mkdtempSync(join(tmpdir(), 'lianxin-search-'));
    await indexSite({ outDir: full, items });
    expect(readManifest(incremental)!.docs).toBe(items.length);
    expect(readManifest(incremental)!.length).toBe(readManifest(full)!.length);
    const got = answers(incremental, QUERIES);
    expect(got).toEqual(answers(full, QUERIES));
    // and the answers are the ones the changes call for
    expect(await searchSite(incremental, '西瓜')).toEqual(['/notices/s-104/']);
    expect(await searchSite(incremental, '杨梅')).toEqual(expect.arrayContaining(['/notices/s-101/', '/notices/s-102/']));
    expect(await searchSite(incremental, '暴雨蓝色预警')).not.toContain('/rumors/item-7/');
    expect(await searchSite(incremental, '信息有误')).toContain(items.find((i) => i.id === 'it000007')!.url);
    expect(got['不存在的词语']).toEqual([]);
  });

  test('an update rewrites only the term files of the changed item, and the files the manifest no longer names go after the grace period', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lianxin-search-'));
    const items = Array.from({ length: 30 }, (_, i) => makeSnapshot(i + 1));
    await indexSite({ outDir, items });
    const before = readManifest(outDir)!;
    const dir = join(outDir, SEARCH_DIR);
    // written long ago: the grace period counts from when a file leaves the index, not from when it was written
    for (const name of readdirSync(dir)) utimesSync(join(dir, name), new Date(0), new Date(0));
    const fresh = notice(200, '枇杷');
    const done = await updateSearchIndex({ outDir, items: [...items, fresh], ids: [fresh.id] });
    const after = readManifest(outDir)!;
    const changed = after.shards.filter((name, i) => name !== before.shards[i]).length;
    expect(done).toMatchObject({ changed: 1, full: false });
    expect(changed).toBe(done.shards);
    expect(changed).toBeLessThan(after.shards.length);
    expect(after.chunks.filter((name, i) => name !== before.chunks[i]).length).toBe(1);
    const stale = before.shards.filter((name, i) => name !== after.shards[i]);
    // still there for readers holding the old manifest; removed by the next update once old enough
    for (const name of stale) expect(existsSync(join(dir, name))).toBe(true);
    for (const name of stale) utimesSync(join(dir, name), new Date(0), new Date(0));
    await updateSearchIndex({ outDir, items: [...items, fresh, notice(201, '杨梅')], ids: ['it000201'] });
    for (const name of stale) expect(existsSync(join(dir, name))).toBe(false);
    const named = readManifest(outDir)!;
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['manifest.json', named.ids, ...named.shards, ...named.chunks]));
  });

  test('an unchanged item is not rewritten, and without an index an update builds one whole', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lianxin-search-'));
    const items = [notice(1, '枇杷'), notice(2, '杨梅')];
    expect(await updateSearchIndex({ outDir, items, ids: ['it000001'] })).toMatchObject({ full: true });
    const manifest = readFileSync(join(outDir, SEARCH_DIR, 'manifest.json'), 'utf8');
    expect(await updateSearchIndex({ outDir, items })).toEqual({ changed: 0, shards: 0, full: false });
    expect(readFileSync(join(outDir, SEARCH_DIR, 'manifest.json'), 'utf8')).toBe(manifest);
    expect(await searchSite(outDir, '杨梅')).toEqual(['/notices/s-2/']);
  });

  test('the publisher updates the index after each publish and retraction; a publish the last server run did not index is indexed when it starts again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-reindex-'));
    writeFixtureSnapshots({ dataDir, count: 5 });
    const siteDir = join(dataDir, 'site');
    await buildSite({ dataDir, outDir: siteDir, siteUrl: SITE_URL, siteTitle: '连心' }, { cards: false });
    // published after the index was written, with no publisher running to pick it up
    const late = notice(6, '枇杷');
    writeFileSync(join(snapshotDir(dataDir), `${late.id}.json`), JSON.stringify(late));
    utimesSync(snapshotDir(dataDir), new Date(Date.now() + 5_000), new Date(Date.now() + 5_000));
    expect(await searchSite(siteDir, '枇杷')).not.toContain(late.url);
    const deps = createDeps({ store: createStore({ adapter: 'memory' }), config: loadConfig({}, { dataDir, siteUrl: SITE_URL }) });
    const errors: unknown[] = [];
    const publisher = startPublisher({ deps, siteDir, listen: false, log: { info: () => undefined, error: (...e: unknown[]) => void errors.push(e) } });
    await publisher.idle();
    expect(publisher.searchStats()).toMatchObject({ caughtUp: true, changed: 1 });
    expect(await searchSite(siteDir, '枇杷')).toContain(late.url);

    const next = notice(7, '杨梅');
    writeFileSync(join(snapshotDir(dataDir), `${next.id}.json`), JSON.stringify(next));
    await publisher.schedule([next.id]);
    await publisher.idle();
    expect(await searchSite(siteDir, '杨梅')).toContain(next.url);
    writeFileSync(join(snapshotDir(dataDir), `${late.id}.json`), JSON.stringify(retract(late)));
    await publisher.schedule([late.id]);
    await publisher.idle();
    expect(await searchSite(siteDir, '枇杷')).not.toContain(late.url);
    expect(await searchSite(siteDir, '撤回')).toContain(late.url);
    expect(publisher.searchStats()).toMatchObject({ updates: 3, changed: 3 });
    expect(errors).toEqual([]);

    // an update that fails (the manifest unreadable) leaves its item for the next one
    const manifest = join(siteDir, SEARCH_DIR, 'manifest.json');
    renameSync(manifest, `${manifest}.away`);
    mkdirSync(manifest);
    const missed = notice(8, '荔枝');
    writeFileSync(join(snapshotDir(dataDir), `${missed.id}.json`), JSON.stringify(missed));
    await publisher.schedule([missed.id]);
    await publisher.idle();
    expect(errors).toHaveLength(1);
    rmSync(manifest, { recursive: true });
    renameSync(`${manifest}.away`, manifest);
    const after = notice(9, '龙眼');
    writeFileSync(join(snapshotDir(dataDir), `${after.id}.json`), JSON.stringify(after));
    await publisher.schedule([after.id]);
    await publisher.idle();
    publisher.stop();
    expect(await searchSite(siteDir, '龙眼')).toContain(after.url);
    expect(await searchSite(siteDir, '荔枝')).toContain(missed.url);
  }, 300_000);
});
