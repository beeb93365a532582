import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError, issuesFromZod } from '../errors.ts';
import type { PublishedItem } from '../publish/schema.ts';
import { renderJsonFeed, renderRss, type FeedFile } from '../feeds/service.ts';
import { PublishedSeriesSchema, type PublishedSeries } from './schema.ts';

const seriesDir = (dataDir: string) => join(dataDir, 'published', 'series');

/** Every series snapshot, validated (a bad file fails the build naming file and field), by title. */
export function readSeriesSnapshots({ dataDir }: { dataDir: string }): PublishedSeries[] {
  const dir = seriesDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const parsed = PublishedSeriesSchema.safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error, f));
      return parsed.data;
    })
    .sort((a, b) => a.title.localeCompare(b.title, 'zh-CN') || a.id.localeCompare(b.id));
}

type Member = Pick<PublishedItem, 'id' | 'url' | 'status'> & { seriesId?: string | undefined; seriesOrder?: number | undefined };

/** The listed items of a series in their order. */
export function seriesMembers<T extends Member>(items: T[], seriesId: string): T[] {
  return items
    .filter((i) => i.seriesId === seriesId && i.status !== 'retracted')
    .sort((a, b) => (a.seriesOrder ?? 0) - (b.seriesOrder ?? 0) || a.id.localeCompare(b.id));
}

/** Where an item stands in its series: the series, its place, the ones before and after. */
export function seriesPlace<T extends Member>(item: T, items: T[], series: PublishedSeries[]): { series: PublishedSeries; index: number; count: number; prev?: T | undefined; next?: T | undefined } | undefined {
  if (!item.seriesId) return undefined;
  const s = series.find((x) => x.id === item.seriesId);
  if (!s) return undefined;
  const members = seriesMembers(items, s.id);
  const index = members.findIndex((m) => m.id === item.id);
  if (index < 0) return undefined;
  return { series: s, index, count: members.length, prev: members[index - 1], next: members[index + 1] };
}

/**
 * Paths to re-render when items of a series changed: the series page, the series index, and the
 * pages of the other members (their "next in series" links move).
 */
export function seriesAffectedPaths({ changed, before, items, dataDir }: { changed: Member[]; before: Map<string, Member>; items: Member[]; dataDir: string }): string[] {
  const ids = new Set<string>();
  for (const item of changed) {
    if (item.seriesId) ids.add(item.seriesId);
    const old = before.get(item.id)?.seriesId;
    if (old) ids.add(old);
  }
  if (!ids.size) return [];
  const paths = new Set<string>(['/series/']);
  const all = readSeriesSnapshots({ dataDir });
  for (const id of ids) {
    const s = all.find((x) => x.id === id);
    if (s) paths.add(s.url);
    for (const m of items.filter((i) => i.seriesId === id)) paths.add(m.url);
  }
  return [...paths];
}

/** `/series/` and the page of every series with a listed item (for the sitemap). */
export function seriesSitePaths({ dataDir, listed }: { dataDir: string; listed: Member[] }): string[] {
  const shown = readSeriesSnapshots({ dataDir }).filter((s) => seriesMembers(listed, s.id).length > 0);
  return ['/series/', ...shown.map((s) => s.url)];
}

/** RSS and JSON Feed per series, items in series order: `/feeds/series/<slug>.xml|json`. */
export function renderSeriesFeeds({ dataDir, listed, siteUrl, siteTitle }: { dataDir: string; listed: PublishedItem[]; siteUrl: string; siteTitle: string }): FeedFile[] {
  return readSeriesSnapshots({ dataDir }).flatMap((s) => {
    const items = seriesMembers(listed, s.id);
    if (!items.length) return [];
    const args = { items, siteUrl, siteTitle, title: `系列：${s.title}`, pagePath: s.url, feedPath: `/feeds/series/${s.slug}` };
    return [
      { path: `${args.feedPath}.xml`, body: renderRss(args) },
      { path: `${args.feedPath}.json`, body: JSON.stringify(renderJsonFeed(args)) },
    ];
  });
}
