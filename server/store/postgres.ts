import { randomUUID } from 'node:crypto';
import { AppError, ConflictError, NotFoundError } from '../errors.ts';
import { assertDistinct, assertVersion, compareBy, isIn, matchWhere, type Where } from './collection.ts';
import { columnOf, ensureCollectionTable, INDEXED_FIELDS, migrate, tableOf } from './migrations.ts';
import type { SqlClient } from './sql.ts';
import type { AuditEntry, AuditLog, BaseRecord, BatchChange, Collection, NewRecord, QueryOptions, Store } from './types.ts';

const FIELD = /^[A-Za-z][A-Za-z0-9]{0,40}$/;

/**
 * ORDER BY terms for a sort field, matching compareBy: base fields are text columns; other fields
 * sort numbers as numbers and strings in code-point order, a missing value first (as the smallest).
 */
function orderTerms(field: string, direction: 'asc' | 'desc'): string {
  const dir = direction === 'desc' ? 'DESC NULLS LAST' : 'ASC NULLS FIRST';
  if (field === 'id') return `id COLLATE "C" ${dir}`;
  if (field === 'updatedAt') return `updated_at COLLATE "C" ${dir}`;
  if (field === 'createdAt') return `created_at COLLATE "C" ${dir}`;
  if (!FIELD.test(field)) throw new Error(`invalid order field ${field}`);
  const value = `(data::jsonb -> '${field}')`;
  return `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric END) ${dir}, (data ->> '${field}') COLLATE "C" ${dir}`;
}

/**
 * `where` as SQL. A string compared with an indexed field (INDEXED_FIELDS) or the id uses its column
 * and b-tree index, with no JSON parsed per row; any other field is narrowed by containment (`@>`,
 * the GIN index) and then compared exactly as jsonb, which keeps containment's looser matches (a
 * value inside an array) out. `{ in: [...] }` is `= ANY(...)` on the column, or on the jsonb value.
 */
function whereClause(where: Where | undefined, indexed: readonly string[]): { clause: string; params: unknown[] } {
  // undefined means "no condition" (the list filters pass what the request left out)
  const entries = Object.entries(where ?? {}).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return { clause: '', params: [] };
  const params: unknown[] = [];
  const parts: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const columnFor = (field: string) => (field === 'id' ? 'id' : indexed.includes(field) ? columnOf(field) : undefined);
  const contained: Array<[string, unknown]> = [];
  for (const [field, value] of entries) {
    if (!FIELD.test(field)) throw new Error(`invalid where field ${field}`);
    const column = columnFor(field);
    if (isIn(value)) {
      if (column && value.in.every((v) => typeof v === 'string')) parts.push(`${column} = ANY(${param(value.in)}::text[])`);
      else parts.push(`data::jsonb -> '${field}' = ANY(${param(value.in.map((v) => JSON.stringify(v)))}::jsonb[])`);
    } else if (column && typeof value === 'string') parts.push(`${column} = ${param(value)}`);
    else contained.push([field, value]);
  }
  if (contained.length > 0) {
    parts.push(`data::jsonb @> ${param(JSON.stringify(Object.fromEntries(contained)))}::jsonb`);
    for (const [field, value] of contained) parts.push(`data::jsonb -> '${field}' = ${param(JSON.stringify(value))}::jsonb`);
  }
  return { clause: `WHERE ${parts.join(' AND ')}`, params };
}

interface Row {
  data: BaseRecord;
}


/** PostgreSQL refuses `\u0000` in jsonb (the filter index); such text can only come from hostile input, so it is refused as a 400. */
function toJson(record: unknown): string {
  const text = JSON.stringify(record);
  if (text.includes('\\u0000')) throw new AppError(400, 'validation_failed', '文本中含有不允许的空字符（\\u0000）');
  return text;
}

/** One collection as one table: the record as json plus id, version and timestamps as columns. */
class PgCollection<T extends BaseRecord> implements Collection<T> {
  private ready: Promise<void> | undefined;
  private readonly table: string;

  constructor(
    readonly name: string,
    private readonly sql: SqlClient,
    private readonly migrated: () => Promise<void>,
    private readonly now: () => Date,
  ) {
    this.table = tableOf(name);
  }

  private init(): Promise<void> {
    this.ready ??= this.sql
      .outside(() => this.migrated().then(() => ensureCollectionTable(this.sql, this.name)))
      .catch((error) => {
        this.ready = undefined;
        throw error;
      });
    return this.ready;
  }

  async get(id: string): Promise<T | undefined> {
    await this.init();
    const { rows } = await this.sql.query<Row>(`SELECT data FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0]?.data as T | undefined;
  }

  async list(filter?: (record: T) => boolean): Promise<T[]> {
    await this.init();
    const { rows } = await this.sql.query<Row>(`SELECT data FROM ${this.table}`);
    const records = rows.map((r) => r.data as T);
    return filter ? records.filter(filter) : records;
  }

  async count(): Promise<number> {
    await this.init();
    const { rows } = await this.sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table}`);
    return Number(rows[0]!.n);
  }

  async query({ where, filter, sort, order, offset = 0, limit = Infinity }: QueryOptions<T>): Promise<{ records: T[]; total: number }> {
    await this.init();
    const { clause, params } = whereClause(where as Where | undefined, INDEXED_FIELDS[this.name] ?? []);
    // `order` describes the same order as `sort` when both are given (see QueryOptions)
    if (!filter && order && order.length > 0) {
      // everything is data: sort, page and count in the database; only the page travels
      const by = order.map(([field, direction]) => orderTerms(field, direction)).join(', ');
      const page = Number.isFinite(limit) ? `LIMIT ${Math.max(0, Math.floor(limit))}` : '';
      const [{ rows }, counted] = await Promise.all([
        this.sql.query<Row>(`SELECT data FROM ${this.table} ${clause} ORDER BY ${by} ${page} OFFSET ${Math.max(0, Math.floor(offset))}`, params),
        this.sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table} ${clause}`, params),
      ]);
      return { records: rows.map((r) => r.data as T), total: Number(counted.rows[0]!.n) };
    }
    const { rows } = await this.sql.query<Row>(`SELECT data FROM ${this.table} ${clause}`, params);
    const test = matchWhere(where);
    const matches = rows.map((r) => r.data as T).filter((r) => test(r) && (!filter || filter(r)));
    const compare = sort ?? compareBy(order);
    if (compare) matches.sort(compare);
    return { records: matches.slice(offset, offset + limit), total: matches.length };
  }

  async insert(input: NewRecord<T>): Promise<T> {
    await this.init();
    const at = this.now().toISOString();
    const record = { ...input, version: 1, createdAt: at, updatedAt: at } as T;
    const { rowCount } = await this.sql.query(
      `INSERT INTO ${this.table} (id, version, created_at, updated_at, data) VALUES ($1, 1, $2, $2, $3::json) ON CONFLICT (id) DO NOTHING`,
      [input.id, at, toJson(record)],
    );
    if (rowCount === 0) throw new ConflictError(`${this.name} ${input.id} 已存在`);
    return JSON.parse(JSON.stringify(record)) as T;
  }

  /**
   * Optimistic concurrency: read, change in JS, then `UPDATE … WHERE id = $1 AND version = $2`.
   * With an expected version a lost race is a 409; without one the change is re-applied to the
   * newer record, as the embedded adapters' write queue would have done.
   */
  async update(id: string, expectedVersion: number | undefined, change: (current: T) => T | Promise<T>): Promise<T> {
    await this.init();
    for (;;) {
      const current = await this.get(id);
      if (!current) throw new NotFoundError(`${this.name} ${id} 不存在`);
      assertVersion(this.name, current, expectedVersion);
      const changed = await change(structuredClone(current));
      const at = this.now().toISOString();
      const record = { ...changed, id, createdAt: current.createdAt, version: current.version + 1, updatedAt: at } as T;
      const { rowCount } = await this.sql.query(
        `UPDATE ${this.table} SET version = version + 1, updated_at = $3, data = $4::json WHERE id = $1 AND version = $2`,
        [id, current.version, at, toJson(record)],
      );
      if (rowCount === 1) return JSON.parse(JSON.stringify(record)) as T;
      if (expectedVersion !== undefined) {
        const now = await this.get(id);
        if (!now) throw new NotFoundError(`${this.name} ${id} 不存在`);
        assertVersion(this.name, now, expectedVersion);
      }
    }
  }

  /**
   * One transaction: the current records read and locked (FOR UPDATE), the new ones written in one
   * statement. A record another writer inserted meanwhile fails the version check in the statement; the
   * batch is then rolled back to its savepoint and made again from the newer records, as `update` does.
   * (A savepoint, not a transaction of its own: a caller's transaction may hold this one.)
   */
  async upsertMany(changes: ReadonlyArray<BatchChange<T>>): Promise<T[]> {
    await this.init();
    if (changes.length === 0) return [];
    assertDistinct(this.name, changes);
    const ids = changes.map((c) => c.id);
    const records = await this.sql.transaction(async () => {
      for (;;) {
        await this.sql.query('SAVEPOINT lianxin_batch');
        const { rows } = await this.sql.query<Row>(`SELECT data FROM ${this.table} WHERE id = ANY($1::text[]) FOR UPDATE`, [ids]);
        const current = new Map(rows.map((r) => [r.data.id, r.data as T]));
        const at = this.now().toISOString();
        const next = changes.map(({ id, change }) => {
          const before = current.get(id);
          const changed = change(before === undefined ? undefined : structuredClone(before));
          return { ...changed, id, version: (before?.version ?? 0) + 1, createdAt: before?.createdAt ?? at, updatedAt: at } as T;
        });
        const { rowCount } = await this.sql.query(
          `INSERT INTO ${this.table} AS t (id, version, created_at, updated_at, data)
             SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::json[])
           ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, data = EXCLUDED.data
             WHERE t.version = EXCLUDED.version - 1`,
          [ids, next.map((r) => r.version), next.map((r) => r.createdAt), next.map((r) => r.updatedAt), next.map(toJson)],
        );
        if (rowCount === next.length) {
          await this.sql.query('RELEASE SAVEPOINT lianxin_batch');
          return next;
        }
        await this.sql.query('ROLLBACK TO SAVEPOINT lianxin_batch');
      }
    });
    return JSON.parse(JSON.stringify(records)) as T[];
  }

  async remove(id: string, expectedVersion?: number): Promise<T> {
    await this.init();
    const { rows } =
      expectedVersion === undefined
        ? await this.sql.query<Row>(`DELETE FROM ${this.table} WHERE id = $1 RETURNING data`, [id])
        : await this.sql.query<Row>(`DELETE FROM ${this.table} WHERE id = $1 AND version = $2 RETURNING data`, [id, expectedVersion]);
    if (rows[0]) return rows[0].data as T;
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`${this.name} ${id} 不存在`);
    assertVersion(this.name, current, expectedVersion);
    throw new ConflictError(`${this.name} ${id} 删除失败，请重试`);
  }
}

function pgAudit(sql: SqlClient, migrated: () => Promise<void>, now: () => Date): AuditLog {
  return {
    async append(input) {
      await migrated();
      const entry: AuditEntry = { id: randomUUID(), at: now().toISOString(), ...input };
      await sql.query(
        'INSERT INTO lianxin_audit (id, at, actor, action, target_type, target_id, entry) VALUES ($1, $2, $3, $4, $5, $6, $7::json)',
        [entry.id, entry.at, entry.actor, entry.action, entry.target.type, entry.target.id, toJson(entry)],
      );
      return entry;
    },
    async list(q = {}) {
      await migrated();
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: (n: string) => string, value: unknown) => {
        params.push(value);
        where.push(clause(`$${params.length}`));
      };
      if (q.targetId) add((n) => `target_id = ${n}`, q.targetId);
      if (q.targetType) add((n) => `target_type = ${n}`, q.targetType);
      if (q.actor) add((n) => `actor = ${n}`, q.actor);
      if (q.action) add((n) => `(action = ${n} OR action LIKE ${n} || '.%')`, q.action.replace(/[\\%_]/g, '\\$&'));
      params.push(q.limit ?? 200);
      const { rows } = await sql.query<{ entry: AuditEntry }>(
        `SELECT entry FROM lianxin_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map((r) => r.entry);
    },
  };
}

/** A Store on PostgreSQL. Migrations run before the first statement; tables are made on first use. */
export function createPostgresStore(sql: SqlClient, clock: () => Date = () => new Date()): Store & { sql: SqlClient; ready(): Promise<void> } {
  let migrated: Promise<void> | undefined;
  const ready = () =>
    (migrated ??= sql.outside(() => migrate(sql)).then(
      () => undefined,
      (error) => {
        migrated = undefined;
        throw error;
      },
    ));
  const collections = new Map<string, PgCollection<BaseRecord>>();
  return {
    adapter: 'postgres',
    sql,
    ready,
    audit: pgAudit(sql, ready, clock),
    collection<T extends BaseRecord>(name: string): Collection<T> {
      let collection = collections.get(name);
      if (!collection) {
        collection = new PgCollection(name, sql, ready, clock);
        collections.set(name, collection);
      }
      return collection as unknown as Collection<T>;
    },
    transaction: (fn) => sql.transaction(fn),
    close: () => sql.close(),
  };
}
