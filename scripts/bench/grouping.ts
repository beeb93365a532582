import { resourceUsage } from 'node:process';
import { generateLabelledConcerns } from '../../server/groups/fixtures/labelled-concerns.ts';
import { clusterTexts, groupConcerns } from '../../server/groups/grouping.ts';
import { measureClustering } from '../../server/groups/metrics.ts';
import { printTable } from './_format.ts';

const round = (v: number, digits = 3) => Number(v.toFixed(digits));

/** Grouping quality on the synthetic labelled set, then time and peak memory at 25,000 concerns (a year of Yancheng volume). */
export async function run(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  // Quality: a held-out seed (parameters were tuned on seeds 1 and 2), a week-sized set and a year-sized one.
  for (const [name, count, seed] of [['labelled week (synthetic)', 800, 20260623], ['labelled week, other seed', 800, 7], ['labelled year (synthetic)', 25_000, 20260623]] as const) {
    const data = generateLabelledConcerns({ count, seed });
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const { labels } = clusterTexts(data.map((d) => d.text));
    const seconds = (performance.now() - started) / 1000;
    const q = measureClustering(labels, data.map((d) => d.label));
    rows.push({
      set: name,
      concerns: count,
      precision: round(q.precision),
      recall: round(q.recall),
      f1: round(q.f1),
      ari: round(q.ari),
      clusters: q.clusters,
      labels: q.labels,
      seconds: round(seconds, 2),
      'rss growth MB': Math.round((process.memoryUsage().rss - rssBefore) / 1e6),
    });
  }
  printTable(rows);

  // Full suggestion pipeline (cluster + titles + quotes) at 25k, timed on its own.
  const year = generateLabelledConcerns({ count: 25_000, seed: 99 }).map((d, i) => ({ id: `c${i}`, text: d.text, category: d.category, district: d.district }));
  const started = performance.now();
  const result = groupConcerns(year);
  const seconds = (performance.now() - started) / 1000;
  const maxRssMb = Math.round(resourceUsage().maxRSS / 1024);
  const target = seconds < 10 && maxRssMb < 1024 ? 'met' : 'MISSED';
  console.log('');
  printTable([{ step: 'groupConcerns, 25,000 concerns', seconds: round(seconds, 2), groups: result.groups.length, ungrouped: result.ungrouped.length, 'peak RSS MB (process)': maxRssMb, 'target <10 s, <1 GB': target }]);
}
