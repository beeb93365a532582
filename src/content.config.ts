import { defineCollection } from 'astro:content';
import { readSnapshots } from '../server/publish/snapshots.ts';

/** Fields list, tag and home pages show; the rest is only needed on the item's own page. */
const LIST_FIELDS = ['id', 'kind', 'slug', 'title', 'summary', 'tags', 'orgId', 'orgName', 'url', 'status', 'version', 'createdAt', 'updatedAt', 'publishedAt', 'live'] as const;

/**
 * The published snapshot (`<dataDir>/published/items/*.json`), validated with the server's zod
 * schema by readSnapshots; a bad snapshot fails the build with the file and field named.
 *
 * Astro bundles the whole store into the build as one module, so entries keep only what pages
 * render: never the tiptap JSON (pages use bodyHtml) or the review history, and in an incremental
 * render (LIANXIN_ONLY_PATHS) only the re-rendered items keep their full content.
 */
const items = defineCollection({
  loader: {
    name: 'lianxin-published',
    async load({ store, logger }) {
      const dataDir = process.env.LIANXIN_DATA ?? 'content';
      const only = process.env.LIANXIN_ONLY_PATHS ? new Set<string>(JSON.parse(process.env.LIANXIN_ONLY_PATHS) as string[]) : undefined;
      const snapshots = readSnapshots({ dataDir });
      store.clear();
      for (const { body: _body, history: _history, ...page } of snapshots) {
        const data: Record<string, unknown> = !only || only.has(page.url) ? page : Object.fromEntries(LIST_FIELDS.map((k) => [k, (page as Record<string, unknown>)[k]]));
        store.set({ id: page.id, data });
      }
      logger.info(`${snapshots.length} published items from ${dataDir}`);
    },
  },
});

export const collections = { items };
