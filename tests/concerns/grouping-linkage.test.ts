import { describe, expect, test } from 'vitest';
import { averageLinkage, similarityGraph } from '../../server/groups/linkage.ts';
import type { SparseVector } from '../../server/groups/vectors.ts';

/** Seeded PRNG (LCG) so every run sees the same cases. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** n random normalised sparse vectors over a small vocabulary (continuous weights: no exact ties). */
function randomVectors(next: () => number, n: number, vocabulary: number): SparseVector[] {
  return Array.from({ length: n }, () => {
    const ids = [...new Set(Array.from({ length: 1 + Math.floor(next() * 6) }, () => Math.floor(next() * vocabulary)))].sort((a, b) => a - b);
    const w = ids.map(() => next() + 0.05);
    const norm = Math.hypot(...w);
    return { ids: Uint32Array.from(ids), weights: Float64Array.from(w, (x) => x / norm) };
  });
}

function cosine(a: SparseVector, b: SparseVector): number {
  let sum = 0;
  a.ids.forEach((id, i) => {
    const j = b.ids.indexOf(id);
    if (j >= 0) sum += a.weights[i]! * b.weights[j]!;
  });
  return sum;
}

/** Textbook average linkage: merge the two clusters with the highest mean pairwise similarity while it reaches the bar. */
function naiveAverageLinkage(similarity: (a: number, b: number) => number, n: number, threshold: number): number[] {
  let clusters = Array.from({ length: n }, (_, i) => [i]);
  for (;;) {
    let best: [number, number] | undefined;
    let bestMean = -Infinity;
    for (let x = 0; x < clusters.length; x++) {
      for (let y = x + 1; y < clusters.length; y++) {
        let sum = 0;
        for (const a of clusters[x]!) for (const b of clusters[y]!) sum += similarity(a, b);
        const mean = sum / (clusters[x]!.length * clusters[y]!.length);
        if (mean > bestMean) {
          bestMean = mean;
          best = [x, y];
        }
      }
    }
    if (!best || bestMean < threshold) break;
    const [x, y] = best;
    clusters = [...clusters.filter((_, i) => i !== x && i !== y), [...clusters[x]!, ...clusters[y]!]];
  }
  const labels = new Array<number>(n);
  for (const c of clusters) for (const i of c) labels[i] = Math.min(...c);
  return labels;
}

describe('averageLinkage against the textbook algorithm', () => {
  test('finds the same clusters on random batches (exact mode, with and without a pair adjustment)', () => {
    const next = random(20261202);
    for (let trial = 0; trial < 40; trial++) {
      const n = 5 + Math.floor(next() * 40);
      const vectors = randomVectors(next, n, 12);
      const adjust = trial % 2 === 0 ? undefined : (a: number, b: number, c: number) => ((a + b) % 3 === 0 ? c * 0.3 : c);
      const threshold = 0.15 + next() * 0.4;
      const similarity = (a: number, b: number) => (adjust ? adjust(Math.max(a, b), Math.min(a, b), cosine(vectors[a]!, vectors[b]!)) : cosine(vectors[a]!, vectors[b]!));
      const labels = averageLinkage(vectors, { threshold, sizeExponent: 0, minEdge: 0, exactBelow: 1000, neighbours: 10, maxPostingShare: 1, adjust });
      expect(Array.from(labels)).toEqual(naiveAverageLinkage(similarity, n, threshold));
    }
  });
});

describe('similarityGraph at scale (kNN mode)', () => {
  test('keeps for each item at most `neighbours` earlier items, the most similar ones, with their exact cosine', () => {
    const next = random(7);
    const vectors = randomVectors(next, 200, 30);
    const graph = similarityGraph(vectors, { minEdge: 0.01, exactBelow: 50, neighbours: 3, maxPostingShare: 1 });
    for (let a = 0; a < vectors.length; a++) {
      const earlier = [...graph[a]!].filter(([b]) => b < a);
      expect(earlier.length).toBeLessThanOrEqual(3);
      for (const [b, s] of earlier) expect(s).toBeCloseTo(cosine(vectors[a]!, vectors[b]!), 12);
    }
    // Symmetric.
    graph.forEach((edges, a) => {
      for (const [b, s] of edges) expect(graph[b]!.get(a)).toBe(s);
    });
  });
});
