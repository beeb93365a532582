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

interface Note extends BaseRecord {
  text: string;
}

describe('postgres store', () => {
  test('a transaction that throws rolls back the record and its audit line together', async () => {
    const db = await testDatabase('tx');
    const store = createStore({ adapter: 'postgres', client: await db.open() });
    try {
      const notes = store.collection<Note>('notes');
      await notes.insert({ id: 'a', text: 'v1' });
      await expect(
        store.transaction(async () => {
          const next = await notes.update('a', 1, (r) => ({ ...r, text: 'v2' }));
          await store.audit.append({ actor: 'u', action: 'note.update', target: { type: 'note', id: 'a' }, afterVersion: next.version });
          throw new Error('crash after the audit line');
        }),
      ).rejects.toThrow('crash');
      expect(await notes.get('a')).toMatchObject({ text: 'v1', version: 1 });
      expect(await store.audit.list({ targetId: 'a' })).toEqual([]);
    } finally {
      await store.close();
      await db.cleanup();
    }
  });

  test('the audit table refuses updates and deletes', async () => {
    const db = await testDatabase('audit');
    const client = await db.open();
    const store = createStore({ adapter: 'postgres', client });
    try {
      await store.audit.append({ actor: 'u', action: 'x.y', target: { type: 't', id: '1' } });
      await expect(client.query(`UPDATE lianxin_audit SET actor = 'someone-else'`)).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM lianxin_audit')).rejects.toThrow(/append-only/);
      expect(await store.audit.list()).toHaveLength(1);
    } finally {
      await store.close();
      await db.cleanup();
    }
  });

  test('two stores on one database (two instances) share records and refuse each other’s stale versions', async () => {
    const db = await testDatabase('two');
    const one = createStore({ adapter: 'postgres', client: await db.open() });
    const two = createStore({ adapter: 'postgres', client: await db.open() });
    try {
      await one.collection<Note>('notes').insert({ id: 'a', text: '甲' });
      const seen = await two.collection<Note>('notes').get('a');
      expect(seen).toMatchObject({ text: '甲', version: 1 });
      await two.collection<Note>('notes').update('a', 1, (r) => ({ ...r, text: '乙' }));
      await expect(one.collection<Note>('notes').update('a', 1, (r) => ({ ...r, text: '丙' }))).rejects.toMatchObject({ status: 409 });
      // without an expected version the change is applied to the newest record, never lost
      await Promise.all([one, two].flatMap((s) => Array.from({ length: 5 }, () => s.collection<Note>('notes').update('a', undefined, (r) => ({ ...r, text: `${r.text}+` })))));
      expect(await one.collection<Note>('notes').get('a')).toMatchObject({ text: '乙++++++++++', version: 12 });
    } finally {
      await one.close();
      await two.close();
      await db.cleanup();
    }
  });

  test('batches from two instances on the same new ids both land: the later one is made again from the other’s records', async () => {
    const db = await testDatabase('batch');
    const one = createStore({ adapter: 'postgres', client: await db.open() });
    const two = createStore({ adapter: 'postgres', client: await db.open() });
    try {
      const ids = Array.from({ length: 200 }, (_, i) => `p${i}`);
      const batch = (s: typeof one) => s.collection<Note>('notes').upsertMany(ids.map((id) => ({ id, change: (cur: Note | undefined) => ({ id, text: `${cur?.text ?? ''}+` }) })));
      await Promise.all([batch(one), batch(two), batch(one)]);
      const all = await one.collection<Note>('notes').list();
      expect(all).toHaveLength(200);
      expect(all.every((n) => n.text === '+++' && n.version === 3)).toBe(true);
    } finally {
      await one.close();
      await two.close();
      await db.cleanup();
    }
  });

  test('text with a NUL character is refused with 400 and nothing is written', async () => {
    const db = await testDatabase('nul');
    const store = createStore({ adapter: 'postgres', client: await db.open() });
    try {
      await expect(store.collection<Note>('notes').insert({ id: 'a', text: 'bad\u0000text' })).rejects.toMatchObject({ status: 400 });
      expect(await store.collection<Note>('notes').count()).toBe(0);
    } finally {
      await store.close();
      await db.cleanup();
    }
  });

  test('records keep Chinese text, emoji and nested structures exactly', async () => {
    const db = await testDatabase('rt');
    const store = createStore({ adapter: 'postgres', client: await db.open() });
    try {
      const record = { id: 'x', text: '#暴雨# @盐城发布 🌧️ <script>alert(1)</script> 𠮷', nested: { a: [1, { b: null }], 'key with space': '' } };
      const created = await store.collection<Note & { nested: unknown }>('notes').insert(record);
      expect(await store.collection('notes').get('x')).toEqual(created);
      expect(created).toMatchObject(record);
    } finally {
      await store.close();
      await db.cleanup();
    }
  });
});
