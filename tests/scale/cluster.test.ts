import { describe, expect, test } from 'vitest';
import { createPgCluster } from '../../server/cluster/postgres.ts';
import { pgClient } from '../../server/store/sql.ts';
import { dropSchema, freshSchema, serviceAvailable, TEST_DATABASE_URL } from '../services.ts';

// Cluster coordination needs a real server (PGlite is one process): LISTEN/NOTIFY and advisory locks.
const enabled = serviceAvailable('database', TEST_DATABASE_URL);
const quiet = { error: () => {} };

async function until(fn: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!enabled)('cluster on PostgreSQL', () => {
  test('one leader at a time; when it goes, another process takes the role over', async () => {
    const schema = freshSchema('lead');
    const clients = [pgClient(TEST_DATABASE_URL!, { schema }), pgClient(TEST_DATABASE_URL!, { schema })];
    const clusters = clients.map((sql) => createPgCluster(sql, { retryMs: 100, log: quiet }));
    const running = new Set<number>();
    let starts = 0;
    clusters.forEach((cluster, i) =>
      cluster.lead('site-builder', () => {
        starts++;
        running.add(i);
        return () => running.delete(i);
      }),
    );
    try {
      await until(() => running.size === 1);
      await new Promise((r) => setTimeout(r, 500));
      expect(running.size).toBe(1);
      const first = [...running][0]!;
      await clusters[first]!.close();
      expect(running.has(first)).toBe(false);
      await until(() => running.size === 1);
      expect([...running]).toEqual([1 - first]);
      expect(starts).toBe(2);
    } finally {
      await Promise.all(clusters.map((c) => c.close()));
      await Promise.all(clients.map((c) => c.close()));
      await dropSchema(TEST_DATABASE_URL!, schema);
    }
  });

  test('exclusive work runs in one process; serialized work waits its turn', async () => {
    const schema = freshSchema('excl');
    const clients = [pgClient(TEST_DATABASE_URL!, { schema }), pgClient(TEST_DATABASE_URL!, { schema })];
    const [a, b] = clients.map((sql) => createPgCluster(sql, { log: quiet }));
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const long = a!.exclusive('weekly-digest', async () => {
        await gate;
        return 'ran on a';
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(await b!.exclusive('weekly-digest', async () => 'ran on b')).toBeUndefined();
      const order: string[] = [];
      const waiting = b!.serialized('weekly-digest', async () => void order.push('b'));
      await new Promise((r) => setTimeout(r, 200));
      order.push('a done');
      release();
      expect(await long).toBe('ran on a');
      await waiting;
      expect(order).toEqual(['a done', 'b']);
      expect(await b!.exclusive('weekly-digest', async () => 'ran on b')).toBe('ran on b');
    } finally {
      await a!.close();
      await b!.close();
      await Promise.all(clients.map((c) => c.close()));
      await dropSchema(TEST_DATABASE_URL!, schema);
    }
  });

  test('a message reaches every subscriber of its schema (the sender too) and no other schema', async () => {
    const schema = freshSchema('msg');
    const other = freshSchema('msg_other');
    const clients = [pgClient(TEST_DATABASE_URL!, { schema }), pgClient(TEST_DATABASE_URL!, { schema }), pgClient(TEST_DATABASE_URL!, { schema: other })];
    const clusters = clients.map((sql) => createPgCluster(sql, { log: quiet }));
    const got: Array<[number, unknown]> = [];
    try {
      await Promise.all(clusters.map((c, i) => c.subscribe('site-changes', (payload) => got.push([i, payload]))));
      await clusters[0]!.publish('site-changes', { ids: ['it_1'], note: '暴雨 🌧️' });
      await until(() => got.length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(got.sort((x, y) => x[0] - y[0])).toEqual([
        [0, { ids: ['it_1'], note: '暴雨 🌧️' }],
        [1, { ids: ['it_1'], note: '暴雨 🌧️' }],
      ]);
    } finally {
      await Promise.all(clusters.map((c) => c.close()));
      await Promise.all(clients.map((c) => c.close()));
      await dropSchema(TEST_DATABASE_URL!, schema);
      await dropSchema(TEST_DATABASE_URL!, other);
    }
  });
});
