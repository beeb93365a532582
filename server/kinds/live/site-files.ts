import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import RSS from 'rss';
import { renderBodyHtml, type TiptapDoc } from '../../content/tiptap.ts';
import { cleanText } from '../../feeds/text.ts';
import { writeFileDurable } from '../../store/durable-file.ts';
import { assertSafeId } from '../../ids.ts';
import { liveScript, placeLiveScript } from './assets.ts';
import { UPDATE_TYPE_LABELS, type LiveInfo, type LiveUpdate } from './updates-schema.ts';

/** Published updates per immutable chunk; the open (newest) chunk holds fewer, so `latest.json` stays small. */
export const CHUNK_SIZE = 50;
/** Recent corrections and withdrawals of updates in sealed chunks, repeated in latest.json so open pages apply them. */
const CHANGED_MAX = 20;
const FEED_MAX = 50;

/** What readers' pages get for one update (HTML rendered from the checked tiptap body). */
export interface PublicUpdate {
  id: string;
  seq: number;
  type: LiveUpdate['type'];
  label: string;
  at: string;
  publishedAt: string;
  state: 'published' | 'withdrawn';
  html: string;
  image?: string;
  clarification?: LiveUpdate['clarification'];
  question?: { text: string; nickname?: string };
  answeredBy?: string;
  corrections: { at: string; note: string }[];
  withdrawal?: { at: string; note: string };
}

export interface LatestFile {
  v: 1;
  item: { id: string; title: string; mode: LiveInfo['mode']; state: LiveInfo['state']; coverageEnd?: string; pinnedHtml: string; pinnedAt?: string };
  /** Highest seq published so far. */
  total: number;
  /** The open chunk, newest first. */
  updates: PublicUpdate[];
  /** Updates in sealed chunks corrected or withdrawn lately (apply over what the page shows). */
  changed: PublicUpdate[];
  /** Sealed chunks, newest first: `url` is immutable (its name carries a content hash). */
  chunks: { k: number; from: number; to: number; url: string }[];
  generatedAt: string;
}

interface Manifest {
  chunks: Record<string, string>;
}

export interface LiveItemRef {
  id: string;
  slug: string;
  title: string;
  live: LiveInfo;
}

/** `<dataDir>/published/live/<itemId>/`: the source copy the site build reads. */
export const liveDataDir = (dataDir: string, itemId: string) => join(dataDir, 'published', 'live', assertSafeId(itemId));
/** `<siteDir>/live/<slug>/updates/`: what readers' pages poll. */
export const liveSiteDir = (siteDir: string, slug: string) => join(siteDir, 'live', slug, 'updates');
export const liveSitePath = (slug: string, file: string) => `/live/${slug}/updates/${file}`;

export function toPublicUpdate(u: LiveUpdate): PublicUpdate {
  const withdrawn = u.state === 'withdrawn';
  return {
    id: u.id,
    seq: u.seq ?? 0,
    type: u.type,
    label: UPDATE_TYPE_LABELS[u.type],
    at: u.at,
    publishedAt: u.publishedAt ?? u.at,
    state: withdrawn ? 'withdrawn' : 'published',
    // a withdrawn update keeps its place and its time, never its text
    html: withdrawn ? '' : (u.html ?? renderCached(u.body as TiptapDoc)),
    ...(u.image && !withdrawn ? { image: u.image } : {}),
    ...(u.clarification && !withdrawn ? { clarification: u.clarification } : {}),
    ...(u.question && !withdrawn ? { question: { text: u.question.text, ...(u.question.nickname ? { nickname: u.question.nickname } : {}) } } : {}),
    ...(u.answeredBy && !withdrawn ? { answeredBy: u.answeredBy } : {}),
    corrections: u.corrections,
    ...(u.withdrawal ? { withdrawal: u.withdrawal } : {}),
  };
}

const rendered = new Map<string, string>();
/** Renders a tiptap document, remembering recent results (pinned blocks and old records re-render on every write otherwise). */
export function renderCached(doc: TiptapDoc): string {
  const key = JSON.stringify(doc);
  let html = rendered.get(key);
  if (html === undefined) {
    html = renderBodyHtml(doc);
    if (rendered.size > 500) rendered.clear();
    rendered.set(key, html);
  }
  return html;
}

const lastChange = (u: LiveUpdate) => u.withdrawal?.at ?? u.corrections.at(-1)?.at;
const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

function readManifest(dir: string): Manifest {
  try {
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return { chunks: {} };
  }
}

/** Whole-file replace for the served copy: readers never see half a file. */
function writeAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/**
 * Writes the live item's reader files after a change: the open chunk and index (`latest.json`),
 * any sealed chunk that `touched` falls in or that is new, and the RSS feed of updates. Sealed
 * chunks that did not change are not rewritten, so an item with thousands of updates costs the
 * same per update as one with ten. Files go to the data dir (durably: the site build reads them)
 * and, when `siteDir` is given, to the served site.
 */
export async function writeLiveFiles(args: { dataDir: string; siteDir?: string; siteUrl: string; siteTitle: string; item: LiveItemRef; pinnedHtml: string; updates: LiveUpdate[]; touched?: number[]; full?: boolean; now: Date }): Promise<LatestFile> {
  const { item, now } = args;
  const shown = args.updates.filter((u) => u.seq !== undefined && u.state !== 'pending').sort((a, b) => a.seq! - b.seq!);
  const total = shown.at(-1)?.seq ?? 0;
  const sealed = Math.floor(total / CHUNK_SIZE);
  const dataDir = liveDataDir(args.dataDir, item.id);
  mkdirSync(dataDir, { recursive: true });
  const manifest = readManifest(dataDir);
  const touchedChunks = new Set((args.touched ?? []).map((seq) => Math.floor((seq - 1) / CHUNK_SIZE)));
  const files: Array<[string, string]> = [];

  for (let k = 0; k < sealed; k++) {
    if (!args.full && manifest.chunks[k] && !touchedChunks.has(k)) continue;
    const inChunk = shown.filter((u) => u.seq! > k * CHUNK_SIZE && u.seq! <= (k + 1) * CHUNK_SIZE).reverse().map(toPublicUpdate);
    const text = JSON.stringify({ v: 1, k, updates: inChunk });
    const name = `c${k}.${hash(text)}.json`;
    manifest.chunks[k] = name;
    files.push([name, text]);
  }
  const open = shown.filter((u) => u.seq! > sealed * CHUNK_SIZE).reverse();
  const changed = shown
    .filter((u) => u.seq! <= sealed * CHUNK_SIZE && lastChange(u))
    .sort((a, b) => lastChange(b)!.localeCompare(lastChange(a)!))
    .slice(0, CHANGED_MAX);
  const latest: LatestFile = {
    v: 1,
    item: { id: item.id, title: item.title, mode: item.live.mode, state: item.live.state, ...(item.live.coverageEnd ? { coverageEnd: item.live.coverageEnd } : {}), pinnedHtml: args.pinnedHtml, ...(item.live.pinnedAt ? { pinnedAt: item.live.pinnedAt } : {}) },
    total,
    updates: open.map(toPublicUpdate),
    changed: changed.map(toPublicUpdate),
    chunks: Array.from({ length: sealed }, (_, i) => sealed - 1 - i).map((k) => ({ k, from: k * CHUNK_SIZE + 1, to: (k + 1) * CHUNK_SIZE, url: liveSitePath(item.slug, manifest.chunks[k]!) })),
    generatedAt: now.toISOString(),
  };
  files.push(['latest.json', JSON.stringify(latest)]);
  files.push(['feed.xml', renderLiveRss({ ...args, updates: shown.slice(-FEED_MAX).reverse() })]);

  const manifestText = JSON.stringify(manifest);
  if (files.some(([name]) => name.startsWith('c')) || !existsSync(join(dataDir, 'manifest.json'))) files.push(['manifest.json', manifestText]);
  // fsyncs in parallel: one disk flush costs about as much as several
  await Promise.all(files.map(([name, text]) => writeFileDurable(join(dataDir, name), text)));
  if (args.siteDir) {
    const siteDir = liveSiteDir(args.siteDir, item.slug);
    mkdirSync(siteDir, { recursive: true });
    placeLiveScript(args.siteDir);
    // chunks first, then the index that names them
    for (const [name, text] of files.sort(([a], [b]) => (a === 'latest.json' ? 1 : b === 'latest.json' ? -1 : 0))) if (name !== 'manifest.json') writeAtomic(join(siteDir, name), text);
  }
  return latest;
}

/**
 * The live files of these items for a freshly built site, from their data-dir copies, plus the page
 * script (the kind's `siteFiles`). A file the server wrote after its data-dir copy (a publish during
 * the build) is left alone.
 */
export function liveSiteFiles(items: Array<{ id: string; slug: string }>, { dataDir, outDir }: { dataDir: string; outDir: string }): Array<{ path: string; body: string }> {
  const script = liveScript();
  const out = [script];
  for (const item of items) {
    const from = liveDataDir(dataDir, item.id);
    if (!existsSync(from)) continue;
    for (const name of readdirSync(from)) {
      if (name === 'manifest.json' || name.startsWith('.')) continue;
      const dest = join(liveSiteDir(outDir, item.slug), name);
      if (existsSync(dest) && statSync(dest).mtimeMs >= statSync(join(from, name)).mtimeMs) continue;
      out.push({ path: liveSitePath(item.slug, name), body: readFileSync(join(from, name), 'utf8') });
    }
  }
  return out;
}

/** The updates as of now, for the page build (no-JS readers) and JSON-LD: every chunk, newest first. */
export function readLiveUpdates(dataDir: string, itemId: string): { latest: LatestFile | undefined; updates: PublicUpdate[] } {
  const dir = liveDataDir(dataDir, itemId);
  let latest: LatestFile;
  try {
    latest = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as LatestFile;
  } catch {
    return { latest: undefined, updates: [] };
  }
  const updates = [...latest.updates];
  for (const chunk of latest.chunks) {
    const name = chunk.url.split('/').pop()!;
    try {
      updates.push(...(JSON.parse(readFileSync(join(dir, name), 'utf8')) as { updates: PublicUpdate[] }).updates);
    } catch {
      // a missing chunk leaves a gap in the static page; the script fills it
    }
  }
  return { latest, updates };
}

function renderLiveRss({ item, updates, siteUrl, siteTitle }: { item: LiveItemRef; updates: LiveUpdate[]; siteUrl: string; siteTitle: string }): string {
  const page = new URL(`/live/${item.slug}/`, siteUrl).href;
  const feed = new RSS({
    title: cleanText(`${item.title} · ${siteTitle}`),
    description: cleanText(`${item.title}：实时更新`),
    feed_url: new URL(liveSitePath(item.slug, 'feed.xml'), siteUrl).href,
    site_url: page,
    language: 'zh-CN',
    ttl: 1,
    custom_namespaces: { content: 'http://purl.org/rss/1.0/modules/content/' },
    ...(updates[0] ? { pubDate: updates[0].publishedAt ?? updates[0].at } : {}),
  });
  for (const u of updates) {
    const p = toPublicUpdate(u);
    const status = p.state === 'withdrawn' ? `【已撤回】${p.withdrawal?.note ?? ''}` : p.corrections.length ? `【已更正】${p.corrections.at(-1)!.note}` : '';
    const text = cleanText(p.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    feed.item({
      title: cleanText(`[${p.label}] ${status || [...text].slice(0, 40).join('')}`),
      description: cleanText(status || text),
      url: `${page}#u-${p.id}`,
      guid: `${item.id}/${p.id}`,
      date: p.publishedAt,
      custom_elements: p.state === 'published' ? [{ 'content:encoded': { _cdata: p.html } }] : [],
    });
  }
  return feed.xml({ indent: false });
}
