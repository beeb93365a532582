import { createHash } from 'node:crypto';
import type { SqlClient, SqlRunner } from './sql.ts';

/**
 * Versioned schema changes, applied in order at start-up and recorded in `lianxin_migrations`.
 * Append new ones at the end; never edit one that has shipped. Collection tables are not here:
 * they are made on first use from one template (see `ensureCollectionTable`), so a collection that
 * another domain adds later needs no migration.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; statements: readonly string[] }> = [
  {
    version: 1,
    name: 'audit log',
    statements: [
      `CREATE TABLE lianxin_audit (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        at text NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        entry json NOT NULL
      )`,
      `CREATE INDEX lianxin_audit_target ON lianxin_audit (target_id, seq DESC)`,
      `CREATE INDEX lianxin_audit_actor ON lianxin_audit (actor, seq DESC)`,
      `CREATE INDEX lianxin_audit_action ON lianxin_audit (action text_pattern_ops)`,
      // append-only: the database itself refuses to change or delete an audit line
      `CREATE FUNCTION lianxin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'lianxin_audit is append-only'; END $$`,
      `CREATE TRIGGER lianxin_audit_no_change BEFORE UPDATE OR DELETE ON lianxin_audit
        FOR EACH ROW EXECUTE FUNCTION lianxin_audit_append_only()`,
    ],
  },
  {
    version: 2,
    name: 'login failure counters shared by every instance',
    statements: [`CREATE TABLE lianxin_limits (key text PRIMARY KEY, count integer NOT NULL, reset_at bigint NOT NULL)`],
  },
];

/** A stable 64-bit advisory-lock key for a name, scoped by schema so test schemas never contend. */
export function lockKey(schema: string, name: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha1').update(`${schema}:${name}`).digest('hex').slice(0, 16)}`)).toString();
}

/** Applies every migration not yet recorded; one process at a time (transaction-scoped advisory lock). */
export async function migrate(sql: SqlClient): Promise<number[]> {
  return sql.transaction(async () => {
    await sql.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(sql.schema, 'migrate')]);
    await sql.query(`CREATE TABLE IF NOT EXISTS lianxin_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await sql.query<{ version: number }>('SELECT version FROM lianxin_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await sql.query(statement);
      await sql.query('INSERT INTO lianxin_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** Table of a collection: `rec_` + its name with `-` as `_` (collection names are `[a-z][a-z0-9-]*`). */
export const tableOf = (collection: string) => `rec_${collection.replace(/-/g, '_')}`;

/**
 * Columns of one collection beyond id/version/timestamps: top-level record fields copied into
 * generated columns with a b-tree index, for what its lists sort or range-filter on. Equality
 * filters need none (every table has a GIN index on the record). A new collection adds a line here
 * only when it wants such a column; without one it works as is.
 */
export const INDEXED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  items: ['status', 'kind', 'orgId', 'authorId', 'slug', 'publishedAt'],
  concerns: ['status', 'week', 'orgId', 'capturedAt'],
  groups: ['week', 'orgId'],
  revisions: ['itemId'],
  sessions: ['userId', 'expiresAt'],
  users: ['username'],
};

const FIELD = /^[A-Za-z][A-Za-z0-9]{0,40}$/;

/** The generated column of an indexed field: `orgId` → `f_org_id`. */
export const columnOf = (field: string) => `f_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

/** Creates a collection's table and its indexes if missing (idempotent, safe from several processes). */
export async function ensureCollectionTable(sql: SqlClient, collection: string): Promise<void> {
  const table = tableOf(collection);
  await sql.transaction(async () => {
    await sql.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(sql.schema, `table:${table}`)]);
    await createTable(sql, table, INDEXED_FIELDS[collection] ?? []);
  });
}

async function createTable(sql: SqlRunner, table: string, fields: readonly string[]): Promise<void> {
  await sql.query(`
    CREATE TABLE IF NOT EXISTS ${table} (
      id text PRIMARY KEY,
      version integer NOT NULL,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      data json NOT NULL
    )`);
  // code-point order ("C"), the order the embedded adapters sort in
  await sql.query(`CREATE INDEX IF NOT EXISTS ${table}_updated ON ${table} (updated_at COLLATE "C" DESC NULLS LAST, id COLLATE "C" ASC NULLS FIRST)`);
  // the record is kept as `json`, byte for byte as written (jsonb would reorder keys, and code hashes
  // records such as storyboards); equality filters use this GIN index over its jsonb form
  await sql.query(`CREATE INDEX IF NOT EXISTS ${table}_data ON ${table} USING gin ((data::jsonb) jsonb_path_ops)`);
  for (const field of fields) {
    if (!FIELD.test(field)) throw new Error(`invalid indexed field ${field}`);
    const column = columnOf(field);
    await sql.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} text GENERATED ALWAYS AS (data->>'${field}') STORED`);
    await sql.query(`CREATE INDEX IF NOT EXISTS ${table}_${column} ON ${table} (${column})`);
  }
}
