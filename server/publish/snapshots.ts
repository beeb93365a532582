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

interface CachedSnapshot {
  stamp: string;
  item: PublishedItem;
}

/**
 * The published snapshots for the site builder, newest first, without `body` (pages render
 * `bodyHtml`) and `history`. A long-lived builder re-reads and re-validates only the files whose
 * size or mtime changed since its last build, so an incremental publish at 10k items parses one
 * file, not 10k. The cache sits on globalThis: each Astro build evaluates its modules anew.
 */
export function readSiteSnapshots({ dataDir }: { dataDir: string }): PublishedItem[] {
  const dir = snapshotDir(dataDir);
  const caches = ((globalThis as { __lianxinSnapshots?: Map<string, Map<string, CachedSnapshot>> }).__lianxinSnapshots ??= new Map());
  const cache = caches.get(dir) ?? new Map<string, CachedSnapshot>();
  caches.set(dir, cache);
  if (!existsSync(dir)) {
    cache.clear();
    return [];
  }
  const seen = new Set<string>();
  const items: PublishedItem[] = [];
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json')) continue;
    seen.add(file);
    const stat = statSync(join(dir, file));
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    let hit = cache.get(file);
    if (!hit || hit.stamp !== stamp) {
      const { body: _body, history: _history, ...page } = parseSnapshot(JSON.parse(readFileSync(join(dir, file), 'utf8')), file);
      hit = { stamp, item: page as PublishedItem };
      cache.set(file, hit);
    }
    items.push(hit.item);
  }
  for (const file of cache.keys()) if (!seen.has(file)) cache.delete(file);
  return sortNewestFirst(items);
}
