import { describe, expect, test } from 'vitest';
import { createStore, type BaseRecord } from '../../server/store/index.ts';
import { testStore } from '../contracts/store.ts';
import { testDatabase } from '../services.ts';

// The contract on PostgreSQL: the real server when LIANXIN_TEST_DATABASE_URL is set, PGlite otherwise.
testStore('postgres', async () => {
  const db = await testDatabase('contract');
  const store = createStore({ adapter: 'postgres', client: await db.open() });
  return {
    store,
    reopen: async () => createStore({ adapter: 'postgres', client: await db.open() }),
    cleanup: async () => {
      await store.close().catch(() => {});
      await db.cleanup();
    },
  };
});
