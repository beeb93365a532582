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

    test('query `where` narrows by equality on top-level fields, together with `filter`', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note & { tags: string[] }>('notes');
      await Promise.all(Array.from({ length: 20 }, (_, n) => notes.insert({ id: `n${n}`, text: n % 2 ? 'odd' : 'even', n, tags: [n % 2 ? 'odd' : 'even'] })));
      const odd = await notes.query({ where: { text: 'odd' }, filter: (r) => r.n > 10, sort: (a, b) => a.n - b.n });
      expect(odd.records.map((r) => r.n)).toEqual([11, 13, 15, 17, 19]);
      // equality, not containment: an array field never equals a string
      expect((await notes.query({ where: { tags: 'odd' } as never })).total).toBe(0);
      expect((await notes.query({ where: { text: 'none' } })).total).toBe(0);
      await cleanup();
    });

    test('query `where` with `{ in: [...] }` matches any of the values, on plain, indexed and id fields', async () => {
      const { store, cleanup } = await make();
      // `items` has indexed columns (status, orgId) on PostgreSQL; `notes` has none
      const items = store.collection<Note & { status: string; orgId: string; tags: string[] }>('items');
      await Promise.all(
        Array.from({ length: 12 }, (_, n) => items.insert({ id: `i${n}`, text: `t${n % 4}`, n, status: n % 3 ? 'draft' : 'published', orgId: `org${n % 4}`, tags: [`org${n % 4}`] })),
      );
      const byN = (a: Note, b: Note) => a.n - b.n;
      const ids = (r: { records: Note[] }) => r.records.map((x) => x.id);
      expect(ids(await items.query({ where: { orgId: { in: ['org1', 'org3'] } }, sort: byN }))).toEqual(['i1', 'i3', 'i5', 'i7', 'i9', 'i11']);
      expect(ids(await items.query({ where: { orgId: { in: ['org1', 'org3'] }, status: 'published' }, order: [['n', 'asc']] }))).toEqual(['i3', 'i9']);
      expect(ids(await items.query({ where: { text: { in: ['t0', 'nothing'] } }, order: [['id', 'asc']] }))).toEqual(['i0', 'i4', 'i8']);
      expect(ids(await items.query({ where: { n: { in: [2, 5] } }, sort: byN }))).toEqual(['i2', 'i5']);
      expect(ids(await items.query({ where: { id: { in: ['i7', 'i2', 'nope'] } }, sort: byN }))).toEqual(['i2', 'i7']);
      expect(ids(await items.query({ where: { id: 'i7' } }))).toEqual(['i7']);
      // an empty list matches nothing; a value inside an array is not one of the values
      expect((await items.query({ where: { orgId: { in: [] } } })).total).toBe(0);
      expect((await items.query({ where: { tags: { in: ['org1'] } } as never })).total).toBe(0);
      // the same set in another order (a reused sorted view) answers the same, and follows writes
      await items.update('i1', undefined, (r) => ({ ...r, orgId: 'org0' }));
      expect(ids(await items.query({ where: { orgId: { in: ['org3', 'org1'] } }, sort: byN }))).toEqual(['i3', 'i5', 'i7', 'i9', 'i11']);
      await cleanup();
    });

    test('query `order` sorts by fields in code-point order and pages, with or without `where`', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note & { day: string; tags?: string[] }>('notes');
      const days = ['2026-11-03', '2026-11-01', '2026-11-03', '2026-11-02', '2026-11-10'];
      await Promise.all(days.map((day, n) => notes.insert({ id: `n${n}`, text: n % 2 ? 'odd' : 'even', n, day, ...(n === 4 ? { tags: ['even'] } : {}) })));
      const all = await notes.query({ order: [['day', 'desc'], ['id', 'asc']], offset: 1, limit: 3 });
      expect(all.total).toBe(5);
      expect(all.records.map((r) => r.id)).toEqual(['n0', 'n2', 'n3']);
      const even = await notes.query({ where: { text: 'even' }, order: [['n', 'desc']] });
      expect(even.records.map((r) => r.id)).toEqual(['n4', 'n2', 'n0']);
      // a value inside an array is not equal to it
      expect((await notes.query({ where: { tags: 'even' } as never, order: [['id', 'asc']] })).total).toBe(0);
      await cleanup();
    });

    test('records come back exactly as written, key order included (code hashes stored JSON)', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note & { board: unknown }>('notes');
      const board = { zeta: 1, alpha: { y: [3, 1, 2], b: '乙' }, mid: 'x' };
      const created = await notes.insert({ id: 'k', text: 't', n: 1, board });
      const got = await notes.get('k');
      expect(JSON.stringify(got)).toBe(JSON.stringify(created));
      const updated = await notes.update('k', 1, (r) => ({ ...r, board: { z: 0, a: 1 } }));
      expect(JSON.stringify((await notes.list())[0])).toBe(JSON.stringify(updated));
      await cleanup();
    });

    test('a collection first used later (hyphenated name) works with no set-up', async () => {
      const { store, cleanup } = await make();
      const banks = store.collection<Note>('quiz-banks');
      await banks.insert({ id: 'q1', text: '防汛知识', n: 3 });
      expect(await banks.count()).toBe(1);
      expect(await store.collection<Note>('notes').count()).toBe(0);
      expect(() => store.collection('../etc')).toThrow();
      await cleanup();
    });

    test('a transaction returns what its function returns and keeps its writes', async () => {
      const { store, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      const out = await store.transaction(async () => {
        const a = await notes.insert({ id: 'a', text: 'x', n: 1 });
        await store.audit.append({ actor: 'u', action: 'note.create', target: { type: 'note', id: 'a' }, afterVersion: a.version });
        return a.id;
      });
      expect(out).toBe('a');
      expect(await notes.get('a')).toMatchObject({ version: 1 });
      expect((await store.audit.list({ targetId: 'a' })).map((e) => e.action)).toEqual(['note.create']);
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

    test('upsertMany inserts and replaces many records in one write; a change that throws or a repeated id writes nothing', async () => {
      const { store, reopen, cleanup } = await make();
      const notes = store.collection<Note>('notes');
      const old = await notes.insert({ id: 'n0', text: 'old', n: -1 });
      // a sorted view made before the batch must follow it
      expect((await notes.query({ order: [['n', 'desc']], limit: 1 })).records.map((r) => r.n)).toEqual([-1]);
      const written = await notes.upsertMany(Array.from({ length: 700 }, (_, i) => ({ id: `n${i}`, change: (cur: Note | undefined) => ({ id: `n${i}`, text: cur ? `${cur.text}+` : '新', n: i }) })));
      expect(written).toHaveLength(700);
      expect(written[0]).toMatchObject({ id: 'n0', text: 'old+', n: 0, version: 2, createdAt: old.createdAt });
      expect(written[1]).toMatchObject({ id: 'n1', text: '新', version: 1 });
      expect(await notes.count()).toBe(700);
      written[1]!.text = 'mutated';
      expect((await notes.get('n1'))!.text).toBe('新');
      const top = await notes.query({ order: [['n', 'desc']], limit: 2 });
      expect(top.records.map((r) => r.n)).toEqual([699, 698]);
      expect(top.total).toBe(700);

      const failing = [
        { id: 'n1', change: () => ({ id: 'n1', text: 'changed', n: 1 }) },
        { id: 'fresh', change: () => ({ id: 'fresh', text: 'x', n: 1 }) },
        { id: 'n2', change: (): Note => { throw new Error('bad row'); } },
      ];
      await expect(notes.upsertMany(failing)).rejects.toThrow('bad row');
      expect(await notes.get('n1')).toMatchObject({ text: '新', version: 1 });
      expect(await notes.get('fresh')).toBeUndefined();
      await expect(notes.upsertMany([{ id: 'n3', change: () => ({ id: 'n3', text: 'a', n: 3 }) }, { id: 'n3', change: () => ({ id: 'n3', text: 'b', n: 3 }) }])).rejects.toThrow(/twice/);
      expect(await notes.get('n3')).toMatchObject({ text: '新', version: 1 });
      expect(await notes.upsertMany([])).toEqual([]);
      if (reopen) {
        await store.close();
        const again = await reopen();
        expect(await again.collection<Note>('notes').count()).toBe(700);
        expect(await again.collection<Note>('notes').get('n0')).toMatchObject({ text: 'old+', version: 2 });
        expect(await again.collection<Note>('notes').get('n699')).toMatchObject({ text: '新', n: 699 });
        await again.close();
      }
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
