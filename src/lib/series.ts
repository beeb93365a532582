import type { PublishedSeries } from '../../server/series/schema.ts';
import { readSeriesSnapshots } from '../../server/series/site.ts';
import { siteDataDir } from './site.ts';

let cached: PublishedSeries[] | undefined;

/** The series snapshots, read once per build (every item page asks for its series). */
export function loadSeries(): PublishedSeries[] {
  cached ??= readSeriesSnapshots({ dataDir: siteDataDir() });
  return cached;
}
