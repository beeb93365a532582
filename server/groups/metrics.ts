/** Agreement between predicted clusters and true labels, counted over pairs of items. */
export interface ClusterQuality {
  precision: number;
  recall: number;
  f1: number;
  /** Adjusted Rand index: 0 for chance, 1 for identical partitions. */
  ari: number;
  clusters: number;
  labels: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Pairwise precision / recall / F1 and ARI of `predicted` against `truth` (same length, any label values). */
export function measureClustering(predicted: ArrayLike<unknown>, truth: ArrayLike<unknown>): ClusterQuality {
  const n = predicted.length;
  if (truth.length !== n) throw new Error('predicted and truth differ in length');
  const cells = new Map<string, number>();
  const rows = new Map<unknown, number>();
  const cols = new Map<unknown, number>();
  for (let i = 0; i < n; i++) {
    const p = predicted[i];
    const t = truth[i];
    const key = `${String(p)}\u0000${String(t)}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(p, (rows.get(p) ?? 0) + 1);
    cols.set(t, (cols.get(t) ?? 0) + 1);
  }
  let together = 0;
  for (const c of cells.values()) together += pairs(c);
  let predictedPairs = 0;
  for (const c of rows.values()) predictedPairs += pairs(c);
  let truePairs = 0;
  for (const c of cols.values()) truePairs += pairs(c);
  const precision = predictedPairs ? together / predictedPairs : 1;
  const recall = truePairs ? together / truePairs : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const expected = (predictedPairs * truePairs) / pairs(n);
  const max = (predictedPairs + truePairs) / 2;
  const ari = max === expected ? 1 : (together - expected) / (max - expected);
  return { precision, recall, f1, ari, clusters: rows.size, labels: cols.size };
}

/**
 * Which half of a labelled set an item belongs to, by a hash (FNV-1a) of its GROUP label: a claim is never split
 * between halves, so a setting chosen on 'dev' is checked on groups it has not seen ('test').
 */
export function halfOf(label: string): 'dev' | 'test' {
  let h = 2166136261;
  for (const c of label) h = Math.imul(h ^ c.codePointAt(0)!, 16777619) >>> 0;
  return h % 2 === 0 ? 'dev' : 'test';
}
