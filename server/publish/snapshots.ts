import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError, issuesFromZod } from '../errors.ts';
import { PublishedItemSchema, type PublishedItem } from './schema.ts';
import { publishedDate } from './columns.ts';

export function snapshotDir(dataDir: string): string {
  return join(dataDir, 'published', 'items');
}

/** Parses one snapshot; a bad file is a ValidationError naming the file and the field. */
export function parseSnapshot(raw: unknown, file: string): PublishedItem {
  const parsed = PublishedItemSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error, file));
  return parsed.data;
}

/** Every published snapshot, validated, newest first. */
export function readSnapshots({ dataDir }: { dataDir: string }): PublishedItem[] {
  const dir = snapshotDir(dataDir);
  if (!existsSync(dir)) return [];
  const items = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => parseSnapshot(JSON.parse(readFileSync(join(dir, f), 'utf8')), f));
  return sortNewestFirst(items);
}

export function sortNewestFirst<T extends Pick<PublishedItem, 'publishedAt' | 'updatedAt' | 'id'>>(items: T[]): T[] {
  return items.sort((a, b) => publishedDate(b).localeCompare(publishedDate(a)) || a.id.localeCompare(b.id));
}

/** Items readers should find in lists, feeds and exports (retracted ones keep only their page). */
export function isListed(item: PublishedItem): boolean {
  return item.status !== 'retracted';
}

/** A snapshot file that cannot be read or fails the schema: the site is built without it. */
export interface SnapshotFailure {
  file: string;
  itemId: string;
  reason: string;
}

interface CachedSnapshot {
  stamp: string;
  item?: PublishedItem;
  failure?: string;
}

/**
 * Reads the snapshot folder through `cache`: only files whose size or mtime changed since the last
 * call are read and validated again. A bad file is left out and reported, never fatal: one item's
 * snapshot must not keep the others off the site.
 */
function readThroughCache(dir: string, cache: Map<string, CachedSnapshot>, shape: (item: PublishedItem) => PublishedItem): { items: PublishedItem[]; failures: SnapshotFailure[] } {
  if (!existsSync(dir)) {
    cache.clear();
    return { items: [], failures: [] };
  }
  const seen = new Set<string>();
  const items: PublishedItem[] = [];
  const failures: SnapshotFailure[] = [];
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json')) continue;
    seen.add(file);
    let stamp: string;
    try {
      const stat = statSync(join(dir, file));
      stamp = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      continue; // removed while we looked
    }
    let hit = cache.get(file);
    if (!hit || hit.stamp !== stamp) {
      try {
        hit = { stamp, item: shape(parseSnapshot(JSON.parse(readFileSync(join(dir, file), 'utf8')), file)) };
      } catch (error) {
        hit = { stamp, failure: error instanceof Error ? error.message : String(error) };
      }
      cache.set(file, hit);
    }
    if (hit.item) items.push(hit.item);
    else failures.push({ file, itemId: file.replace(/\.json$/, ''), reason: hit.failure ?? '' });
  }
  for (const file of cache.keys()) if (!seen.has(file)) cache.delete(file);
  return { items: sortNewestFirst(items), failures };
}

const publisherCaches = new Map<string, Map<string, CachedSnapshot>>();

/**
 * The published snapshots for the publisher (main process), newest first, without `history`; kept
 * validated in memory, so a publish at 10k items reads and validates the changed files only.
 */
export function loadSnapshots({ dataDir }: { dataDir: string }): { items: PublishedItem[]; failures: SnapshotFailure[] } {
  const dir = snapshotDir(dataDir);
  const cache = publisherCaches.get(dir) ?? new Map<string, CachedSnapshot>();
  publisherCaches.set(dir, cache);
  return readThroughCache(dir, cache, ({ history: _history, ...item }) => item as PublishedItem);
}

/**
 * The published snapshots for the site builder, newest first, without `body` (pages render
 * `bodyHtml`) and `history`. A long-lived builder re-reads and re-validates only the files whose
 * size or mtime changed since its last build, so an incremental publish at 10k items parses one
 * file, not 10k. The cache sits on globalThis: each Astro build evaluates its modules anew.
 * Files that fail are left out (the publisher reports them).
 */
export function readSiteSnapshots({ dataDir }: { dataDir: string }): PublishedItem[] {
  const dir = snapshotDir(dataDir);
  const caches = ((globalThis as { __lianxinSnapshots?: Map<string, Map<string, CachedSnapshot>> }).__lianxinSnapshots ??= new Map());
  const cache = caches.get(dir) ?? new Map<string, CachedSnapshot>();
  caches.set(dir, cache);
  return readThroughCache(dir, cache, ({ body: _body, history: _history, ...page }) => page as PublishedItem).items;
}
