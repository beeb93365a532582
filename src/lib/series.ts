import type { PublishedSeries } from '../../server/series/schema.ts';
import { readSeriesSnapshots } from '../../server/series/site.ts';
import { renderGeneration, siteDataDir } from './site.ts';

let cached: { generation: number; series: PublishedSeries[] } | undefined;

/** The series snapshots, read once per render (every item page asks for its series). */
export function loadSeries(): PublishedSeries[] {
  if (cached?.generation !== renderGeneration()) cached = { generation: renderGeneration(), series: readSeriesSnapshots({ dataDir: siteDataDir() }) };
  return cached.series;
}
