import { join } from 'node:path';
import { ShardedCollection } from './collection.ts';
import { fileAudit, memoryAudit } from './audit.ts';
import { acquireLock } from './lock.ts';
import { lowdbShards } from './lowdb.ts';
import type { AuditLog, BaseRecord, Collection, Store } from './types.ts';

export type * from './types.ts';

export type StoreOptions =
  | { adapter: 'memory'; clock?: () => Date }
  /** `lock: false` opens without taking the one-writer lock (read-only tools, tests of the lock itself). */
  | { adapter: 'lowdb'; dir: string; clock?: () => Date; lock?: boolean };

const NAME = /^[a-z][a-z0-9-]{0,40}$/;

/** Opens a store. lowdb keeps `<dir>/db/<collection>/<shard>.json` and `<dir>/audit/audit.jsonl`. */
export function createStore(options: StoreOptions): Store {
  const clock = options.clock ?? (() => new Date());
  const release = options.adapter === 'lowdb' && options.lock !== false ? acquireLock(options.dir) : () => {};
  const collections = new Map<string, ShardedCollection<BaseRecord>>();
  const audit: AuditLog = options.adapter === 'lowdb' ? fileAudit(join(options.dir, 'audit', 'audit.jsonl'), clock) : memoryAudit(clock);
  return {
    adapter: options.adapter,
    audit,
    collection<T extends BaseRecord>(name: string): Collection<T> {
      if (!NAME.test(name)) throw new Error(`invalid collection name ${JSON.stringify(name)}`);
      let collection = collections.get(name);
      if (!collection) {
        const persistence = options.adapter === 'lowdb' ? lowdbShards<BaseRecord>(join(options.dir, 'db', name)) : undefined;
        collection = new ShardedCollection(name, persistence, clock);
        collections.set(name, collection);
      }
      return collection as unknown as Collection<T>;
    },
    async close() {
      await Promise.all([...collections.values()].map((c) => c.flush()));
      release();
    },
  };
}
