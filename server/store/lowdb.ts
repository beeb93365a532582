import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile, removeStaleTempFiles } from './durable-file.ts';
import type { ShardPersistence } from './collection.ts';

/** Persists each shard of a collection as one lowdb JSON file: `<dir>/<shard>.json`. */
export function lowdbShards<T>(dir: string): ShardPersistence<T> {
  const dbs = new Map<string, Low<Record<string, T>>>();
  const db = (shard: string) => {
    let low = dbs.get(shard);
    if (!low) {
      low = new Low<Record<string, T>>(new DurableJsonFile(join(dir, `${shard}.json`)), {});
      dbs.set(shard, low);
    }
    return low;
  };
  let made = false;
  return {
    async load() {
      await mkdir(dir, { recursive: true });
      made = true;
      await removeStaleTempFiles(dir);
      const shards = new Map<string, Record<string, T>>();
      const names = (await readdir(dir)).filter((n) => /^[0-9a-f]{2}\.json$/.test(n));
      // one shard at a time: parsing all at once would hold every file's text in memory together
      for (const name of names) {
        const low = db(name.slice(0, 2));
        await low.read();
        shards.set(name.slice(0, 2), low.data);
      }
      return shards;
    },
    async write(shard, records) {
      if (!made) await mkdir(dir, { recursive: true });
      const low = db(shard);
      low.data = records;
      await low.write();
    },
  };
}
