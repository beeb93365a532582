import { lshCandidates } from './minhash.ts';
import { dot, fromMap, topFeatures, type SparseVector } from './vectors.ts';

export interface ClusterOptions {
  /** Two clusters merge when the cosine of their centroids reaches this. */
  threshold: number;
  /** Features per item fed to MinHash (its heaviest ones). */
  signatureFeatures: number;
  bands: number;
  rows: number;
  maxBucketPairs: number;
  /** Merge passes over cluster centroids after the first pass over items. */
  passes: number;
  /** Threshold for the centroid passes: fragments of one subject share its core words, so it can be lower. */
  centroidThreshold: number;
  /** Centroid passes compare every pair of clusters when there are at most this many (exact, and cheap enough). */
  exactPairsBelow: number;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  threshold: 0.3,
  signatureFeatures: 8,
  bands: 24,
  rows: 2,
  maxBucketPairs: 6,
  passes: 2,
  centroidThreshold: 0.2,
  exactPairsBelow: 2000,
};

const BINS = 1024;

/**
 * Agglomerative clustering by centroid cosine over LSH candidate pairs: candidate edges are visited from the most
 * to the least similar, and the two clusters they join merge only if their centroids (sums of member vectors) are
 * still similar enough — centroid linkage, which stops the chaining that single linkage suffers from. Later passes
 * repeat the same over cluster centroids to join fragments the first pass did not pair up.
 * Returns a cluster label per vector (labels are representative member indexes).
 */
export function clusterVectors(vectors: readonly SparseVector[], options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS): Int32Array {
  let labels = Int32Array.from(vectors.keys());
  let sums: Map<number, number>[] = vectors.map((v) => toMap(v));
  let units = vectors.map((_, i) => i);
  for (let pass = 0; pass <= options.passes; pass++) {
    const unitVectors = pass === 0 ? units.map((i) => vectors[i]!) : sums.map((s) => fromMap(s));
    const exact = pass > 0 && unitVectors.length <= options.exactPairsBelow;
    const merged = mergeUnits(unitVectors, sums, pass === 0 ? options : { ...options, threshold: options.centroidThreshold }, exact);
    if (merged.count === unitVectors.length) break;
    // Relabel items through their unit's new root, then collapse units to the surviving roots.
    const rootOfUnit = merged.roots;
    const nextIndex = new Map<number, number>();
    const nextSums: Map<number, number>[] = [];
    const nextUnits: number[] = [];
    rootOfUnit.forEach((root) => {
      if (!nextIndex.has(root)) {
        nextIndex.set(root, nextSums.length);
        nextSums.push(merged.sums[root]!);
        nextUnits.push(units[root]!);
      }
    });
    const unitOfItem = new Int32Array(vectors.length);
    const previous = new Map<number, number>();
    units.forEach((item, u) => previous.set(item, u));
    for (let i = 0; i < vectors.length; i++) {
      const u = previous.get(labels[i]!)!;
      unitOfItem[i] = nextIndex.get(rootOfUnit[u]!)!;
    }
    units = nextUnits;
    sums = nextSums;
    labels = Int32Array.from(unitOfItem, (u) => units[u]!);
  }
  return labels;
}

function toMap(v: SparseVector): Map<number, number> {
  const map = new Map<number, number>();
  v.ids.forEach((id, i) => map.set(id, v.weights[i]!));
  return map;
}

function mergeUnits(unitVectors: SparseVector[], sums: Map<number, number>[], options: ClusterOptions, exact: boolean) {
  const n = unitVectors.length;
  const sets = unitVectors.map((v) => topFeatures(v, options.signatureFeatures));
  // Bucket edges by quantised cosine: a counting sort, far cheaper than sorting millions of pairs.
  const bins: number[][] = Array.from({ length: BINS }, () => []);
  const floor = options.threshold * 0.8;
  const onPair = (a: number, b: number) => {
    const cos = dot(unitVectors[a]!, unitVectors[b]!);
    if (cos >= floor) bins[Math.min(BINS - 1, Math.floor(cos * BINS))]!.push(a, b);
  };
  if (exact) for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) onPair(a, b);
  else lshCandidates(sets, options, onPair);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const norms = sums.map((s) => norm2(s));
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  let count = n;
  for (let bin = BINS - 1; bin >= 0; bin--) {
    const edges = bins[bin]!;
    for (let e = 0; e < edges.length; e += 2) {
      const ra = find(edges[e]!);
      const rb = find(edges[e + 1]!);
      if (ra === rb) continue;
      const cos = mapDot(sums[ra]!, sums[rb]!) / Math.sqrt(norms[ra]! * norms[rb]!);
      if (cos < options.threshold) continue;
      const [big, small] = sums[ra]!.size >= sums[rb]!.size ? [ra, rb] : [rb, ra];
      const target = sums[big]!;
      let nrm = norms[big]!;
      for (const [k, v] of sums[small]!) {
        const old = target.get(k) ?? 0;
        target.set(k, old + v);
        nrm += 2 * old * v + v * v;
      }
      norms[big] = nrm;
      sums[small] = new Map();
      parent[small] = big;
      count--;
    }
  }
  const roots = Int32Array.from({ length: n }, (_, i) => find(i));
  return { roots, sums, count };
}

function norm2(map: Map<number, number>): number {
  let s = 0;
  for (const v of map.values()) s += v * v;
  return s;
}

function mapDot(a: Map<number, number>, b: Map<number, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, v] of small) {
    const w = big.get(k);
    if (w !== undefined) s += v * w;
  }
  return s;
}
