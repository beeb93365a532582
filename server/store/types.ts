/** Fields every stored record carries; the store sets them, callers never do. */
export interface BaseRecord {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type NewRecord<T extends BaseRecord> = Omit<T, 'version' | 'createdAt' | 'updatedAt'>;

/** Sort keys: `[['updatedAt', 'desc'], ['id', 'asc']]`. */
export type Order = ReadonlyArray<readonly [field: string, direction: 'asc' | 'desc']>;

/** Every key of any member of a union (a field only some kinds of item have, such as `seriesId`). */
type AnyKey<T> = T extends unknown ? keyof T : never;
type ValueAt<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
type WhereValue<V> = [Exclude<V, undefined>] extends [string | number | boolean | null] ? Exclude<V, undefined> | { in: ReadonlyArray<Exclude<V, undefined>> } | undefined : never;
/** Equality (or `in`) on top-level scalar fields; optional fields included (a missing value never matches). */
export type WhereOf<T> = { [K in AnyKey<T>]?: WhereValue<ValueAt<T, K>> };

export interface QueryOptions<T> {
  /**
   * Equality on top-level fields (undefined values ignored), ANDed with `filter`. Adapters answer it
   * from an index (a kept sorted view in memory, an indexed column in PostgreSQL), so put every
   * equality test here and leave `filter` for what no index can answer (text search, array members).
   * `{ in: [...] }` matches any of the values (an empty list matches nothing): membership in a scope
   * of orgs, a set of ids.
   */
  where?: WhereOf<T>;
  filter?: (record: Readonly<T>) => boolean;
  /**
   * The order as data (top-level fields, code-point order, numbers as numbers, a missing value
   * first), so PostgreSQL can sort, page and count in SQL when no `filter` is left. Used when `sort`
   * is absent; given with `sort`, it must describe the same order.
   */
  order?: Order;
  sort?: (a: Readonly<T>, b: Readonly<T>) => number;
  offset?: number;
  limit?: number;
}

/** One record of a batch write: the new record made from the current one (undefined when there is none). */
export interface BatchChange<T extends BaseRecord> {
  id: string;
  change: (current: T | undefined) => NewRecord<T>;
}

/** A named set of records of one type. Every write is durable when its promise resolves. */
export interface Collection<T extends BaseRecord> {
  get(id: string): Promise<T | undefined>;
  list(filter?: (record: T) => boolean): Promise<T[]>;
  count(): Promise<number>;
  /**
   * Filter, sort and page without copying what is not returned: only the page is cloned, so a
   * list request over 100k records does not duplicate them in memory.
   */
  query(options: QueryOptions<T>): Promise<{ records: T[]; total: number }>;
  /** Adds a record with version 1; ConflictError when the id exists. */
  insert(record: NewRecord<T>): Promise<T>;
  /**
   * Replaces a record with what `change` returns, bumping its version. With `expectedVersion`
   * set, a stale version is refused with ConflictError (409) and nothing changes. A `change` that
   * throws aborts the update.
   */
  update(id: string, expectedVersion: number | undefined, change: (current: T) => T | Promise<T>): Promise<T>;
  /** Deletes a record; NotFoundError when absent, ConflictError on a stale version. */
  remove(id: string, expectedVersion?: number): Promise<T>;
  /**
   * Inserts or replaces many records in one write (an import of thousands of rows): each `change` gets a
   * copy of the current record, or undefined, and returns the new one; the store sets version (1, or the
   * current one + 1) and timestamps. Ids must be distinct. When the promise resolves every record is
   * durable; a `change` that throws or a failed write leaves all of them as they were. lowdb writes each
   * shard touched once (a crash during that write may keep some shards' part of the batch, never half a
   * shard); PostgreSQL writes one statement in one transaction.
   */
  upsertMany(changes: ReadonlyArray<BatchChange<T>>): Promise<T[]>;
}

export interface AuditEntry {
  id: string;
  at: string;
  /** User id, or 'system' / 'cli'. */
  actor: string;
  /** Dotted verb: `item.create`, `item.transition`, `user.update`, … */
  action: string;
  target: { type: string; id: string };
  beforeVersion?: number;
  afterVersion?: number;
  data?: Record<string, unknown>;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditQuery {
  targetId?: string;
  targetType?: string;
  actor?: string;
  action?: string;
  limit?: number;
}

/** Append-only log of state changes. */
export interface AuditLog {
  append(entry: AuditInput): Promise<AuditEntry>;
  /** Newest first. */
  list(query?: AuditQuery): Promise<AuditEntry[]>;
}

export interface Store {
  readonly adapter: string;
  collection<T extends BaseRecord>(name: string): Collection<T>;
  readonly audit: AuditLog;
  /**
   * Runs `fn` so that its writes (records and audit lines) commit together: one transaction on
   * PostgreSQL; the embedded adapters run it as is (each write there is durable on its own).
   */
  transaction<R>(fn: () => Promise<R>): Promise<R>;
  /** Waits for pending writes, releases the data-dir lock. */
  close(): Promise<void>;
}
