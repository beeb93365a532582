import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { BaseRecord, Collection, NewRecord, Order, QueryOptions, Where } from './types.ts';

/** Where a shard's records go when they change; the memory adapter has none. */
export interface ShardPersistence<T> {
  /** Loads every existing shard: shard key → records by id. */
  load(): Promise<Map<string, Record<string, T>>>;
  write(shard: string, records: Record<string, T>): Promise<void>;
}

export const SHARD_COUNT = 256;

/** Stable shard of an id: two hex digits of its hash, so no write rewrites more than ~1/256 of a collection. */
export function shardOf(id: string): string {
  return createHash('sha1').update(id).digest('hex').slice(0, 2);
}

/**
 * Records held in memory, split into shards that are written whole. Writes to one shard are
 * serialised; a write that fails rolls the memory back so memory never runs ahead of disk.
 */
export class ShardedCollection<T extends BaseRecord> implements Collection<T> {
  private shards = new Map<string, Record<string, T>>();
  private queues = new Map<string, Promise<unknown>>();
  private ready: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly persistence: ShardPersistence<T> | undefined,
    private readonly now: () => Date,
  ) {}

  private load(): Promise<void> {
    this.ready ??= (async () => {
      if (this.persistence) this.shards = await this.persistence.load();
    })();
    return this.ready;
  }

  /** Runs `task` after every earlier write to the same shard. */
  private serial<R>(shard: string, task: () => Promise<R>): Promise<R> {
    const previous = this.queues.get(shard) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.queues.set(shard, next.catch(() => {}));
    return next;
  }

  private shard(key: string): Record<string, T> {
    let records = this.shards.get(key);
    if (!records) {
      records = {};
      this.shards.set(key, records);
    }
    return records;
  }

  /** Applies `mutate` to the shard, persists it, and undoes the change if persisting fails. */
  private async commit(key: string, id: string, next: T | undefined): Promise<void> {
    const records = this.shard(key);
    const before = records[id];
    if (next === undefined) delete records[id];
    else records[id] = next;
    try {
      await this.persistence?.write(key, records);
    } catch (error) {
      if (before === undefined) delete records[id];
      else records[id] = before;
      throw error;
    }
  }

  async get(id: string): Promise<T | undefined> {
    await this.load();
    const record = this.shards.get(shardOf(id))?.[id];
    return record === undefined ? undefined : structuredClone(record);
  }

  async list(filter?: (record: T) => boolean): Promise<T[]> {
    await this.load();
    const out: T[] = [];
    for (const records of this.shards.values()) {
      for (const record of Object.values(records)) if (!filter || filter(record)) out.push(structuredClone(record));
    }
    return out;
  }

  async query({ where, filter, sort, order, offset = 0, limit = Infinity }: QueryOptions<T>): Promise<{ records: T[]; total: number }> {
    sort ??= compareBy(order);
    await this.load();
    const matches: T[] = [];
    const test = matchWhere(where);
    for (const records of this.shards.values()) {
      for (const record of Object.values(records)) if (test(record) && (!filter || filter(record))) matches.push(record);
    }
    if (sort) matches.sort(sort);
    return { records: matches.slice(offset, offset + limit).map((r) => structuredClone(r)), total: matches.length };
  }

  async count(): Promise<number> {
    await this.load();
    let n = 0;
    for (const records of this.shards.values()) n += Object.keys(records).length;
    return n;
  }

  async insert(input: NewRecord<T>): Promise<T> {
    await this.load();
    const key = shardOf(input.id);
    return this.serial(key, async () => {
      if (this.shard(key)[input.id]) throw new ConflictError(`${this.name} ${input.id} 已存在`);
      const at = this.now().toISOString();
      const record = { ...structuredClone(input), version: 1, createdAt: at, updatedAt: at } as T;
      await this.commit(key, input.id, record);
      return structuredClone(record);
    });
  }

  /** Runs `task` on the current record, in the shard's write queue, after the existence and version checks. */
  private async withCurrent<R>(id: string, expectedVersion: number | undefined, task: (current: T, key: string) => Promise<R>): Promise<R> {
    await this.load();
    const key = shardOf(id);
    return this.serial(key, async () => {
      const current = this.shard(key)[id];
      if (!current) throw new NotFoundError(`${this.name} ${id} 不存在`);
      assertVersion(this.name, current, expectedVersion);
      return task(current, key);
    });
  }

  async update(id: string, expectedVersion: number | undefined, change: (current: T) => T | Promise<T>): Promise<T> {
    return this.withCurrent(id, expectedVersion, async (current, key) => {
      const changed = await change(structuredClone(current));
      const record = { ...changed, id, createdAt: current.createdAt, version: current.version + 1, updatedAt: this.now().toISOString() };
      await this.commit(key, id, record);
      return structuredClone(record);
    });
  }

  async remove(id: string, expectedVersion?: number): Promise<T> {
    return this.withCurrent(id, expectedVersion, async (current, key) => {
      await this.commit(key, id, undefined);
      return current;
    });
  }

  /** Resolves when every queued write has settled. */
  async flush(): Promise<void> {
    await Promise.all(this.queues.values());
  }
}

/** The comparator of an `order`, the same on every adapter (code-point order, like COLLATE "C"). */
export function compareBy(order: Order | undefined): ((a: object, b: object) => number) | undefined {
  if (!order || order.length === 0) return undefined;
  return (a, b) => {
    for (const [field, direction] of order) {
      const x = (a as Record<string, unknown>)[field] as string | number | undefined;
      const y = (b as Record<string, unknown>)[field] as string | number | undefined;
      if (x === y) continue;
      const less = x === undefined || (y !== undefined && x < y);
      return (less ? -1 : 1) * (direction === 'desc' ? -1 : 1);
    }
    return 0;
  };
}

/** The `where` equality test, the same on every adapter. */
export function matchWhere(where: Where | undefined): (record: object) => boolean {
  const entries = Object.entries(where ?? {});
  if (entries.length === 0) return () => true;
  return (record) => entries.every(([key, value]) => (record as Record<string, unknown>)[key] === value);
}

export function assertVersion(name: string, current: BaseRecord, expected: number | undefined): void {
  if (expected !== undefined && expected !== current.version) {
    throw new ConflictError(`version: ${name} ${current.id} 已被他人修改（当前版本 ${current.version}，提交的版本 ${expected}），请刷新后重试`, {
      data: { currentVersion: current.version },
    });
  }
}
