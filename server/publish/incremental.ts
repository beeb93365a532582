import { performance } from 'node:perf_hooks';
import type { PublishedItem } from './schema.ts';
import { columnOf, pagePath, PAGE_SIZE, tagPath } from './columns.ts';
import { isListed, loadSnapshots } from './snapshots.ts';
import { prunePages, recordBuild } from './status.ts';
import { runAstroBuild } from './build-site.ts';
import { placeMedia, placeShareCard } from './site-files.ts';
import { writeFeedsAndMaps, type SiteArgs } from './service.ts';
import { writeExportFeeds } from '../exports/service.ts';
import { seriesAffectedPaths } from '../series/site.ts';
import { takeDownRetracted, withdrawRetractedPages } from './retraction-page.ts';

/** Site paths to re-render when `changed` items were published, corrected or retracted. */
export function affectedPaths({ changed, before, listed }: { changed: PublishedItem[]; before: Map<string, PublishedItem>; listed: PublishedItem[] }): string[] {
  const paths = new Set<string>(['/']);
  const columnsHit = new Set<string>();
  const tagsHit = new Set<string>();
  for (const item of changed) {
    paths.add(item.url);
    const old = before.get(item.id);
    if (old && old.url !== item.url) paths.add(old.url);
    for (const it of [item, old]) {
      if (!it) continue;
      columnsHit.add(columnOf(it));
      it.tags.forEach((t) => tagsHit.add(t));
    }
  }
  // An item entering a list shifts every later page of it, so a hit list is re-rendered whole.
  const listPaths = (base: string, count: number) => {
    for (let n = 1; n <= Math.max(1, Math.ceil(count / PAGE_SIZE)) + 1; n++) paths.add(pagePath(base, n));
  };
  for (const col of columnsHit) listPaths(`/${col}/`, listed.filter((i) => columnOf(i) === col).length);
  for (const tag of tagsHit) listPaths(tagPath(tag), listed.filter((i) => i.tags.includes(tag)).length);
  return [...paths];
}

export interface UpdateReport {
  ids: string[];
  paths: number;
  ms: Record<string, number>;
  /** Pages rendered by the builder's warm renderer (no Astro build). */
  warm: boolean;
  /** Items (or pages) left off the site by this update, with the reason. */
  failures: Array<{ itemId?: string; path: string; reason: string }>;
}

/**
 * Incremental publish: renders only the changed items' pages and the lists that include them
 * (Astro with a path filter, outDir kept), then rewrites feeds, sitemap, cards and export lists.
 * `before` holds the snapshots of the last update, so moved tags and columns are refreshed too.
 */
export async function updateSite(args: SiteArgs & { ids: string[]; before: Map<string, PublishedItem> }): Promise<UpdateReport & { items: PublishedItem[] }> {
  const ms: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    ms[name] = Math.round(now - t);
    t = now;
  };
  const { items, failures: snapshotFailures } = loadSnapshots({ dataDir: args.dataDir });
  const listed = items.filter(isListed);
  const changed = items.filter((i) => args.ids.includes(i.id));
  // a newly retracted item's content comes down first: whatever fails below, it does not stay public
  takeDownRetracted({ outDir: args.outDir, items: changed.filter((i) => args.before.get(i.id)?.status !== 'retracted'), siteTitle: args.siteTitle });
  lap('read');
  const only = [...new Set([...affectedPaths({ changed, before: args.before, listed }), ...seriesAffectedPaths({ changed, before: args.before, items, dataDir: args.dataDir })])];
  for (const item of changed) {
    await placeShareCard({ dataDir: args.dataDir, outDir: args.outDir, item });
    placeMedia({ dataDir: args.dataDir, outDir: args.outDir, item });
  }
  lap('cards');
  const built = await runAstroBuild({ ...args, only });
  lap('astro');
  prunePages({ outDir: args.outDir, rendered: built.rendered, failed: built.failures.map((f) => f.path), only });
  const pageFailures = withdrawRetractedPages({ outDir: args.outDir, items, failures: built.failures, siteTitle: args.siteTitle });
  const status = recordBuild({ dataDir: args.dataDir, items, rendered: built.rendered, pageFailures, snapshotFailures, full: false, now: (args.clock ?? (() => new Date()))() });
  lap('status');
  writeFeedsAndMaps({ ...args, items, listed });
  lap('feeds');
  await writeExportFeeds({ listed, dataDir: args.dataDir, siteDir: args.outDir, siteUrl: args.siteUrl, now: (args.clock ?? (() => new Date()))() });
  lap('exports');
  const mine = new Set([...only, ...args.ids]);
  const failures = status.failures.filter((f) => mine.has(f.path) || (f.itemId && mine.has(f.itemId)));
  return { ids: args.ids, paths: only.length, ms, warm: built.warm, failures, items };
}
