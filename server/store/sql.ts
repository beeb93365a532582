import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/** The little of a PostgreSQL connection the store needs; `pg` and PGlite both fit behind it. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

export interface SqlClient extends SqlRunner {
  /** Runs `fn` in one transaction; nested calls join the outer one. */
  transaction<R>(fn: () => Promise<R>): Promise<R>;
  /** Runs `fn` outside the current transaction (schema set-up must not roll back with a caller's change). */
  outside<R>(fn: () => Promise<R>): Promise<R>;
  /** The schema every unqualified name resolves to (advisory lock keys are scoped by it). */
  readonly schema: string;
  /** A dedicated session for LISTEN and session-level advisory locks; undefined where there is none (PGlite). */
  session?(): Promise<pg.PoolClient>;
  close(): Promise<void>;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** Connects to a PostgreSQL server with a pool; `schema` (created when missing) becomes the search_path. */
export function pgClient(url: string, { schema = 'public', max = 10 }: { schema?: string; max?: number } = {}): SqlClient {
  if (!SCHEMA.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  const pool = new pg.Pool({ connectionString: url, max, options: `-c search_path=${schema}` });
  // an idle client that loses its connection must not crash the process; the next query reconnects
  pool.on('error', (error) => console.error('PostgreSQL 连接出错（将自动重连）', error.message));
  const tx = new AsyncLocalStorage<pg.PoolClient>();
  let made: Promise<void> | undefined;
  const ensureSchema = () =>
    (made ??= schema === 'public' ? Promise.resolve() : pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(() => undefined).catch((error) => {
      made = undefined;
      // two processes creating the same schema at once: the loser sees a unique violation
      if ((error as { code?: string }).code !== '23505') throw error;
    }));
  return {
    schema,
    async query(text, params) {
      const client = tx.getStore();
      if (!client) await ensureSchema();
      const result = await (client ?? pool).query(text, params as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    async transaction(fn) {
      if (tx.getStore()) return fn();
      await ensureSchema();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await tx.run(client, fn);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    outside: (fn) => tx.exit(fn),
    async session() {
      await ensureSchema();
      return pool.connect();
    },
    close: () => pool.end(),
  };
}

/** The shape of a PGlite instance that is used here (kept structural so the server does not depend on PGlite). */
export interface PGliteLike {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  transaction<R>(fn: (tx: { query<T>(text: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }> }) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

const searchPaths = new WeakMap<PGliteLike, string>();

/**
 * Wraps an in-process PGlite database (tests on machines without a PostgreSQL server). Several
 * clients may share one PGlite, each in its own `schema`: the session's search_path is switched
 * before each of their statements.
 */
export function pgliteClient(db: PGliteLike, { schema = 'public', closeDb = true }: { schema?: string; closeDb?: boolean } = {}): SqlClient {
  if (!SCHEMA.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  type Tx = Parameters<Parameters<PGliteLike['transaction']>[0]>[0];
  const tx = new AsyncLocalStorage<Tx>();
  // PGlite is one session: statements outside a transaction must wait while one is open
  const serial = <R>(task: () => Promise<R>): Promise<R> => {
    const chain = chains.get(db) ?? Promise.resolve();
    const run = async () => {
      if (searchPaths.get(db) !== schema) {
        await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await db.query(`SET search_path TO ${schema}`);
        searchPaths.set(db, schema);
      }
      return task();
    };
    const next = chain.then(run, run);
    chains.set(db, next.catch(() => {}));
    return next;
  };
  return {
    schema,
    async query(text, params) {
      const inner = tx.getStore();
      const run = async () => {
        const result = await (inner ?? db).query<never>(text, params);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      };
      return inner ? run() : serial(run);
    },
    transaction(fn) {
      if (tx.getStore()) return fn();
      return serial(() => db.transaction((t) => tx.run(t, fn)));
    },
    // one session: leaving an open transaction would wait for it forever, so set-up runs inside it
    outside: (fn) => fn(),
    close: async () => {
      if (closeDb) await db.close();
    },
  };
}

const chains = new WeakMap<PGliteLike, Promise<unknown>>();
