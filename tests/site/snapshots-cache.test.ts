import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadSnapshots, readSiteSnapshots, snapshotDir } from '../../server/publish/snapshots.ts';
import { makeSnapshot, writeFixtureSnapshots } from './fixtures.ts';
import { tempDir } from '../helpers.ts';

describe('readSiteSnapshots (the builder reads snapshots from disk, re-reading only changed files)', () => {
  test('sees an edit, a new file and a removal between two reads; pages get no body or history', () => {
    const { dir, cleanup } = tempDir();
    const items = writeFixtureSnapshots({ dataDir: dir, count: 3 });
    const first = readSiteSnapshots({ dataDir: dir });
    expect(first.map((i) => i.id).sort()).toEqual(items.map((i) => i.id).sort());
    expect(first[0]).not.toHaveProperty('body');
    expect(first[0]).not.toHaveProperty('history');

    const edited = { ...items[1]!, title: '更正后的标题：积水已排除' };
    const file = join(snapshotDir(dir), `${edited.id}.json`);
    writeFileSync(file, JSON.stringify(edited));
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    const extra = makeSnapshot(40);
    writeFileSync(join(snapshotDir(dir), `${extra.id}.json`), JSON.stringify(extra));
    rmSync(join(snapshotDir(dir), `${items[2]!.id}.json`));

    const second = readSiteSnapshots({ dataDir: dir });
    expect(second.map((i) => i.id).sort()).toEqual([items[0]!.id, edited.id, extra.id].sort());
    expect(second.find((i) => i.id === edited.id)!.title).toBe('更正后的标题：积水已排除');
    cleanup();
  });

  test('a bad snapshot is left out, not fatal, and reported with its file and field named', () => {
    const { dir, cleanup } = tempDir();
    const [good] = writeFixtureSnapshots({ dataDir: dir, count: 1 });
    writeFileSync(join(snapshotDir(dir), 'it_broken.json'), JSON.stringify({ id: 'it_broken', kind: 'notice', title: 42 }));
    expect(readSiteSnapshots({ dataDir: dir }).map((i) => i.id)).toEqual([good!.id]);
    const { items, failures } = loadSnapshots({ dataDir: dir });
    expect(items.map((i) => i.id)).toEqual([good!.id]);
    expect(items[0]).toHaveProperty('body');
    expect(items[0]).not.toHaveProperty('history');
    expect(failures).toEqual([expect.objectContaining({ file: 'it_broken.json', itemId: 'it_broken', reason: expect.stringMatching(/it_broken\.json.*title|title.*it_broken\.json/s) })]);
    cleanup();
  });
});
