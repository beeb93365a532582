import type { Deps } from '../context.ts';
import type { Concern } from '../concerns/schema.ts';
import { extractFeatures, type Features } from './features.ts';
import { fingerprintText } from './text.ts';
import { learnIdf, type IdfModel } from './vectorize.ts';

interface CorpusCache {
  features: Map<string, { text: string; features: Features }>;
  model?: { key: string; idf: IdfModel };
}

// Per app (keyed by its deps): features of every concern ever seen, so a week's grouping re-segments only new text.
const caches = new WeakMap<Deps, CorpusCache>();

/**
 * Features of the given concerns and IDF learned from EVERY concern in the store (all weeks, all orgs): a word
 * the whole store uses weighs little even in the one week where it is everywhere.
 */
export async function storeCorpus(deps: Deps, all: readonly Concern[]): Promise<{ idf: IdfModel; featuresOf: (c: Concern) => Features }> {
  let cache = caches.get(deps);
  if (!cache) {
    cache = { features: new Map() };
    caches.set(deps, cache);
  }
  const featuresOf = (c: Concern): Features => {
    const hit = cache!.features.get(c.id);
    if (hit && hit.text === c.text) return hit.features;
    const features = extractFeatures(c.text);
    cache!.features.set(c.id, { text: c.text, features });
    return features;
  };
  const key = `${all.length}:${all.reduce((m, c) => (c.updatedAt > m ? c.updatedAt : m), '')}`;
  if (cache.model?.key !== key) {
    // Each distinct text counts once: a post copied fifty times must not make its own words look common.
    const distinct = new Map<string, Concern>();
    for (const c of all) distinct.set(fingerprintText(c.text), c);
    cache.model = { key, idf: learnIdf([...distinct.values()].map(featuresOf)) };
  }
  return { idf: cache.model.idf, featuresOf };
}
