import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pgClient, pgliteClient, type PGliteLike, type SqlClient } from '../server/store/sql.ts';

/** The PostgreSQL server the tests may use (`.ci/run` sets it); without it the store tests run on PGlite. */
export const TEST_DATABASE_URL = process.env.LIANXIN_TEST_DATABASE_URL || undefined;
export const TEST_REDIS_URL = process.env.LIANXIN_TEST_REDIS_URL || undefined;
/** With LIANXIN_REQUIRE_SERVICES=1 a missing service fails the run instead of skipping its tests. */
export const REQUIRE_SERVICES = process.env.LIANXIN_REQUIRE_SERVICES === '1';

/**
 * Whether tests that need `service` can run; without it they are skipped loudly, or fail when
 * the run requires services.
 */
export function serviceAvailable(service: string, url: string | undefined): boolean {
  if (url) return true;
  const message = `${service} is not configured: its tests are SKIPPED (set LIANXIN_TEST_${service.toUpperCase()}_URL)`;
  if (REQUIRE_SERVICES) throw new Error(`${message}, but LIANXIN_REQUIRE_SERVICES=1`);
  console.warn(`\n⚠️  ${message}\n`);
  return false;
}

/** A fresh schema name no other test file uses. */
export const freshSchema = (label: string) => `t_${label.replace(/[^a-z0-9]/g, '_').slice(0, 20)}_${randomBytes(5).toString('hex')}`;

/** Drops a test schema on the real server. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

let sharedPglite: Promise<PGliteLike> | undefined;

/** One PGlite per test file (starting one takes seconds); each caller gets its own schema in it. */
async function pglite(): Promise<PGliteLike> {
  sharedPglite ??= import('@electric-sql/pglite').then(({ PGlite }) => PGlite.create() as unknown as Promise<PGliteLike>);
  return sharedPglite;
}

/**
 * A PostgreSQL database for one test: a fresh schema on the real server when
 * LIANXIN_TEST_DATABASE_URL is set, otherwise a fresh schema in this file's PGlite.
 * `open()` gives a new client on the same schema (a second process, a reopen).
 */
export async function testDatabase(label: string): Promise<{ kind: 'server' | 'pglite'; schema: string; url?: string; open: () => Promise<SqlClient>; cleanup: () => Promise<void> }> {
  if (REQUIRE_SERVICES && !TEST_DATABASE_URL) throw new Error('LIANXIN_REQUIRE_SERVICES=1 but LIANXIN_TEST_DATABASE_URL is not set');
  const schema = freshSchema(label);
  if (TEST_DATABASE_URL) {
    const url = TEST_DATABASE_URL;
    return { kind: 'server', schema, url, open: async () => pgClient(url, { schema, max: 4 }), cleanup: () => dropSchema(url, schema) };
  }
  const db = await pglite();
  return {
    kind: 'pglite',
    schema,
    open: async () => pgliteClient(db, { schema, closeDb: false }),
    cleanup: async () => {
      await pgliteClient(db, { schema: 'public', closeDb: false }).query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}
