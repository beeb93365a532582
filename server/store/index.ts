import { join } from 'node:path';
import { ShardedCollection } from './collection.ts';
import { fileAudit, memoryAudit } from './audit.ts';
import { acquireLock } from './lock.ts';
import { lowdbShards } from './lowdb.ts';
import { createPostgresStore } from './postgres.ts';
import { pgClient, type SqlClient } from './sql.ts';
import type { AuditLog, BaseRecord, Collection, Store } from './types.ts';

export type * from './types.ts';

export type StoreOptions =
  | { adapter: 'memory'; clock?: () => Date }
  /** `lock: false` opens without taking the one-writer lock (read-only tools, tests of the lock itself). */
  | { adapter: 'lowdb'; dir: string; clock?: () => Date; lock?: boolean }
  /** `url` (postgres://…) or a ready client (PGlite in tests); several processes may share one database. */
  | { adapter: 'postgres'; url?: string; client?: SqlClient; schema?: string; clock?: () => Date };

const NAME = /^[a-z][a-z0-9-]{0,40}$/;

/** Opens a store. lowdb keeps `<dir>/db/<collection>/<shard>.json` and `<dir>/audit/audit.jsonl`. */
export function createStore(options: StoreOptions): Store {
  const clock = options.clock ?? (() => new Date());
  if (options.adapter === 'postgres') {
    const client = options.client ?? (options.url ? pgClient(options.url, { schema: options.schema }) : undefined);
    if (!client) throw new Error('the postgres adapter needs a url or a client');
    return checkedNames(createPostgresStore(client, clock));
  }
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
    transaction: (fn) => fn(),
    async close() {
      await Promise.all([...collections.values()].map((c) => c.flush()));
      release();
    },
  };
}

/** The PostgreSQL side of a store (its client and migration gate), or undefined for the embedded adapters. */
export function postgresOf(store: Store): { sql: SqlClient; ready: () => Promise<void> } | undefined {
  const pg = store as Partial<ReturnType<typeof createPostgresStore>>;
  return store.adapter === 'postgres' && pg.sql && pg.ready ? { sql: pg.sql, ready: pg.ready } : undefined;
}

/** Refuses collection names that could not be a file or table name, on every adapter alike. */
function checkedNames<S extends Store>(store: S): S {
  const collection = store.collection.bind(store);
  return Object.assign(store, {
    collection<T extends BaseRecord>(name: string): Collection<T> {
      if (!NAME.test(name)) throw new Error(`invalid collection name ${JSON.stringify(name)}`);
      return collection<T>(name);
    },
  });
}
