import type { Features } from './features.ts';
import type { SparseVector } from './vectors.ts';

/** Document frequencies learned from a corpus (the whole store of concerns, not just the week being grouped). */
export interface IdfModel {
  documents: number;
  df: Map<string, number>;
}

/** Count document frequencies of the features of every document. */
export function learnIdf(corpus: Iterable<Features>): IdfModel {
  const df = new Map<string, number>();
  let documents = 0;
  for (const features of corpus) {
    documents++;
    for (const key of features.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  }
  return { documents, df };
}

export interface WeightOptions {
  /** Multiplier per feature kind (prefix before the colon). */
  kinds: Record<string, number>;
  /** IDF is raised to this power: above 1 favours rare, specific words over the week's shared vocabulary. */
  idfPower: number;
}

export const DEFAULT_WEIGHTS: WeightOptions = { kinds: { w: 1, s: 1, e: 1.5, p: 0.5, b: 0.35 }, idfPower: 2 };

/** L2-normalised TF-IDF vectors over a shared term index; also returns the terms and their idf. */
export function weighVectors(docs: readonly Features[], model: IdfModel, options: WeightOptions = DEFAULT_WEIGHTS): { vectors: SparseVector[]; terms: string[]; idf: Float64Array } {
  const index = new Map<string, number>();
  const terms: string[] = [];
  const idfs: number[] = [];
  const idOf = (key: string): number => {
    let id = index.get(key);
    if (id === undefined) {
      id = terms.length;
      index.set(key, id);
      terms.push(key);
      const df = model.df.get(key) ?? 1;
      const kind = options.kinds[key.slice(0, key.indexOf(':'))] ?? 1;
      idfs.push(Math.pow(Math.log((1 + model.documents) / df), options.idfPower) * kind);
    }
    return id;
  };
  // A feature's weight by term id while its document is read (ids are distinct within a document).
  let weightOf = new Float64Array(1024);
  const vectors = docs.map((features) => {
    const ids: number[] = [];
    for (const [key, count] of features) {
      const id = idOf(key);
      const w = (1 + Math.log(Math.max(count, 0.5) * 2) - Math.log(2)) * idfs[id]!;
      if (!(w > 0)) continue;
      if (id >= weightOf.length) {
        const grown = new Float64Array(Math.max(weightOf.length * 2, id + 1));
        grown.set(weightOf);
        weightOf = grown;
      }
      weightOf[id] = w;
      ids.push(id);
    }
    const sorted = Uint32Array.from(ids).sort();
    const weights = new Float64Array(sorted.length);
    let sum = 0;
    for (let k = 0; k < sorted.length; k++) {
      const w = weightOf[sorted[k]!]!;
      weights[k] = w;
      sum += w * w;
    }
    const norm = Math.sqrt(sum) || 1;
    for (let k = 0; k < weights.length; k++) weights[k] = weights[k]! / norm;
    return { ids: sorted, weights };
  });
  return { vectors, terms, idf: Float64Array.from(idfs) };
}
