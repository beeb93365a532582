import { describe, expect, test } from 'vitest';
import { createStore, type BaseRecord } from '../../server/store/index.ts';
import { checksumOf, migrateLowdbToPostgres } from '../../server/store/migrate-lowdb.ts';
import { createTestEnv } from '../helpers.ts';
import { testDatabase } from '../services.ts';

describe('migrate lowdb-to-postgres', () => {
  test('copies every collection and the audit log, keeping versions, then refuses a second copy into the same schema', async () => {
    const env = await createTestEnv({ demo: true });
    const db = await testDatabase('migrate');
    try {
      // a record past version 1 and a hostile-looking text, to see they survive as they are
      const items = env.deps.store.collection<BaseRecord & { title: string }>('items');
      const [first] = await items.list();
      await items.update(first!.id, undefined, (r) => ({ ...r, title: `${r.title} <img src=x onerror=alert(1)> 🌪️` }));
      const names = ['items', 'users', 'orgs', 'concerns', 'revisions'];
      const before = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await env.deps.store.collection<BaseRecord>(n).list()] as const)));
      const auditCount = (await env.deps.store.audit.list({ limit: 1e9 })).length;
      await env.deps.store.close();

      const sql = await db.open();
      const report = await migrateLowdbToPostgres({ from: env.dir, sql });
      for (const n of names) {
        expect(report.collections.find((c) => c.name === n)).toMatchObject({ count: before[n]!.length, checksum: checksumOf(before[n]!) });
      }
      expect(report.audit.count).toBe(auditCount);

      const pg = createStore({ adapter: 'postgres', client: await db.open() });
      const copied = await pg.collection<BaseRecord & { title: string }>('items').get(first!.id);
      expect(copied).toMatchObject({ version: first!.version + 1, title: expect.stringContaining('onerror=alert(1)> 🌪️') });
      expect((await pg.audit.list({ limit: 1 }))[0]).toEqual((await createStore({ adapter: 'lowdb', dir: env.dir, lock: false }).audit.list({ limit: 1 }))[0]);
      await pg.close();

      await expect(migrateLowdbToPostgres({ from: env.dir, sql })).rejects.toMatchObject({ status: 409 });
      await sql.close();
    } finally {
      await env.close().catch(() => {});
      await db.cleanup();
    }
  });

  test('a directory that is not a data dir is refused, naming the field', async () => {
    const db = await testDatabase('migrate-bad');
    const sql = await db.open();
    try {
      await expect(migrateLowdbToPostgres({ from: '/nonexistent/content', sql })).rejects.toThrow(/^from: /);
    } finally {
      await sql.close();
      await db.cleanup();
    }
  });
});
