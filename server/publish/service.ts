import { performance } from 'node:perf_hooks';
import type { PublishedItem } from './schema.ts';
import { isListed, loadSnapshots } from './snapshots.ts';
import { prunePages, recordBuild, type SiteFailure } from './status.ts';
import { PAGE_SIZE, columns, formatDate } from './columns.ts';
import { kindRegistry } from '../kinds/registry.ts';
import { ensureShareCard } from '../media/share-card.ts';
import { runAstroBuild } from './build-site.ts';
import { placeFile, placeMedia, placeShareCard, renderRobots, renderSitemap, writeSiteFile } from './site-files.ts';
import { join } from 'node:path';
import { indexSite } from './search-index.ts';
import { forEachLimit } from './limit.ts';
import { renderFeeds } from '../feeds/service.ts';
import { writeSlugRedirects } from '../editorial/redirects.ts';
import { writeExportFeeds } from '../exports/service.ts';
import { renderSeriesFeeds, seriesSitePaths } from '../series/site.ts';
import { withdrawRetractedPages } from './retraction-page.ts';

export interface SiteArgs {
  dataDir: string;
  outDir: string;
  siteUrl: string;
  siteTitle: string;
  clock?: () => Date;
}

export interface BuildOptions {
  /** Render share cards (cached by text under `<dataDir>/cache/cards`). Default true. */
  cards?: boolean;
  /** Build the search index (`/search-index/`). Default true. */
  search?: boolean;
  /** Called between phases, for progress bars. */
  onPhase?: (phase: string) => void;
}

export interface BuildReport {
  items: number;
  pages: number;
  /** Time per phase; search and cards overlap the Astro render, so they do not add up to the wall time. */
  ms: Record<string, number>;
  /** Wall time of the whole build. */
  wallMs: number;
  /** Items (or pages) left off the site, with the reason; the rest of the site is built. */
  failures: SiteFailure[];
}

/** Full build: Astro pages with the search index and share cards alongside, then feeds, sitemap and export packages. */
export async function buildSite(args: SiteArgs, options: BuildOptions = {}): Promise<BuildReport> {
  const { dataDir, outDir, siteUrl } = args;
  const ms: Record<string, number> = {};
  const started = performance.now();
  const phase = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
    options.onPhase?.(name);
    const t = performance.now();
    const result = await run();
    ms[name] = Math.round(performance.now() - t);
    return result;
  };
  // the builder reads the snapshots itself: it starts first, and this process reads them while it boots
  const building = phase('astro', () => runAstroBuild(args));
  building.catch(() => undefined); // awaited below; not unhandled while the snapshots are read
  const { items, failures: snapshotFailures } = await phase('read', () => loadSnapshots({ dataDir }));
  const listed = items.filter(isListed);
  // The search index (built here from the snapshots in memory, in bounded passes that yield to the event
  // loop) and the share cards (sharp, libuv threads) need only the snapshots, so they run while the builder
  // process renders the pages: on 2 cores the single-threaded Astro render no longer waits for them.
  const search = options.search !== false ? phase('search', () => indexSite({ outDir, items })) : undefined;
  const cards = options.cards !== false ? phase('cards', () => placeCards({ ...args, items })) : undefined;
  // a failure still lets the other work end before the error is thrown (no stray writes after it)
  const sideWork = Promise.allSettled([search, cards]);
  let built: Awaited<ReturnType<typeof runAstroBuild>>;
  try {
    built = await building;
  } catch (error) {
    await sideWork;
    throw error;
  }
  prunePages({ outDir, rendered: built.rendered, failed: built.failures.map((f) => f.path) });
  const pageFailures = withdrawRetractedPages({ outDir, items, failures: built.failures, siteTitle: args.siteTitle });
  const status = recordBuild({ dataDir, items, rendered: built.rendered, pageFailures, snapshotFailures, full: true, now: (args.clock ?? (() => new Date()))() });
  await phase('feeds', () => writeFeedsAndMaps({ ...args, items, listed }));
  await phase('media', () => items.forEach((item) => placeMedia({ dataDir, outDir, item })));
  try {
    await cards;
  } catch (error) {
    await sideWork;
    throw error;
  }
  if (options.cards !== false) await phase('exports', () => writeExportFeeds({ listed, dataDir, siteDir: outDir, siteUrl, now: (args.clock ?? (() => new Date()))() }));
  await search;
  return { items: items.length, pages: countPages(listed, items), ms, wallMs: Math.round(performance.now() - started), failures: status.failures };
}

/** Feeds, sitemap.xml, robots.txt and the files kinds add: plain files, rebuilt whole on every publish (cheap). */
export function writeFeedsAndMaps({ dataDir, outDir, siteUrl, siteTitle, items, listed }: SiteArgs & { items: PublishedItem[]; listed: PublishedItem[] }): void {
  for (const f of renderFeeds({ listed, siteUrl, siteTitle })) writeSiteFile(outDir, f.path, f.body);
  for (const f of renderSeriesFeeds({ dataDir, listed, siteUrl, siteTitle })) writeSiteFile(outDir, f.path, f.body);
  writeSiteFile(outDir, '/sitemap.xml', renderSitemap({ items, listed, siteUrl, extra: seriesSitePaths({ dataDir, listed }) }));
  writeSiteFile(outDir, '/robots.txt', renderRobots(siteUrl));
  for (const kind of kindRegistry.list) {
    if (!kind.siteFiles) continue;
    for (const f of kind.siteFiles(listed.filter((i) => i.kind === kind.kind), { dataDir, outDir })) {
      if (!/^\/[^\0]*$/.test(f.path) || f.path.split('/').includes('..')) throw new Error(`kind ${kind.kind}: site file path ${f.path} must be absolute inside the site`);
      writeSiteFile(outDir, f.path, f.body);
    }
  }
  // former addresses of items whose slug an admin changed after publishing
  writeSlugRedirects({ outDir, siteUrl, items });
}

async function placeCards({ dataDir, outDir, siteTitle, items, clock }: SiteArgs & { items: PublishedItem[] }): Promise<void> {
  const today = formatDate((clock ?? (() => new Date()))().toISOString());
  const fallback = await ensureShareCard({ dataDir, text: { title: `${siteTitle}:听民声 答民问 办民事 复民意`, column: '连心', org: siteTitle, date: today } });
  placeFile(fallback, join(outDir, 'cards', 'default.jpg'));
  // sharp renders off the main thread: two cards in flight keep both cores busy
  await forEachLimit(items, 2, (item) => placeShareCard({ dataDir, outDir, item }));
}

/** HTML pages Astro renders for these items (items, lists, tags, home, about, search, 404). */
export function countPages(listed: PublishedItem[], items: PublishedItem[]): number {
  const per = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
  const byCol = new Map<string, number>();
  const byTag = new Map<string, number>();
  for (const i of listed) {
    const col = i.url.split('/')[1]!;
    byCol.set(col, (byCol.get(col) ?? 0) + 1);
    for (const t of i.tags) byTag.set(t, (byTag.get(t) ?? 0) + 1);
  }
  let pages = items.length + 4;
  for (const c of columns) pages += per(byCol.get(c.key) ?? 0);
  for (const n of byTag.values()) pages += per(n);
  return pages;
}
