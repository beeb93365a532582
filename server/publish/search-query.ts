import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryTokens, rank, shardOf } from '../../public/search-core.js';
import { readManifest, SEARCH_DIR } from './search-index.ts';
import type { DocRecord } from './search-text.ts';

export interface SearchHit {
  url: string;
  title: string;
  score: number;
}

/**
 * Answers a query from the built index on disk the way public/search.js does in the browser (the same
 * core: tokens, shards, ranking), for tests, benchmarks and the CLI.
 */
export function searchIndex({ outDir, query, limit = 20 }: { outDir: string; query: string; limit?: number }): SearchHit[] {
  const manifest = readManifest(outDir);
  if (!manifest) return [];
  const dir = join(outDir, SEARCH_DIR);
  const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const tokens = queryTokens(query);
  const shards = new Map<number, Record<string, string>>();
  for (const t of tokens) {
    const s = shardOf(t, manifest.shards.length);
    if (!shards.has(s)) shards.set(s, read(manifest.shards[s]!) as Record<string, string>);
  }
  const postings = (t: string) => {
    const terms = shards.get(shardOf(t, manifest.shards.length))!;
    return Object.hasOwn(terms, t) ? terms[t] : undefined;
  };
  const chunks = new Map<number, Array<DocRecord | null>>();
  return rank({ docs: manifest.docs, tokens, postings, limit }).map(({ doc, score }) => {
    const n = Math.floor(doc / manifest.chunkSize);
    if (!chunks.has(n)) chunks.set(n, read(manifest.chunks[n]!) as Array<DocRecord | null>);
    const record = chunks.get(n)![doc % manifest.chunkSize]!;
    return { url: record.u, title: record.t, score };
  });
}
