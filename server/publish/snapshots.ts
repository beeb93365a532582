import { readdirSync, readFileSync, existsSync } from 'node:fs';
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
