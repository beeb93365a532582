import { createHash } from 'node:crypto';
import { kindRegistry } from '../kinds/registry.ts';
import { columns, formatDate } from './columns.ts';
import type { PublishedItem } from './schema.ts';
import { shardOf, termWeights } from '../../public/search-core.js';

const recordText = new WeakMap<PublishedItem, string>();

const textOf = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ');

/** The kind's own parts around the body; an item whose kind part cannot be rendered is found by the rest. */
function kindText(item: PublishedItem): { before: string[]; after: string[] } | undefined {
  try {
    return kindRegistry.find(item.kind)?.html.feed(item as never);
  } catch {
    return undefined;
  }
}

/**
 * What a reader can find an item by: title, summary, body text, what its kind shows around the body
 * (claims and verdicts, questions, captions), correction notes and tags (a retracted item: its note).
 */
export function searchText(item: PublishedItem): string {
  let text = recordText.get(item);
  if (text === undefined) {
    const own = item.status === 'retracted' ? undefined : kindText(item);
    const corrections = (item.corrections ?? []).map((c) => c.note).join(' ');
    const body = item.status === 'retracted' ? `本文已撤回 ${item.retraction?.note ?? ''}` : `${item.summary} ${textOf(own?.before.join(' ') ?? '')} ${textOf(item.bodyHtml)} ${textOf(own?.after.join(' ') ?? '')} ${corrections}`;
    text = `${item.title} ${body} ${item.tags.map((t) => `#${t}#`).join(' ')}`.replace(/\s+/g, ' ');
    recordText.set(item, text);
  }
  return text;
}

/** Characters of an item's text kept for excerpts (the index holds all of it; the excerpt shows ~110). */
export const EXCERPT_CHARS = 600;

/** What the browser shows for a result (u, t, d, c, x) and what an update compares and undoes (h, l, s). */
export interface DocRecord {
  /** URL */
  u: string;
  /** title */
  t: string;
  /** publication date, as the pages show it */
  d: string;
  /** column name */
  c: string;
  /** text for the excerpt, cut at EXCERPT_CHARS */
  x: string;
  /** hash of everything indexed: an unchanged item is skipped */
  h: string;
  /** length in tokens */
  l: number;
  /** the term shards holding its postings, as a bitmap in hex */
  s: string;
}

const columnName = (url: string) => columns.find((c) => c.key === url.split('/')[1])?.name ?? '';

/** An item's stored record and its weight per token. */
export function docOf(item: PublishedItem, shards: number): { record: DocRecord; weights: Map<string, number> } {
  const text = searchText(item);
  const { weights, length } = termWeights(item.title, text);
  const bits = new Uint8Array(Math.ceil(shards / 8));
  for (const token of weights.keys()) {
    const s = shardOf(token, shards);
    bits[s >> 3]! |= 1 << (s & 7);
  }
  const title = item.title.replace(/\s+/g, ' ');
  const rest = [...(text.startsWith(title) ? text.slice(title.length) : text).trimStart()];
  const date = item.publishedAt ?? item.updatedAt;
  const record: DocRecord = {
    u: item.url,
    t: item.title,
    d: date ? formatDate(date) : '',
    c: columnName(item.url),
    x: rest.length > EXCERPT_CHARS ? rest.slice(0, EXCERPT_CHARS).join('') : rest.join(''),
    h: createHash('sha256').update(`${item.url}\u0000${item.title}\u0000${date}\u0000${text}`).digest('base64url').slice(0, 16),
    l: length,
    s: Buffer.from(bits).toString('hex'),
  };
  return { record, weights };
}

/** The shard numbers set in a record's bitmap. */
export function shardsOf(record: DocRecord): number[] {
  const bits = Buffer.from(record.s, 'hex');
  const out: number[] = [];
  for (let i = 0; i < bits.length * 8; i++) if (bits[i >> 3]! & (1 << (i & 7))) out.push(i);
  return out;
}
