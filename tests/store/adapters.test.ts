import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createStore, type BaseRecord } from '../../server/store/index.ts';
import { shardOf } from '../../server/store/collection.ts';
import { testStore } from '../contracts/store.ts';
import { tempDir } from '../helpers.ts';

testStore('memory', async () => ({ store: createStore({ adapter: 'memory' }), cleanup: async () => {} }));

testStore('lowdb', async () => {
  const { dir, cleanup } = tempDir();
  return {
    store: createStore({ adapter: 'lowdb', dir }),
    reopen: async () => createStore({ adapter: 'lowdb', dir }),
    cleanup: async () => cleanup(),
  };
});

interface Note extends BaseRecord {
  text: string;
}

describe('lowdb upsertMany', () => {
  test('a shard that cannot be written fails the whole batch: memory and the other shards keep what they had', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const store = createStore({ adapter: 'lowdb', dir });
      const notes = store.collection<Note>('notes');
      const ids = Array.from({ length: 300 }, (_, i) => `note-${i}`);
      await notes.upsertMany(ids.map((id) => ({ id, change: () => ({ id, text: 'v1' }) })));
      // a directory where one shard's file goes: its rename fails (root ignores permissions, not this)
      const blocked = shardOf('note-0');
      rmSync(join(dir, 'db', 'notes', `${blocked}.json`));
      mkdirSync(join(dir, 'db', 'notes', `${blocked}.json`));
      await expect(notes.upsertMany(ids.map((id) => ({ id, change: (cur) => ({ id, text: cur ? 'v2' : 'new' }) })))).rejects.toThrow();
      expect(await notes.get('note-1')).toMatchObject({ text: 'v1', version: 1 });
      expect((await notes.list()).filter((n) => n.text !== 'v1')).toEqual([]);
      await store.close();
      // on disk too: every shard that was written is back to the batch's before
      rmSync(join(dir, 'db', 'notes', `${blocked}.json`), { recursive: true });
      const again = createStore({ adapter: 'lowdb', dir });
      const onDisk = await again.collection<Note>('notes').list();
      expect(onDisk.length).toBeGreaterThan(250);
      expect(onDisk.filter((n) => n.text !== 'v1')).toEqual([]);
      await again.close();
    } finally {
      cleanup();
    }
  });
});
