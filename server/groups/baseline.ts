import { charBigrams } from './text.ts';
import { similarityGraph } from './linkage.ts';
import { measureClustering, type ClusterQuality } from './metrics.ts';
import type { SparseVector } from './vectors.ts';

/**
 * The plain baseline the benchmark compares against: character bigrams of the normalised text, TF-IDF (smoothed
 * idf over the batch), cosine, single linkage (connected components of pairs at or above the threshold).
 */
export function bigramVectors(texts: readonly string[]): SparseVector[] {
  const index = new Map<string, number>();
  const df: number[] = [];
  const docs = texts.map((t) => {
    const ids: number[] = [];
    for (const g of charBigrams(t)) {
      let id = index.get(g);
      if (id === undefined) {
        id = df.length;
        index.set(g, id);
        df.push(0);
      }
      df[id]!++;
      ids.push(id);
    }
    return ids.sort((a, b) => a - b);
  });
  const n = texts.length;
  return docs.map((ids) => {
    const w = ids.map((id) => Math.log((1 + n) / (1 + df[id]!)) + 1);
    const norm = Math.sqrt(w.reduce((s, x) => s + x * x, 0)) || 1;
    return { ids: Uint32Array.from(ids), weights: Float64Array.from(w, (x) => x / norm) };
  });
}

/** Single-linkage labels at `threshold` over a precomputed graph. */
export function singleLinkage(n: number, graph: Map<number, number>[], threshold: number): Int32Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  graph.forEach((edges, a) => {
    for (const [b, s] of edges) if (s >= threshold) {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  });
  return Int32Array.from({ length: n }, (_, i) => find(i));
}

/** Baseline graph (every pair with cosine ≥ 0.05). */
export function bigramGraph(texts: readonly string[]): Map<number, number>[] {
  return similarityGraph(bigramVectors(texts), { minEdge: 0.05, exactBelow: Infinity, neighbours: Infinity, maxPostingShare: 1 });
}

/** The baseline at ITS best threshold for a labelled set (0.10–0.90 by 0.02): an oracle choice the method does not get. */
export function bestBaseline(texts: readonly string[], truth: readonly string[]): ClusterQuality & { threshold: number } {
  const graph = bigramGraph(texts);
  let best: (ClusterQuality & { threshold: number }) | undefined;
  for (let step = 0; step <= 40; step++) {
    const threshold = 0.1 + step * 0.02;
    const q = measureClustering(singleLinkage(texts.length, graph, threshold), truth);
    if (!best || q.f1 > best.f1) best = { ...q, threshold };
  }
  return best!;
}
