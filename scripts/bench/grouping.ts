import { readFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';
import { bestBaseline } from '../../server/groups/baseline.ts';
import { generateLabelledConcerns } from '../../server/groups/fixtures/labelled-concerns.ts';
import { extractFeatures } from '../../server/groups/features.ts';
import { clusterTexts, groupConcerns, type ClusterTextOptions } from '../../server/groups/grouping.ts';
import { DEFAULT_LINKAGE } from '../../server/groups/linkage.ts';
import { halfOf, measureClustering } from '../../server/groups/metrics.ts';
import { learnIdf } from '../../server/groups/vectorize.ts';
import { printTable } from './_format.ts';

const round = (v: number, digits = 3) => Number(v.toFixed(digits));
const quick = process.env.LIANXIN_BENCH_QUICK === '1';

interface Labelled {
  text: string;
  label: string;
}

function stormWeek(): Labelled[] {
  return JSON.parse(readFileSync(new URL('../../tests/fixtures/storm-week/posts.json', import.meta.url), 'utf8')) as Labelled[];
}

/** A second domain (老旧小区改造, 校园, 交通 in a made-up city), never used to choose a setting: tests/fixtures/city-week. */
function cityWeek(): Labelled[] {
  return JSON.parse(readFileSync(new URL('../../tests/fixtures/city-week/posts.json', import.meta.url), 'utf8')) as Labelled[];
}

/**
 * A third domain (a heat-wave and water-supply week, places no dictionary knows), BLIND: written before the changes
 * it measures, never used to choose a setting or read for errors until a round of changes was done:
 * tests/fixtures/heat-week.
 */
function heatWeek(): Labelled[] {
  return JSON.parse(readFileSync(new URL('../../tests/fixtures/heat-week/posts.json', import.meta.url), 'utf8')) as Labelled[];
}

const quality = (data: Labelled[], options: ClusterTextOptions = {}) => measureClustering(clusterTexts(data.map((d) => d.text), options).labels, data.map((d) => d.label));

/**
 * Grouping quality on the storm-week set (fine-grained claims, hand-written, tests/fixtures/storm-week), split
 * into dev and test halves by group, and on the old synthetic sets (broad topics), against the plain baseline
 * (character bigrams, TF-IDF cosine, single linkage at its best threshold per set); then time and peak memory of
 * the whole suggestion pipeline at 25,000 concerns.
 */
export async function run(): Promise<void> {
  const storm = stormWeek();
  const dev = storm.filter((p) => halfOf(p.label) === 'dev');
  const test = storm.filter((p) => halfOf(p.label) === 'test');
  // The threshold is chosen on the dev half only; the test half says whether that choice holds.
  const sweep = [0.14, 0.16, 0.18, 0.2, 0.22, 0.25, 0.3].map((threshold) => ({ threshold, f1: quality(dev, { threshold }).f1 }));
  const chosen = sweep.reduce((a, b) => (b.f1 > a.f1 ? b : a));
  console.log(`threshold sweep on the storm dev half: ${sweep.map((s) => `${s.threshold} → F1 ${round(s.f1)}`).join(', ')}; best ${chosen.threshold} (default ${DEFAULT_LINKAGE.threshold})`);
  // The synthetic sets are scored twice: against their topics (校车安全, broad, several claims each: a grouping
  // that follows the issue's definition splits them, so recall there is low by design) and against their claims
  // (a topic at one place, the storm set's unit).
  const synthetic = (seed: number, by: 'label' | 'claim') => generateLabelledConcerns({ count: 800, seed }).map((d) => ({ text: d.text, label: d[by] }));
  const sets: [string, Labelled[]][] = [
    ['storm week, dev half', dev],
    ['storm week, test half', test],
    ['storm week, all', storm],
    ['city week (check only)', cityWeek()],
    ['heat week (blind)', heatWeek()],
    ['synthetic 20260623, by claim', synthetic(20260623, 'claim')],
    ['synthetic 7, by claim', synthetic(7, 'claim')],
    ['synthetic 20260623, by topic', synthetic(20260623, 'label')],
    ['synthetic 7, by topic', synthetic(7, 'label')],
  ];
  const rows: Record<string, string | number>[] = [];
  for (const [name, data] of sets) {
    const q = quality(data);
    const b = bestBaseline(data.map((d) => d.text), data.map((d) => d.label));
    rows.push({
      set: name,
      posts: data.length,
      groups: new Set(data.map((d) => d.label)).size,
      'P': round(q.precision),
      'R': round(q.recall),
      'F1': round(q.f1),
      'ARI': round(q.ari),
      'baseline P': round(b.precision),
      'baseline R': round(b.recall),
      'baseline F1': round(b.f1),
      'baseline ARI': round(b.ari),
      'baseline t*': round(b.threshold, 2),
      'F1 ≥ baseline': q.f1 >= b.f1 ? 'yes' : name.endsWith('by topic') ? 'no (topic labels)' : 'NO',
    });
  }
  printTable(rows);
  if (quick) return;

  // 25,000 concerns (a year of Yancheng volume): features, IDF over all of them, clustering, titles and keywords.
  const year = generateLabelledConcerns({ count: 25_000, seed: 99 }).map((d, i) => ({ id: `c${i}`, text: d.text, category: d.category, district: d.district }));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const features = year.map((c) => extractFeatures(c.text));
  const idf = learnIdf(features);
  const result = groupConcerns(year, { idf, features });
  const seconds = (performance.now() - started) / 1000;
  // CPU time next to wall time: on a shared machine the wall clock also counts other processes' turns.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const maxRssMb = Math.round(resourceUsage().maxRSS / 1024);
  // On a shared machine the wall clock counts other processes' turns too; the CPU time is what the work costs.
  const target = maxRssMb > 1024 ? 'MISSED (memory)' : seconds <= 10 ? 'met' : cpuSeconds <= 10 ? 'met on CPU time (wall inflated by load)' : 'MISSED';
  console.log('');
  printTable([{ step: 'groupConcerns, 25,000 concerns (segment + IDF + cluster + describe)', seconds: round(seconds, 2), 'CPU s': round(cpuSeconds, 2), 'load avg': round((await import('node:os')).loadavg()[0]!, 1), groups: result.groups.length, ungrouped: result.ungrouped.length, 'peak RSS MB (process)': maxRssMb, 'target ≤10 s, ≤1 GB': target }]);
}
