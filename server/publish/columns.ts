import type { PublishedItem } from './schema.ts';
import { kindRegistry } from '../kinds/registry.ts';

export { publishedDate } from './text.ts';

/**
 * Columns the site shows before a kind fills them: the live column (直播) is in the menu and on the
 * home page already; the live kind takes it over when it is registered.
 */
const RESERVED = [{ key: 'live', name: '直播', description: '灾情与救援实时动态' }];

/** The site's columns, in menu order (one per registered kind); `key` is the first URL segment. */
export const columns: readonly { key: string; name: string; description: string }[] = [...kindRegistry.columns, ...RESERVED.filter((r) => !kindRegistry.columns.some((c) => c.key === r.key))];

export type ColumnKey = string;

/** Column of a published item, read from its site path `/<column>/<slug>/`. */
export function columnOf(item: Pick<PublishedItem, 'url'>): ColumnKey {
  const key = item.url.split('/')[1];
  const column = columns.find((c) => c.key === key);
  if (!column) throw new Error(`unknown column in ${item.url}`);
  return column.key;
}

export function columnName(key: ColumnKey): string {
  return columns.find((c) => c.key === key)?.name ?? key;
}


/** Encoded path of a tag page; tags are Chinese, so the path segment is percent-encoded. */
export function tagPath(tag: string): string {
  return `/tags/${encodeURIComponent(tag)}/`;
}

/** Site path of page `n` (1-based) of a list at `base` (`/notices/`). */
export function pagePath(base: string, n: number): string {
  return n <= 1 ? base : `${base}page/${n}/`;
}

export const PAGE_SIZE = 20;

/** `2024-06-23` in China time, for readers. */
export function formatDate(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}
