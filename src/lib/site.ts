import type { PublishedItem } from '../../server/publish/schema.ts';
import { columnOf, type ColumnKey } from '../../server/publish/columns.ts';
import { isListed, readSiteSnapshots } from '../../server/publish/snapshots.ts';
import { runningLive } from '../../server/kinds/live/live-info.ts';

export interface SiteData {
  items: PublishedItem[];
  listed: PublishedItem[];
  byColumn: Map<ColumnKey, PublishedItem[]>;
  byTag: Map<string, PublishedItem[]>;
  live: PublishedItem | undefined;
  /** In an incremental render only the listed site paths are rendered; undefined renders all. */
  wants: (path: string) => boolean;
}

/** The data dir the build reads (set by runAstroBuild; media manifests live under it). */
export const siteDataDir = (): string => process.env.LIANXIN_DATA ?? 'content';

/**
 * Which render this is: the builder bumps it before every build or warm re-render (a warm renderer
 * keeps these modules loaded between publishes, so a module-level cache alone would go stale).
 */
export const renderGeneration = (): number => (globalThis as { __lianxinRender?: number }).__lianxinRender ?? 0;

let cached: { generation: number; site: Promise<SiteData> } | undefined;

/** The collection read once per render and indexed; every getStaticPaths shares it. */
export function loadSite(): Promise<SiteData> {
  if (cached?.generation !== renderGeneration()) cached = { generation: renderGeneration(), site: readSite() };
  return cached.site;
}

function readSite(): Promise<SiteData> {
  // Read from disk, not through an Astro content collection: a collection is emitted into the bundle
  // as one module that Vite parses on every build, and synced whole on every publish.
  const items = readSiteSnapshots({ dataDir: siteDataDir() });
  const listed = items.filter(isListed);
  const byColumn = new Map<ColumnKey, PublishedItem[]>();
  const byTag = new Map<string, PublishedItem[]>();
  for (const item of listed) {
    const col = columnOf(item);
    const inColumn = byColumn.get(col);
    if (inColumn) inColumn.push(item);
    else byColumn.set(col, [item]);
    for (const tag of item.tags) {
      const list = byTag.get(tag);
      if (list) list.push(item);
      else byTag.set(tag, [item]);
    }
  }
  // The home banner shows while a live column or exchange is running.
  const live = runningLive(listed as Array<PublishedItem & { live?: { state?: string } }>);
  const only = process.env.LIANXIN_ONLY_PATHS ? new Set<string>(JSON.parse(process.env.LIANXIN_ONLY_PATHS) as string[]) : undefined;
  return Promise.resolve({ items, listed, byColumn, byTag, live, wants: only ? (p) => only.has(p) : () => true });
}
