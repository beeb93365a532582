import type pg from 'pg';
import { lockKey } from '../store/migrations.ts';
import type { SqlClient } from '../store/sql.ts';
import type { Cluster } from './types.ts';

/**
 * A Cluster on PostgreSQL: session advisory locks pick the runner of once-only work and the
 * leader of a role; LISTEN/NOTIFY carries messages. Channel names and lock keys are scoped by the
 * store's schema, so test schemas on one server never hear each other.
 */
export function createPgCluster(sql: SqlClient, { retryMs = 2000, log = console }: { retryMs?: number; log?: Pick<Console, 'error'> } = {}): Cluster {
  if (!sql.session) throw new Error('the PostgreSQL cluster needs a server connection (PGlite is one process)');
  const session = sql.session.bind(sql);
  const channelOf = (name: string) => `lianxin_${lockKey(sql.schema, `channel:${name}`).replace('-', 'm')}`;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let listener: Promise<pg.PoolClient> | undefined;
  const roles: Array<{ stop: () => void }> = [];
  let closed = false;

  const connectListener = () =>
    (listener ??= session().then((client) => {
      client.on('notification', (message) => {
        const set = listeners.get(message.channel);
        if (!set || message.payload === undefined) return;
        let payload: unknown;
        try {
          payload = JSON.parse(message.payload);
        } catch {
          return;
        }
        for (const fn of set) fn(payload);
      });
      // a lost listener connection: reconnect and listen again, or messages would silently stop
      client.on('error', (error) => {
        log.error('集群消息连接断开，正在重连', error.message);
        listener = undefined;
        if (!closed) void connectListener().then((c) => Promise.all([...listeners.keys()].map((ch) => c.query(`LISTEN ${ch}`)))).catch(() => {});
      });
      return client;
    }));

  const withLock = async <R>(name: string, wait: boolean, fn: () => Promise<R>): Promise<R | undefined> => {
    const client = await session();
    const key = lockKey(sql.schema, `run:${name}`);
    try {
      if (wait) await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      else {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
        if (!rows[0]?.ok) return undefined;
      }
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
      }
    } finally {
      client.release();
    }
  };

  return {
    exclusive: (name, fn) => withLock(name, false, fn),
    serialized: async (name, fn) => (await withLock(name, true, fn)) as Awaited<ReturnType<typeof fn>>,
    lead(name, start) {
      const key = lockKey(sql.schema, `lead:${name}`);
      const role = { stop: () => {} };
      roles.push(role);
      let timer: NodeJS.Timeout | undefined;
      let stopRole: (() => void) | undefined;
      let held: pg.PoolClient | undefined;
      let closedRole = false;
      const attempt = async () => {
        timer = undefined;
        if (closed || closedRole) return;
        try {
          const client = await session();
          const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
          if (rows[0]?.ok && (closed || closedRole)) {
            // left the race while asking: give the lock back before the connection returns to the pool
            await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
            client.release();
            return;
          }
          if (!rows[0]?.ok) {
            client.release();
          } else {
            held = client;
            // the lock lives as long as this connection: if it drops, step down and compete again
            client.once('error', () => {
              stopRole?.();
              stopRole = undefined;
              held = undefined;
              client.release(true);
              if (!closed && !closedRole) timer = setTimeout(attempt, retryMs);
            });
            stopRole = start();
            return;
          }
        } catch (error) {
          log.error(`集群角色 ${name} 竞选失败`, (error as Error).message);
        }
        if (!closed && !closedRole) timer = setTimeout(attempt, retryMs);
      };
      role.stop = () => {
        closedRole = true;
        if (timer) clearTimeout(timer);
        stopRole?.();
        stopRole = undefined;
        if (held) {
          const client = held;
          held = undefined;
          void client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {}).finally(() => client.release());
        }
      };
      void attempt();
      return () => role.stop();
    },
    async publish(channel, payload) {
      await sql.query('SELECT pg_notify($1, $2)', [channelOf(channel), JSON.stringify(payload)]);
    },
    async subscribe(channel, fn) {
      const name = channelOf(channel);
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
        await (await connectListener()).query(`LISTEN ${name}`);
      }
      set.add(fn);
      return () => set.delete(fn);
    },
    async close() {
      closed = true;
      roles.forEach((r) => r.stop());
      // let the unlocks go out before the pool ends
      await new Promise((r) => setTimeout(r, 20));
      if (listener) (await listener).release();
    },
  };
}
