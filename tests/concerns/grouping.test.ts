import { describe, expect, test } from 'vitest';
import { bestBaseline } from '../../server/groups/baseline.ts';
import { generateLabelledConcerns } from '../../server/groups/fixtures/labelled-concerns.ts';
import { clusterTexts, groupConcerns } from '../../server/groups/grouping.ts';
import { measureClustering } from '../../server/groups/metrics.ts';
import { tokenize } from '../../server/groups/tokenize.ts';

describe('tokenize', () => {
  test('splits Chinese without spaces into words and bigrams, dropping stop words and links', () => {
    const tokens = tokenize('我们小区的校车超载了！http://t.cn/abc');
    expect(tokens).toContain('w:校车');
    expect(tokens).toContain('b:超载');
    expect(tokens).not.toContain('w:我们');
    expect(tokens.some((t) => t.includes('http'))).toBe(false);
  });
});

describe('measureClustering', () => {
  test('scores identical partitions 1 and a single blob with zero ARI', () => {
    expect(measureClustering([1, 1, 2, 2], ['a', 'a', 'b', 'b'])).toMatchObject({ precision: 1, recall: 1, f1: 1, ari: 1 });
    const blob = measureClustering([0, 0, 0, 0], ['a', 'a', 'b', 'b']);
    expect(blob.recall).toBe(1);
    expect(blob.precision).toBeCloseTo(1 / 3);
    expect(blob.ari).toBeCloseTo(0);
  });
});

describe('groupConcerns on the synthetic labelled set', () => {
  // The synthetic set's labels are broad topics (校车安全 at five schools, under several complaints); the issue
  // defines a group as one specific claim, so the set is scored against its claims (a topic at one place) and
  // only checked for purity against its topics. Measured on seed 20260623: by claim P 0.78, R 0.69, F1 0.73,
  // ARI 0.73 (baseline at its best threshold F1 0.46); by topic P 0.97 (see `npm run bench -- grouping`).
  test('reaches the measured floor on claims (F1 ≥ 0.65, ARI ≥ 0.65, above the baseline) and never mixes topics (P ≥ 0.95)', () => {
    const data = generateLabelledConcerns({ count: 800, seed: 20260623 });
    const texts = data.map((d) => d.text);
    const { labels } = clusterTexts(texts);
    const byClaim = measureClustering(labels, data.map((d) => d.claim));
    expect(byClaim.f1).toBeGreaterThanOrEqual(0.65);
    expect(byClaim.ari).toBeGreaterThanOrEqual(0.65);
    expect(byClaim.f1).toBeGreaterThan(bestBaseline(texts, data.map((d) => d.claim)).f1);
    expect(measureClustering(labels, data.map((d) => d.label)).precision).toBeGreaterThanOrEqual(0.95);
  });

  test('keeps one-off chatter out of groups and keeps groups pure overall', () => {
    const data = generateLabelledConcerns({ count: 400, seed: 5 });
    const result = groupConcerns(data.map((d, i) => ({ id: String(i), text: d.text, category: d.category, district: d.district })));
    let majority = 0;
    let grouped = 0;
    let chatter = 0;
    for (const group of result.groups) {
      const labels = group.concernIds.map((id) => data[Number(id)]!.label);
      const counts = new Map<string, number>();
      for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
      const [top, topCount] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
      majority += topCount;
      grouped += group.size;
      if (!top.startsWith('single-')) chatter += labels.filter((l) => l.startsWith('single-')).length;
    }
    // One-offs sharing only a road name with a group (理发店在建军路附近) may slip in: 1 of the 400 does.
    expect(chatter / grouped).toBeLessThanOrEqual(0.01);
    // Purity: share of grouped concerns that carry their group's majority label.
    expect(majority / grouped).toBeGreaterThanOrEqual(0.9);
  });

  test('describes each group with a title from its words, distinct quotes, categories and districts', () => {
    const data = generateLabelledConcerns({ count: 400, seed: 5 });
    const { groups } = groupConcerns(data.map((d, i) => ({ id: String(i), text: d.text, category: d.category, district: d.district })));
    const bus = groups.find((g) => g.concernIds.every((id) => data[Number(id)]!.label === '校车安全') && g.size >= 5);
    expect(bus).toBeDefined();
    expect(bus!.title).toMatch(/校车/);
    expect(new Set(bus!.quotes).size).toBe(bus!.quotes.length);
    expect(bus!.quotes.length).toBeGreaterThan(0);
    expect(bus!.categories[0]!.name).toBe('教育');
    expect(bus!.districts.reduce((s, d) => s + d.count, 0)).toBe(bus!.size);
  });

  test('is deterministic: the same week groups the same way twice', () => {
    const data = generateLabelledConcerns({ count: 300, seed: 11 }).map((d, i) => ({ id: String(i), text: d.text }));
    expect(groupConcerns(data)).toEqual(groupConcerns(data));
  });
});
