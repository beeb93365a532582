import type { Config } from '../config.ts';
import { createPgCluster } from '../cluster/postgres.ts';
import type { Cluster } from '../cluster/types.ts';
import { createStore, postgresOf, type Store } from './index.ts';

/**
 * Opens the store the configuration names: PostgreSQL (with its cluster) when `databaseUrl` is
 * set, lowdb under the data dir otherwise. The one-writer lock only applies to lowdb.
 */
export function openConfiguredStore(config: Config, { lock = true }: { lock?: boolean } = {}): { store: Store; cluster?: Cluster; close: () => Promise<void> } {
  if (!config.databaseUrl) {
    const store = createStore({ adapter: 'lowdb', dir: config.dataDir, lock });
    return { store, close: () => store.close() };
  }
  const store = createStore({ adapter: 'postgres', url: config.databaseUrl, schema: config.databaseSchema });
  const cluster = createPgCluster(postgresOf(store)!.sql, { retryMs: config.leaderRetryMs });
  return {
    store,
    cluster,
    close: async () => {
      await cluster.close();
      await store.close();
    },
  };
}
