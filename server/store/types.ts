/** Fields every stored record carries; the store sets them, callers never do. */
export interface BaseRecord {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type NewRecord<T extends BaseRecord> = Omit<T, 'version' | 'createdAt' | 'updatedAt'>;

/** Equality on top-level fields; adapters with a query planner (PostgreSQL) narrow the rows with it before `filter` runs. */
export type Where = Record<string, string | number | boolean | null>;

/** Sort keys as data, so a database can sort and page: top-level fields, compared as strings/numbers in code-point order. */
export type Order = ReadonlyArray<readonly [field: string, direction: 'asc' | 'desc']>;

export interface QueryOptions<T> {
  where?: Where;
  filter?: (record: Readonly<T>) => boolean;
  /** Used when `sort` is absent. With `order` and no `filter`, PostgreSQL pages in SQL and returns only the page. */
  order?: Order;
  sort?: (a: Readonly<T>, b: Readonly<T>) => number;
  offset?: number;
  limit?: number;
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
