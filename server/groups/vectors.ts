/** Sparse vector: feature ids ascending, weights aligned. */
export interface SparseVector {
  ids: Uint32Array;
  weights: Float64Array;
}

export interface Vocabulary {
  terms: string[];
  idf: Float64Array;
}

// Dictionary words carry more meaning than raw bigrams; bigrams still count, for recall.
const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;

/** TF-IDF vectors (sublinear tf, smoothed idf, L2-normalised) for token lists. */
export function vectorize(docs: readonly string[][]): { vectors: SparseVector[]; vocabulary: Vocabulary } {
  const index = new Map<string, number>();
  const terms: string[] = [];
  const df: number[] = [];
  const counted = docs.map((tokens) => {
    const counts = new Map<number, number>();
    for (const token of tokens) {
      let id = index.get(token);
      if (id === undefined) {
        id = terms.length;
        index.set(token, id);
        terms.push(token);
        df.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const id of counts.keys()) df[id] = df[id]! + 1;
    return counts;
  });
  const n = docs.length;
  const idf = new Float64Array(terms.length);
  for (let id = 0; id < terms.length; id++) {
    const kind = terms[id]!.startsWith('w:') ? WORD_WEIGHT : BIGRAM_WEIGHT;
    idf[id] = (Math.log((1 + n) / (1 + df[id]!)) + 1) * kind;
  }
  const vectors = counted.map((counts) => {
    const ids = Uint32Array.from(counts.keys()).sort();
    const weights = new Float64Array(ids.length);
    let norm = 0;
    ids.forEach((id, i) => {
      const w = (1 + Math.log(counts.get(id)!)) * idf[id]!;
      weights[i] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! / norm;
    return { ids, weights };
  });
  return { vectors, vocabulary: { terms, idf } };
}

/** Dot product of two sparse vectors (cosine when both are normalised). */
export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  const ai = a.ids;
  const bi = b.ids;
  while (i < ai.length && j < bi.length) {
    const x = ai[i]!;
    const y = bi[j]!;
    if (x === y) sum += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

/** Sparse vector from a map of id → weight, L2-normalised. */
export function fromMap(map: Map<number, number>): SparseVector {
  const ids = Uint32Array.from(map.keys()).sort();
  const weights = new Float64Array(ids.length);
  let norm = 0;
  ids.forEach((id, i) => {
    const w = map.get(id)!;
    weights[i] = w;
    norm += w * w;
  });
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! / norm;
  return { ids, weights };
}

/** The `k` heaviest feature ids of a vector. */
export function topFeatures(v: SparseVector, k: number): number[] {
  const order = Array.from(v.ids.keys()).sort((x, y) => v.weights[y]! - v.weights[x]!);
  return order.slice(0, k).map((i) => v.ids[i]!);
}
