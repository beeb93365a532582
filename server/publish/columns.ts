import type { PublishedItem } from './schema.ts';

/** The site's columns, in menu order; `path` is the first URL segment. */
export const columns = [
  { key: 'notices', name: '微公告', description: '权威信息第一时间发布' },
  { key: 'rumors', name: '谣言识破', description: '辨别网络谣言的攻略' },
  { key: 'videos', name: '微视频', description: '一分钟看懂身边事' },
  { key: 'live', name: '直播', description: '灾情与救援实时动态' },
] as const;

export type ColumnKey = (typeof columns)[number]['key'];

export const kindLabels: Record<string, string> = {
  notice: '微公告',
  'rumor-guide': '谣言识破',
  video: '微视频',
  live: '直播',
};

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

/** Date an item counts as published at (retracted items keep their original date). */
export function publishedDate(item: Pick<PublishedItem, 'publishedAt' | 'updatedAt'>): string {
  return item.publishedAt ?? item.updatedAt;
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
