import { afterAll, describe, expect, test } from 'vitest';
import { createStore } from '../../server/store/index.ts';
import type { BaseRecord, Store } from '../../server/store/types.ts';
import { createTestEnv, loginAs, type TestEnv } from '../helpers.ts';
import { testDatabase } from '../services.ts';

// Expired sessions are refused when used, and the sweep (run on login, at most every 10 minutes)
// deletes them from the store, so a store of sessions never only grows. Checked on lowdb and on
// PostgreSQL (the real server when LIANXIN_TEST_DATABASE_URL is set, PGlite otherwise).
const HOUR = 3600_000;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function sweptOn(store: 'lowdb' | 'postgres') {
  let now = Date.parse('2026-11-30T00:00:00Z');
  const clock = () => new Date(now);
  let env: TestEnv;
  if (store === 'postgres') {
    const db = await testDatabase('sweep');
    env = await createTestEnv({ clock, config: { sessionTtlHours: 12 }, store: createStore({ adapter: 'postgres', client: await db.open(), clock }) as Store });
    cleanups.push(async () => {
      await env.close();
      await db.cleanup();
    });
  } else {
    env = await createTestEnv({ clock, config: { sessionTtlHours: 12 } });
    cleanups.push(() => env.close());
  }
  const sessions = () => env.deps.store.collection<BaseRecord & { expiresAt: string }>('sessions').list();
  const first = await loginAs(env.app, 'admin');
  now += 11 * HOUR;
  await loginAs(env.app, 'admin');
  expect((await sessions()).length).toBe(2);
  now += 2 * HOUR; // the first session is now an hour past expiry, the second not
  await loginAs(env.app, 'admin');
  const left = await sessions();
  expect(left.length).toBe(2);
  expect(left.every((s) => s.expiresAt > new Date(now).toISOString())).toBe(true);
  // and the expired cookie is refused
  expect((await env.app.request('/api/session', { headers: { cookie: first.cookie } })).status).toBe(401);
}

describe('expired sessions are swept from the store', () => {
  test('lowdb', () => sweptOn('lowdb'));
  test('PostgreSQL', () => sweptOn('postgres'));
});
