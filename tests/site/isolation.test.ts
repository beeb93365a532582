// One item that cannot be rendered must not keep the others off the site: it is left out, the rest is
// built (full build and warm incremental update), and the failure is visible through the API.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../../server/publish/service.ts';
import { updateSite } from '../../server/publish/incremental.ts';
import { loadSnapshots, snapshotDir } from '../../server/publish/snapshots.ts';
import { stopAstroBuilder } from '../../server/publish/build-site.ts';
import { makeSnapshot, writeFixtureSnapshots } from './fixtures.ts';
import { createTestEnv, loginAs, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => {
  stopAstroBuilder();
  env.close();
});

describe('per-item isolation of the site build', () => {
  test('a snapshot that passes the schema but throws in its page, and one that fails the schema, are left out and reported; every other page is built', async () => {
    const dataDir = env.deps.config.dataDir;
    const outDir = join(dataDir, 'site');
    const args = { dataDir, outDir, siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' };
    const good = writeFixtureSnapshots({ dataDir, count: 4 });
    // a live item whose updates file on disk is valid JSON of the wrong shape: its page throws while rendering
    const base = makeSnapshot(90, { kind: 'notice' });
    const bad = { ...base, kind: 'live', id: 'it_livebad', slug: 'live-bad', url: '/live/live-bad/', live: { mode: 'event', place: '', coverageStart: base.publishedAt, state: 'ended' } };
    writeFileSync(join(snapshotDir(dataDir), `${bad.id}.json`), JSON.stringify(bad));
    mkdirSync(join(dataDir, 'published', 'live', bad.id), { recursive: true });
    writeFileSync(join(dataDir, 'published', 'live', bad.id, 'latest.json'), '{}');
    writeFileSync(join(snapshotDir(dataDir), 'it_broken.json'), JSON.stringify({ id: 'it_broken', kind: 'notice', title: 42 }));

    const report = await buildSite(args, { cards: false, search: false });
    for (const item of good) expect(existsSync(join(outDir, item.url, 'index.html'))).toBe(true);
    expect(existsSync(join(outDir, 'index.html'))).toBe(true);
    expect(existsSync(join(outDir, bad.url, 'index.html'))).toBe(false);
    expect(report.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: 'it_livebad', path: '/live/live-bad/', reason: expect.stringContaining('not iterable') }),
        expect.objectContaining({ itemId: 'it_broken', path: 'published/items/it_broken.json', reason: expect.stringContaining('title') }),
      ]),
    );

    // a warm incremental update (no Astro build) renders the corrected item and reports the bad one again
    const corrected = { ...good[1]!, title: '更正：积水路段已恢复通行', updatedAt: new Date().toISOString() };
    writeFileSync(join(snapshotDir(dataDir), `${corrected.id}.json`), JSON.stringify(corrected));
    const before = new Map(loadSnapshots({ dataDir }).items.map((i) => [i.id, i]));
    before.set(corrected.id, good[1]!);
    const update = await updateSite({ ...args, ids: [corrected.id, bad.id], before });
    expect(update.warm).toBe(true);
    expect(readFileSync(join(outDir, corrected.url, 'index.html'), 'utf8')).toContain('更正：积水路段已恢复通行');
    expect(update.failures).toEqual([expect.objectContaining({ itemId: 'it_livebad', reason: expect.stringContaining('not iterable') })]);

    // the workbench reads the failures through the API, per item too
    const admin = await loginAs(env.app, 'admin');
    const status = await (await admin.request('GET', '/api/site/status')).json();
    expect(status.ok).toBe(false);
    expect(status.failures.map((f: { itemId: string }) => f.itemId).sort()).toEqual(['it_broken', 'it_livebad']);
    const one = await (await admin.request('GET', `/api/site/status?item=${good[0]!.id}`)).json();
    expect(one).toMatchObject({ ok: true, failures: [] });
    expect((await env.app.request('/api/site/status')).status).toBe(401);
  }, 600_000);
});
