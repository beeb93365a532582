import { describe, expect, test } from 'vitest';
import type { BaseRecord, Store } from '../../server/store/index.ts';

interface Note extends BaseRecord {
  text: string;
  n: number;
}

/** The behaviour every Store adapter must have (unstorage's testDriver pattern). */
export function testStore(name: string, make: () => Promise<{ store: Store; reopen?: () => Promise<Store>; cleanup: () => Promise<void> }>) {
  describe(`store contract: ${name}`, () => {
    test('insert sets version 1 and timestamps; get returns a copy', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      const created = await notes.insert({ id: 'a', text: '你好', n: 1 });
      expect(created.version).toBe(1);
      expect(created.createdAt).toMatch(/^\d{4}-/);
      const got = await notes.get('a');
      got!.text = 'mutated';
      expect((await notes.get('a'))!.text).toBe('你好');
      await cleanup();
    });

    test('insert refuses an existing id with 409', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      await notes.insert({ id: 'a', text: 'x', n: 1 });
      await expect(notes.insert({ id: 'a', text: 'y', n: 2 })).rejects.toMatchObject({ status: 409 });
      expect((await notes.get('a'))!.text).toBe('x');
      await cleanup();
    });

    test('update bumps the version; a stale version is refused with 409 and nothing changes', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      await notes.insert({ id: 'a', text: 'v1', n: 1 });
      const v2 = await notes.update('a', 1, (r) => ({ ...r, text: 'v2' }));
      expect(v2.version).toBe(2);
      await expect(notes.update('a', 1, (r) => ({ ...r, text: 'stale' }))).rejects.toMatchObject({ status: 409 });
      expect(await notes.get('a')).toMatchObject({ text: 'v2', version: 2 });
      await cleanup();
    });

    test('concurrent updates at the same version: exactly one wins', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      await notes.insert({ id: 'a', text: 'v1', n: 0 });
      const results = await Promise.allSettled([1, 2, 3].map((n) => notes.update('a', 1, (r) => ({ ...r, n }))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await notes.get('a'))!.version).toBe(2);
      await cleanup();
    });

    test('a change that throws aborts the update', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      await notes.insert({ id: 'a', text: 'v1', n: 0 });
      await expect(notes.update('a', undefined, () => { throw new Error('no'); })).rejects.toThrow('no');
      expect(await notes.get('a')).toMatchObject({ text: 'v1', version: 1 });
      await cleanup();
    });

    test('remove checks the version; missing ids are 404', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      await notes.insert({ id: 'a', text: 'x', n: 0 });
      await expect(notes.remove('a', 7)).rejects.toMatchObject({ status: 409 });
      await notes.remove('a', 1);
      expect(await notes.get('a')).toBeUndefined();
      await expect(notes.remove('a')).rejects.toMatchObject({ status: 404 });
      await expect(notes.update('zz', undefined, (r) => r)).rejects.toMatchObject({ status: 404 });
      await cleanup();
    });

    test('list filters and count counts across many records', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      await Promise.all(Array.from({ length: 600 }, (_, n) => notes.insert({ id: `n${n}`, text: n % 2 ? 'odd' : 'even', n })));
      expect(await notes.count()).toBe(600);
      expect(await notes.list((r) => r.text === 'odd')).toHaveLength(300);
      await cleanup();
    });

    test('query filters, sorts and pages, counting every match; returned records are copies', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      await Promise.all(Array.from({ length: 50 }, (_, n) => notes.insert({ id: `n${n}`, text: n % 5 === 0 ? 'five' : 'other', n })));
      const page = await notes.query({ filter: (r) => r.text === 'five', sort: (a, b) => b.n - a.n, offset: 2, limit: 3 });
      expect(page.total).toBe(10);
      expect(page.records.map((r) => r.n)).toEqual([35, 30, 25]);
      page.records[0]!.text = 'changed';
      expect((await notes.get('n35'))!.text).toBe('five');
      await cleanup();
    });

    test('sorted and `where` queries stay right across inserts, updates and removes with one comparator reused', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      const byN = (a: Note, b: Note) => b.n - a.n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      const expected = new Map<string, Note>();
      let seed = 7;
      const rand = (m: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
      for (let step = 0; step < 120; step++) {
        const id = `n${rand(30)}`;
        const current = expected.get(id);
        if (!current) expected.set(id, await notes.insert({ id, text: `t${step}`, n: rand(10) }));
        else if (rand(4) === 0) {
          await notes.remove(id);
          expected.delete(id);
        } else expected.set(id, await notes.update(id, current.version, (r) => ({ ...r, n: rand(10) })));
        if (step % 10 === 0 || step === 119) {
          const { records, total } = await notes.query({ sort: byN, filter: (r) => r.n % 3 !== 0, offset: 2, limit: 5 });
          const all = [...expected.values()].filter((r) => r.n % 3 !== 0).sort(byN);
          expect(total).toBe(all.length);
          expect(records.map((r) => [r.id, r.n])).toEqual(all.slice(2, 7).map((r) => [r.id, r.n]));
          // an equality `where` answers the same as the filter it replaces, as records move in and out of it
          const four = await notes.query({ sort: byN, where: { n: 4 } });
          expect(four.records.map((r) => r.id)).toEqual([...expected.values()].filter((r) => r.n === 4).sort(byN).map((r) => r.id));
          const unsorted = await notes.query({ where: { n: 4 }, filter: (r) => r.id !== 'n1' });
          expect(unsorted.total).toBe([...expected.values()].filter((r) => r.n === 4 && r.id !== 'n1').length);
        }
      }
      await cleanup();
    });

    test('audit is append-only and lists newest first with filters', async () => {
      const { store, cleanup } = await make();
      await store.audit.append({ actor: 'u1', action: 'item.create', target: { type: 'item', id: 'i1' } });
      await store.audit.append({ actor: 'u2', action: 'item.transition', target: { type: 'item', id: 'i1' }, beforeVersion: 1, afterVersion: 2 });
      await store.audit.append({ actor: 'u2', action: 'user.create', target: { type: 'user', id: 'x' } });
      const forItem = await store.audit.list({ targetId: 'i1' });
      expect(forItem.map((e) => e.action)).toEqual(['item.transition', 'item.create']);
      expect(await store.audit.list({ action: 'item' })).toHaveLength(2);
      await cleanup();
    });

    test('acknowledged writes are there after reopening', async () => {
      const { store, reopen, cleanup } = await make();
      if (!reopen) return void (await cleanup());
      const notes = store.collection<Note>('notes');
      await notes.insert({ id: 'a', text: '持久', n: 1 });
      await notes.update('a', 1, (r) => ({ ...r, n: 2 }));
      await store.audit.append({ actor: 'u', action: 'x.y', target: { type: 't', id: 'a' } });
      await store.close();
      const again = await reopen();
      expect(await again.collection<Note>('notes').get('a')).toMatchObject({ text: '持久', n: 2, version: 2 });
      expect(await again.audit.list()).toHaveLength(1);
      await again.close();
      await cleanup();
    });
  });
}
