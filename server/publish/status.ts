import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PublishedItem } from './schema.ts';
import type { PageFailure } from './build-site.ts';
import type { SnapshotFailure } from './snapshots.ts';
import { decodePath, pageFile } from './build-site.ts';
import { writeSiteFile } from './site-files.ts';

/** One thing the last builds could not put on the site. */
export interface SiteFailure {
  /** The item, when the failure is one item's page or snapshot. */
  itemId?: string;
  /** Site path of the page, or the snapshot file. */
  path: string;
  reason: string;
  at: string;
}

export interface SiteStatus {
  updatedAt: string;
  failures: SiteFailure[];
}

const statusFile = (dataDir: string) => join(dataDir, 'published', 'site-status.json');

/** What the workbench shows: the failures of the last builds (empty when the whole site is up). */
export function readSiteStatus(dataDir: string): SiteStatus {
  try {
    return JSON.parse(readFileSync(statusFile(dataDir), 'utf8')) as SiteStatus;
  } catch {
    return { updatedAt: '', failures: [] };
  }
}

/** The failures the last builds recorded for one item (the workbench shows them on the item's page). */
export function siteFailures(dataDir: string, itemId: string): SiteFailure[] {
  return readSiteStatus(dataDir).failures.filter((f) => f.itemId === itemId);
}

/**
 * Records a build's outcome: page failures (mapped to their item by URL) and bad snapshots replace
 * what the last status said about those paths; a full build replaces it all. Pages written since are cleared.
 */
export function recordBuild({ dataDir, items, rendered, pageFailures, snapshotFailures, full, now }: { dataDir: string; items: PublishedItem[]; rendered: string[]; pageFailures: PageFailure[]; snapshotFailures: SnapshotFailure[]; full: boolean; now: Date }): SiteStatus {
  const at = now.toISOString();
  const byUrl = new Map(items.map((i) => [i.url, i.id]));
  const touched = new Set([...rendered, ...pageFailures.map((f) => f.path)]);
  const kept = full ? [] : readSiteStatus(dataDir).failures.filter((f) => !f.path.startsWith('published/') && !touched.has(f.path));
  const failures: SiteFailure[] = [
    ...kept,
    ...pageFailures.map((f) => ({ ...(byUrl.has(f.path) ? { itemId: byUrl.get(f.path) } : {}), path: f.path, reason: f.reason, at })),
    ...snapshotFailures.map((f) => ({ itemId: f.itemId, path: `published/items/${f.file}`, reason: f.reason, at })),
  ];
  const status = { updatedAt: at, failures };
  writeSiteFile(dirname(statusFile(dataDir)), '/site-status.json', JSON.stringify(status));
  return status;
}

interface PageList {
  pages: string[];
}
const pageListFile = (outDir: string) => join(outDir, '.lianxin-pages.json');

/**
 * The output folder is never emptied: pages are replaced in place. This keeps the list of pages the
 * builder wrote and removes the ones that disappeared — after a full build every page not written
 * again; after an incremental one, the affected paths that no longer exist (an old URL, a list page
 * past the end). Failed pages keep their last good file (a retracted item's is then replaced: retraction-page.ts).
 */
export function prunePages({ outDir, rendered, failed, only }: { outDir: string; rendered: string[]; failed: string[]; only?: string[] }): string[] {
  let before: string[] = [];
  try {
    before = (JSON.parse(readFileSync(pageListFile(outDir), 'utf8')) as PageList).pages;
  } catch {
    // first build into this folder (or one from before the list): nothing known to remove
  }
  const keep = new Set([...rendered, ...failed]);
  const listed = new Set(before);
  const candidates = only ? [...new Set(only.map(decodePath))].filter((p) => listed.has(p)) : before;
  const gone = candidates.filter((p) => !keep.has(p));
  for (const path of gone) {
    const file = pageFile(outDir, path);
    if (existsSync(file)) rmSync(file, { force: true });
  }
  const goneSet = new Set(gone);
  const pages = only ? [...new Set([...before.filter((p) => !goneSet.has(p)), ...rendered])] : [...new Set([...rendered, ...failed.filter((p) => before.includes(p))])];
  writeSiteFile(outDir, '/.lianxin-pages.json', JSON.stringify({ pages }));
  return gone;
}
