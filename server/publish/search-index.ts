import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import type { PublishedItem } from './schema.ts';
import { docOf, searchText, shardsOf, type DocRecord } from './search-text.ts';
import { firstDoc, holdsAny, PIVOT, prependPostings, rewritePostings, shardOf, termWeights } from '../../public/search-core.js';

/** The index's folder under the site (beside the Astro page /search/). */
export const SEARCH_DIR = 'search-index';
/** The item id → doc number file's prefix: read by updates only, never by the browser, so never served. */
const IDS = 'ids';
const PRIVATE = new RegExp(`^${IDS}\\.[0-9a-f]{12}\\.json(?:\\.tmp-\\d+)?$`);
/** Whether a file of the index folder is an ids file, or one being written (the static server answers 404 for them). */
export const isPrivateIndexFile = (name: string) => PRIVATE.test(name);
/** Term files: a query reads only the few its tokens hash to. */
const SHARDS = 256;
/** Result records per file: the top 20 results read at most 20 small files. */
const CHUNK = 16;
/** Files the manifest no longer names are removed this long after they left it (a reader may still hold the old manifest). */
const GRACE_MS = 60_000;
/** Documents per pass of the full build: the postings of one pass are all it holds in memory. */
const DOCS_PER_PASS = 5_000;

/** manifest.json: the one mutable file, written last; everything it names is immutable (content-hashed). */
export interface SearchManifest {
  v: 1;
  /** documents in the index (retracted items included: they are found by their note) */
  docs: number;
  /** document slots (numbers given out; removed items leave a null record) */
  slots: number;
  /** total length in tokens (average: length / docs) */
  length: number;
  pivot: number;
  chunkSize: number;
  /** term file per shard number */
  shards: string[];
  /** record file per chunk (doc number / chunkSize) */
  chunks: string[];
  /** item id → doc number, for updates (not read by the browser, and not served: see isPrivateIndexFile) */
  ids: string;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Writes `body` under a name carrying its hash (temp + rename), unless that file is there already; returns the name. */
function writeHashed(dir: string, prefix: string, body: string): string {
  const name = `${prefix}.${createHash('sha1').update(body).digest('hex').slice(0, 12)}.json`;
  const path = join(dir, name);
  if (!existsSync(path)) {
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, body);
    renameSync(tmp, path);
  }
  return name;
}

/** One term file: tokens sorted, each with its encoded postings. */
function writeShard(dir: string, shard: number, terms: Map<string, string>): string {
  const out: Record<string, string> = {};
  for (const token of [...terms.keys()].sort()) if (terms.get(token)) out[token] = terms.get(token)!;
  return writeHashed(dir, `t${shard}`, JSON.stringify(out));
}

/** Encodes a flat `[doc, w, doc, w, …]` list (docs ascending) as encodePostings does, newest first. */
function encodeFlat(list: number[]): string {
  const out: string[] = [];
  for (let i = list.length - 2; i >= 0; i -= 2) out.push((i === list.length - 2 ? list[i]! : list[i + 2]! - list[i]!).toString(36), list[i + 1]!.toString(36));
  return out.join(',');
}

const namesOf = (m: SearchManifest | undefined) => (m ? [m.ids, ...m.shards, ...m.chunks] : []);

/**
 * Swaps the manifest in (temp + rename: a reader sees the old index or the new one), then removes the
 * files no manifest has named for the grace period: the ones the previous manifest named and this one
 * does not are dated now, so the period counts from when they left the index.
 */
function commit(dir: string, manifest: SearchManifest, previous: string[], now = Date.now()): void {
  const path = join(dir, 'manifest.json');
  writeFileSync(`${path}.tmp-${process.pid}`, JSON.stringify(manifest));
  renameSync(`${path}.tmp-${process.pid}`, path);
  const kept = new Set(['manifest.json', ...namesOf(manifest)]);
  for (const name of previous) {
    try {
      if (!kept.has(name)) utimesSync(join(dir, name), now / 1000, now / 1000);
    } catch {
      // already gone
    }
  }
  for (const name of readdirSync(dir)) {
    if (kept.has(name)) continue;
    try {
      if (statSync(join(dir, name)).mtimeMs < now - GRACE_MS) unlinkSync(join(dir, name));
    } catch {
      // removed meanwhile
    }
  }
}

const age = (i: PublishedItem) => i.publishedAt ?? i.updatedAt ?? '';
const tick = () => new Promise((r) => setImmediate(r));

/**
 * Full build of the search index into `<outDir>/search-index/` from the snapshots in memory. Documents are
 * numbered oldest first; the term files are built in passes over a range of shards each, so memory holds
 * one pass's postings (≈5,000 documents' worth), and the event loop is let go between documents.
 */
export async function indexSite({ outDir, items }: { outDir: string; items: PublishedItem[] }): Promise<{ docs: number; bytes: number }> {
  const dir = join(outDir, SEARCH_DIR);
  try {
    mkdirSync(dir, { recursive: true });
    const previous = namesOf(readManifest(outDir));
    const docs = [...items].sort((a, b) => age(a).localeCompare(age(b)) || a.id.localeCompare(b.id));
    const passes = Math.max(1, Math.ceil(docs.length / DOCS_PER_PASS));
    const span = Math.ceil(SHARDS / passes);
    const shards: string[] = [];
    const chunks: string[] = [];
    const ids = new Map<string, number>();
    let length = 0;
    for (let lo = 0; lo < SHARDS; lo += span) {
      // flat [doc, w, doc, w, …] per token: packed small integers, no object per posting
      const terms = Array.from({ length: Math.min(span, SHARDS - lo) }, () => new Map<string, number[]>());
      let chunk: DocRecord[] = [];
      for (let doc = 0; doc < docs.length; doc++) {
        const item = docs[doc]!;
        let weights: Map<string, number>;
        if (lo === 0) {
          // the first pass also writes the records
          const made = docOf(item, SHARDS);
          weights = made.weights;
          ids.set(item.id, doc);
          length += made.record.l;
          chunk.push(made.record);
          if (chunk.length === CHUNK || doc === docs.length - 1) {
            chunks.push(writeHashed(dir, `d${chunks.length}`, JSON.stringify(chunk)));
            chunk = [];
          }
        } else weights = termWeights(item.title, searchText(item)).weights;
        for (const [token, w] of weights) {
          const s = shardOf(token, SHARDS) - lo;
          if (s < 0 || s >= terms.length) continue;
          const list = terms[s]!.get(token);
          if (list) list.push(doc, w);
          else terms[s]!.set(token, [doc, w]);
        }
        if (doc % 200 === 199) await tick();
      }
      terms.forEach((t, i) => (shards[lo + i] = writeShard(dir, lo + i, new Map([...t].map(([token, list]) => [token, encodeFlat(list)])))));
      await tick();
    }
    const manifest: SearchManifest = { v: 1, docs: docs.length, slots: docs.length, length, pivot: PIVOT, chunkSize: CHUNK, shards, chunks, ids: writeHashed(dir, IDS, JSON.stringify(Object.fromEntries(ids))) };
    commit(dir, manifest, previous);
    return { docs: docs.length, bytes: indexBytes(dir, manifest) };
  } catch (error) {
    throw new AppError(500, 'search_index_failed', `搜索索引失败：${(error as Error).message}`, { cause: error });
  }
}

/** Bytes on disk of the files a manifest names (the index a reader sees). */
export function indexBytes(dir: string, manifest: SearchManifest): number {
  return ['manifest.json', manifest.ids, ...manifest.shards, ...manifest.chunks].reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** The live manifest, or undefined when there is no index (or one of another format). */
export function readManifest(outDir: string): SearchManifest | undefined {
  const path = join(outDir, SEARCH_DIR, 'manifest.json');
  if (!existsSync(path)) return undefined;
  const manifest = readJson<SearchManifest>(path);
  return manifest.v === 1 && manifest.shards.length === SHARDS && manifest.pivot === PIVOT ? manifest : undefined;
}

export interface SearchUpdate {
  /** documents added, changed or removed */
  changed: number;
  /** term files rewritten */
  shards: number;
  /** true when there was no index and it was built whole */
  full: boolean;
}

/**
 * Updates the index for these item ids (all items and every indexed id when `ids` is left out): an
 * item whose indexed text is unchanged is skipped; a changed one has its postings replaced in the
 * term files its old and new tokens live in, and its record file rewritten; an id no longer among
 * `items` is removed. The manifest is swapped in last. Without an index, builds one whole.
 */
export async function updateSearchIndex({ outDir, items, ids }: { outDir: string; items: PublishedItem[]; ids?: string[] }): Promise<SearchUpdate> {
  const manifest = readManifest(outDir);
  if (!manifest) {
    await indexSite({ outDir, items });
    return { changed: items.length, shards: SHARDS, full: true };
  }
  const dir = join(outDir, SEARCH_DIR);
  const previous = namesOf(manifest);
  const idMap = new Map(Object.entries(readJson<Record<string, number>>(join(dir, manifest.ids))));
  const byId = new Map(items.map((i) => [i.id, i]));
  const targets = new Set(ids ?? [...byId.keys(), ...idMap.keys()]);
  const chunks = new Map<number, Array<DocRecord | null>>();
  const chunkOf = (doc: number) => {
    const n = Math.floor(doc / manifest.chunkSize);
    let records = chunks.get(n);
    if (!records) chunks.set(n, (records = manifest.chunks[n] ? readJson<Array<DocRecord | null>>(join(dir, manifest.chunks[n])) : []));
    return records;
  };
  const dirty = new Set<number>();
  const put = (doc: number, record: DocRecord | null) => {
    chunkOf(doc)[doc % manifest.chunkSize] = record;
    dirty.add(Math.floor(doc / manifest.chunkSize));
  };
  const changes = new Map<number, Map<string, number>>();
  /** documents that had postings before this update (new ones have none to take out) */
  const replaced = new Set<number>();
  const touched = new Set<number>();
  let idsChanged = false;
  for (const id of targets) {
    const item = byId.get(id);
    let doc = idMap.get(id);
    const old = doc === undefined ? null : (chunkOf(doc)[doc % manifest.chunkSize] ?? null);
    if (item) {
      const { record, weights } = docOf(item, SHARDS);
      if (old?.h === record.h) continue;
      if (doc === undefined) {
        doc = manifest.slots++;
        idMap.set(id, doc);
        manifest.docs++;
        idsChanged = true;
      }
      put(doc, record);
      changes.set(doc, weights);
      manifest.length += record.l;
      shardsOf(record).forEach((s) => touched.add(s));
    } else if (doc !== undefined) {
      put(doc, null);
      idMap.delete(id);
      manifest.docs--;
      idsChanged = true;
      changes.set(doc, new Map());
    } else continue;
    if (old) {
      replaced.add(doc);
      manifest.length -= old.l;
      shardsOf(old).forEach((s) => touched.add(s));
    }
  }
  if (!changes.size) return { changed: 0, shards: 0, full: false };

  // new postings by shard, then each touched term file: the changed documents' old postings out, the new in
  const adds = new Map<number, Map<string, Array<[number, number]>>>();
  for (const [doc, weights] of changes) {
    for (const [token, w] of weights) {
      const s = shardOf(token, SHARDS);
      let terms = adds.get(s);
      if (!terms) adds.set(s, (terms = new Map()));
      const list = terms.get(token);
      if (list) list.push([doc, w]);
      else terms.set(token, [[doc, w]]);
    }
  }
  const oldest = Math.min(...replaced);
  // One term file at a time, read off the event loop and let go after each: at 10k items an update rewrites
  // ~135 term files, ~190 ms of work that must not stall the server's requests in one piece.
  for (const s of touched) {
    await tick();
    const terms = new Map(Object.entries(JSON.parse(await readFile(join(dir, manifest.shards[s]!), 'utf8')) as Record<string, string>));
    const added = adds.get(s) ?? new Map<string, Array<[number, number]>>();
    if (replaced.size) for (const [token, list] of terms) if (!added.has(token) && holdsAny(list, replaced, oldest)) terms.set(token, rewritePostings(list, replaced, []));
    for (const [token, list] of added) {
      const stored = terms.get(token) ?? '';
      // new documents go in front without reading the list
      terms.set(token, !replaced.size && Math.min(...list.map((p) => p[0])) > firstDoc(stored) ? prependPostings(stored, list) : rewritePostings(stored, replaced, list));
    }
    manifest.shards[s] = writeShard(dir, s, terms);
  }
  for (const n of dirty) manifest.chunks[n] = writeHashed(dir, `d${n}`, JSON.stringify(chunks.get(n)));
  if (idsChanged) manifest.ids = writeHashed(dir, IDS, JSON.stringify(Object.fromEntries(idMap)));
  commit(dir, manifest, previous);
  return { changed: changes.size, shards: touched.size, full: false };
}

/**
 * True when the snapshot folder changed after the search index was written (or there is none): a server
 * stopped between a page and its index update left it behind, and the next start catches up.
 */
export function searchIndexStale({ snapshotsDir, outDir }: { snapshotsDir: string; outDir: string }): boolean {
  const entry = join(outDir, SEARCH_DIR, 'manifest.json');
  if (!readManifest(outDir)) return true;
  if (!existsSync(snapshotsDir)) return false;
  // snapshots are written temp + rename, so every publish, correction or retraction moves the folder's mtime
  return statSync(snapshotsDir).mtimeMs > statSync(entry).mtimeMs;
}
