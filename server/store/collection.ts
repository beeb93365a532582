import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { BaseRecord, BatchChange, Collection, NewRecord, Order, QueryOptions } from './types.ts';

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
  /**
   * Sorted views: the records matching an equality `where`, in the order of a comparator, kept current
   * on every write, so a list page at 100k records reads a slice instead of sorting (or even scanning)
   * all of them per request. Keyed by the comparator's identity and the `where`: callers that page
   * through a collection pass one module-level comparator. The least recently used view is dropped past
   * MAX_VIEWS.
   */
  private views = new Map<string, SortedView<T>>();
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
    this.reorder(before, next);
    try {
      await this.persistence?.write(key, records);
    } catch (error) {
      if (before === undefined) delete records[id];
      else records[id] = before;
      this.reorder(next, before);
      throw error;
    }
  }

  /** Moves one record in every view: out where `before` sat, in where `next` belongs. */
  private reorder(before: T | undefined, next: T | undefined): void {
    for (const [key, view] of this.views) {
      if (before !== undefined && matches(view.where, before)) {
        const at = view.sorted.indexOf(before, Math.max(0, lowerBound(view.sorted, before, view.compare) - 1));
        if (at >= 0) view.sorted.splice(at, 1);
        else {
          this.views.delete(key); // cannot happen while records are replaced, never mutated; rebuilt on the next query
          continue;
        }
      }
      if (next !== undefined && matches(view.where, next)) view.sorted.splice(lowerBound(view.sorted, next, view.compare), 0, next);
    }
  }

  private view(compare: (a: T, b: T) => number, where: Where): T[] {
    const entries = Object.entries(where)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, isIn(v) ? { in: [...new Set(v.in)].sort() } : v] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const key = `${comparatorId(compare)}\0${JSON.stringify(entries)}`;
    let view = this.views.get(key);
    if (view) {
      this.views.delete(key);
      this.views.set(key, view); // most recently used last
      return view.sorted;
    }
    const sorted: T[] = [];
    const test = Object.fromEntries(entries);
    for (const records of this.shards.values()) for (const record of Object.values(records)) if (matches(test, record)) sorted.push(record);
    sorted.sort(compare);
    view = { compare, where: test, sorted };
    if (this.views.size >= MAX_VIEWS) this.views.delete(this.views.keys().next().value!);
    this.views.set(key, view);
    return sorted;
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

  async query({ where = {}, filter, sort, order, offset = 0, limit = Infinity }: QueryOptions<T>): Promise<{ records: T[]; total: number }> {
    await this.load();
    sort ??= compareBy(order);
    if (sort) {
      const sorted = this.view(sort, where);
      // no filter left: the page is a slice of the view
      if (!filter) return { records: sorted.slice(offset, offset + limit).map((r) => structuredClone(r)), total: sorted.length };
      // walk the view: count every match, clone only the page
      const page: T[] = [];
      let total = 0;
      for (const record of sorted) {
        if (!filter(record)) continue;
        if (total >= offset && page.length < limit) page.push(structuredClone(record));
        total++;
      }
      return { records: page, total };
    }
    const found: T[] = [];
    for (const records of this.shards.values()) {
      for (const record of Object.values(records)) if (matches(where, record) && (!filter || filter(record))) found.push(record);
    }
    return { records: found.slice(offset, offset + limit).map((r) => structuredClone(r)), total: found.length };
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

  async upsertMany(changes: ReadonlyArray<BatchChange<T>>): Promise<T[]> {
    await this.load();
    if (changes.length === 0) return [];
    assertDistinct(this.name, changes);
    const keys = [...new Set(changes.map((c) => shardOf(c.id)))];
    return this.serialAll(keys, async () => {
      // every change is made before anything is applied: one that throws leaves the collection untouched
      const at = this.now().toISOString();
      const applied = changes.map(({ id, change }) => {
        const key = shardOf(id);
        const before = this.shard(key)[id];
        const changed = change(before === undefined ? undefined : structuredClone(before));
        const next = { ...structuredClone(changed), id, version: (before?.version ?? 0) + 1, createdAt: before?.createdAt ?? at, updatedAt: at } as T;
        return { key, id, before, next };
      });
      for (const { key, id, before, next } of applied) {
        this.shard(key)[id] = next;
        this.reorder(before, next);
      }
      // one write per shard touched, all at once
      const written = await Promise.allSettled(keys.map((key) => this.persistence?.write(key, this.shard(key))));
      const failed = written.find((w): w is PromiseRejectedResult => w.status === 'rejected');
      if (failed) {
        for (const { key, id, before, next } of applied.reverse()) {
          if (before === undefined) delete this.shard(key)[id];
          else this.shard(key)[id] = before;
          this.reorder(next, before);
        }
        // the shards that did reach the disk get their old records back
        await Promise.allSettled(keys.filter((_, i) => written[i]!.status === 'fulfilled').map((key) => this.persistence?.write(key, this.shard(key))));
        throw failed.reason;
      }
      return applied.map(({ next }) => structuredClone(next));
    });
  }

  /** Runs `task` after every earlier write to any of these shards, holding all of them until it ends. */
  private serialAll<R>(keys: string[], task: () => Promise<R>): Promise<R> {
    const next = Promise.all(keys.map((key) => this.queues.get(key))).then(task, task);
    const settled = next.catch(() => {});
    for (const key of keys) this.queues.set(key, settled);
    return next;
  }

  /** Resolves when every queued write has settled. */
  async flush(): Promise<void> {
    await Promise.all(this.queues.values());
  }
}

export type Scalar = string | number | boolean | null;
export type Where = Record<string, Scalar | { in: readonly Scalar[] } | undefined>;

/** A `where` value that lists alternatives (`{ in: [...] }`). */
export const isIn = (value: Where[string]): value is { in: readonly Scalar[] } => typeof value === 'object' && value !== null && Array.isArray((value as { in?: unknown }).in);

const comparators = new Map<string, (a: object, b: object) => number>();

/**
 * The comparator of an `order`, the same on every adapter; one function per distinct order, so the
 * sorted views above are kept for it like for a module-level comparator.
 */
export function compareBy(order: Order | undefined): ((a: object, b: object) => number) | undefined {
  if (!order || order.length === 0) return undefined;
  const key = JSON.stringify(order);
  let compare = comparators.get(key);
  if (!compare) {
    compare = (a, b) => {
      for (const [field, direction] of order) {
        const x = (a as Record<string, unknown>)[field] as string | number | undefined;
        const y = (b as Record<string, unknown>)[field] as string | number | undefined;
        if (x === y) continue;
        const less = x === undefined || x === null || (y !== undefined && y !== null && x < y);
        return (less ? -1 : 1) * (direction === 'desc' ? -1 : 1);
      }
      return 0;
    };
    comparators.set(key, compare);
  }
  return compare;
}

/** The `where` test as a function (undefined values ignored), the same on every adapter. */
export function matchWhere(where: Where | undefined): (record: object) => boolean {
  return (record) => matches(where ?? {}, record);
}

interface SortedView<T> {
  compare: (a: T, b: T) => number;
  where: Where;
  sorted: T[];
}

const MAX_VIEWS = 32;

const comparatorIds = new WeakMap<object, number>();
let nextComparatorId = 0;
function comparatorId(compare: object): number {
  let id = comparatorIds.get(compare);
  if (id === undefined) comparatorIds.set(compare, (id = ++nextComparatorId));
  return id;
}

/** Whether every defined field of `where` equals the record's top-level field. */
function matches(where: Where, record: object): boolean {
  for (const key in where) {
    const want = where[key];
    if (want === undefined) continue;
    const value = (record as Record<string, unknown>)[key];
    if (isIn(want) ? !want.in.includes(value as Scalar) : value !== want) return false;
  }
  return true;
}

/** First index whose record sorts at or after `record`. */
function lowerBound<T>(sorted: T[], record: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(sorted[mid]!, record) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Refuses a batch naming one id twice (which change would win is no one's guess). */
export function assertDistinct(name: string, changes: ReadonlyArray<{ id: string }>): void {
  const seen = new Set<string>();
  for (const { id } of changes) {
    if (seen.has(id)) throw new Error(`${name}: id ${id} appears twice in one batch`);
    seen.add(id);
  }
}

export function assertVersion(name: string, current: BaseRecord, expected: number | undefined): void {
  if (expected !== undefined && expected !== current.version) {
    throw new ConflictError(`version: ${name} ${current.id} 已被他人修改（当前版本 ${current.version}，提交的版本 ${expected}），请刷新后重试`, {
      data: { currentVersion: current.version },
    });
  }
}
