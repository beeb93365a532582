import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../context.ts';
import type { PublishedItem } from './schema.ts';
import { loadSnapshots, snapshotDir } from './snapshots.ts';
import { buildSite } from './service.ts';
import { updateSite, type UpdateReport } from './incremental.ts';
import { searchIndexStale, updateSearchIndex } from './search-index.ts';

/** Where the server keeps the built site unless told otherwise. */
export const defaultSiteDir = (dataDir: string) => join(dataDir, 'site');

export interface Publisher {
  /** Resolves when every queued update (and the search index update after it) is done. */
  idle(): Promise<void>;
  /** Search index updates so far: documents changed by them, and whether one caught up at start. */
  searchStats(): { updates: number; changed: number; caughtUp: boolean };
  /** Queues an update for these item ids (what the event listeners call). */
  schedule(ids: string[]): Promise<UpdateReport>;
  stop(): void;
  /** After stop(): resolves when the update under way (pages, then search index) has ended, or after `ms`. */
  settled(ms?: number): Promise<void>;
}

/**
 * Keeps the site current: `item.published` / `item.corrected` / `item.retracted` queue an
 * incremental render of the changed pages; events that arrive while one runs are coalesced into
 * the next. The search index is updated right after the pages are live, for the changed items only.
 */
export function startPublisher({ deps, siteDir = defaultSiteDir(deps.config.dataDir), debounceMs = 100, log = console, listen = true }: { deps: Deps; siteDir?: string; debounceMs?: number; log?: Pick<Console, 'info' | 'error'>; /** false: only `schedule` triggers updates (the cluster leader feeds it, series changes included) */ listen?: boolean }): Publisher {
  const { dataDir, siteUrl, siteTitle } = deps.config;
  const args = { dataDir, outDir: siteDir, siteUrl, siteTitle, clock: deps.clock };
  let before = new Map<string, PublishedItem>();
  let pending = new Set<string>();
  let waiters: Array<{ resolve: (r: UpdateReport) => void; reject: (e: unknown) => void }> = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const search = { updates: 0, changed: 0, caughtUp: false };
  /** ids a failed search update left out (all: every item), tried again with the next update */
  let missed: Set<string> | 'all' | undefined;
  // after the pages: only the changed items' postings and records (a failure leaves the pages live)
  const updateSearch = async (items: PublishedItem[], ids?: string[]) => {
    const want = ids && missed !== 'all' ? [...new Set([...ids, ...(missed ?? [])])] : undefined;
    try {
      const done = await updateSearchIndex({ outDir: siteDir, items, ...(want ? { ids: want } : {}) });
      missed = undefined;
      search.updates++;
      search.changed += done.changed;
    } catch (error) {
      missed = want ? new Set(want) : 'all';
      log.error('搜索索引更新失败', error);
    }
  };

  // First start (or a lost site dir): one full build; its snapshots are the baseline.
  chain = chain.then(async () => {
    const { items } = loadSnapshots({ dataDir });
    before = new Map(items.map((i) => [i.id, i]));
    if (!existsSync(join(siteDir, 'index.html'))) {
      const report = await buildSite(args);
      log.info(`站点已构建：${report.pages} 页，用时 ${report.wallMs} ms`);
    } else if (searchIndexStale({ snapshotsDir: snapshotDir(dataDir), outDir: siteDir })) {
      // publishes the last run did not get to index (it stopped between a page and its index update):
      // every item is compared with the index, and the ones that differ are updated
      search.caughtUp = true;
      await updateSearch(items);
    }
  }).catch((error) => log.error('站点构建失败', error));

  const flush = () => {
    timer = undefined;
    const ids = [...pending];
    const mine = waiters;
    pending = new Set();
    waiters = [];
    chain = chain.then(async () => {
      try {
        const { items, ...report } = await updateSite({ ...args, ids, before });
        before = new Map(items.map((i) => [i.id, i]));
        mine.forEach((w) => w.resolve(report));
        if (report.failures.length) log.error(`站点更新：${report.failures.length} 项未能上线`, report.failures);
        await updateSearch(items, ids);
      } catch (error) {
        log.error('站点更新失败', error);
        mine.forEach((w) => w.reject(error));
      }
    });
  };

  const schedule = (ids: string[]) =>
    new Promise<UpdateReport>((resolve, reject) => {
      ids.forEach((id) => pending.add(id));
      waiters.push({ resolve, reject });
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, debounceMs);
    });

  const offs = (listen ? (['item.published', 'item.corrected', 'item.retracted'] as const) : []).map((name) =>
    deps.events.on(name, ({ item }) => {
      // Fire and forget: the API answers at once; the page follows within seconds.
      schedule([item.id]).catch(() => undefined);
    }),
  );
  // a reordered or renamed series re-renders its published members (and with them its pages)
  if (listen) offs.push(deps.events.on('series.changed', ({ itemIds }) => void (itemIds.length && schedule(itemIds).catch(() => undefined))));

  return {
    schedule,
    searchStats: () => ({ ...search }),
    async idle() {
      while (timer || pending.size) await new Promise((r) => setTimeout(r, debounceMs));
      await chain;
    },
    stop() {
      offs.forEach((off) => off());
      if (timer) clearTimeout(timer);
    },
    async settled(ms = 10_000) {
      // a search index update yields between term files: it must not go on writing after the server closed
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([chain.catch(() => undefined), new Promise((r) => (timeout = setTimeout(r, ms)))]);
      clearTimeout(timeout);
    },
  };
}
