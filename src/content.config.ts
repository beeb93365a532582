import { defineCollection } from 'astro:content';
import { readSnapshots } from '../server/publish/snapshots.ts';

/**
 * The published snapshot (`<dataDir>/published/items/*.json`), validated with the server's zod
 * schema by readSnapshots; a bad snapshot fails the build with the file and field named.
 */
const items = defineCollection({
  loader: {
    name: 'lianxin-published',
    async load({ store, logger }) {
      const dataDir = process.env.LIANXIN_DATA ?? 'content';
      const snapshots = readSnapshots({ dataDir });
      store.clear();
      for (const item of snapshots) store.set({ id: item.id, data: item as unknown as Record<string, unknown> });
      logger.info(`${snapshots.length} published items from ${dataDir}`);
    },
  },
});

export const collections = { items };
