import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Collection, Store } from '../store/index.ts';
import { NotFoundError } from '../errors.ts';
import { writeDurable } from './durable.ts';
import { chinaDay } from './day.ts';
import type { Channel, ReachRecord, ReachSource } from './schema.ts';

export interface ItemInfo {
  orgId: string;
  kind: string;
}

interface Pending {
  itemId: string;
  orgId: string;
  kind: string;
  day: string;
  channel: Channel;
  source: ReachSource;
  views: number;
  uniques: number;
  clicks: number;
  referrers: Map<string, number>;
}

export interface IngestOptions {
  store: Store;
  dataDir: string;
  clock: () => Date;
  /** Milliseconds between flushes; a crash loses at most this much. */
  flushEvery?: number;
  /** Looks up a published item (undefined: not published, the hit is refused). */
  lookup: (itemId: string) => Promise<ItemInfo | undefined>;
}

export interface Counted {
  itemId: string;
  channel: Channel;
  source: ReachSource;
  /** Anonymous reader key input: ip and user agent; hashed with today's salt, never stored. */
  ip: string;
  userAgent: string;
  ref?: string | undefined;
}

const MAX_REFERRERS = 40;

/**
 * Buffers counted hits in memory and adds them to the per-item/day/channel aggregates every few seconds and on
 * close. Unique readers come from a hash of (today's random salt, IP, UA, item); the salt and today's hashes are
 * kept under reach/ only for the current day and deleted when the day changes.
 */
export class ReachIngest {
  private buffer = new Map<string, Pending>();
  private cache = new Map<string, { info: ItemInfo | undefined; until: number }>();
  private salt: { day: string; value: Buffer } | undefined;
  private seen = new Set<string>();
  private newSeen: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private dir: string;
  /** Hits answered 202 since start, and those written to the store. */
  readonly stats = { accepted: 0, flushed: 0, flushes: 0 };

  constructor(private options: IngestOptions) {
    this.dir = join(options.dataDir, 'reach');
  }

  /** Starts the periodic flush (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush().catch((error) => console.error('[lianxin] reach flush failed', error)), this.options.flushEvery ?? 2000);
    this.timer.unref();
  }

  /** Resolves item info through a short-lived cache, so a burst of hits costs one store read. */
  async itemInfo(itemId: string): Promise<ItemInfo | undefined> {
    const now = Date.now();
    const hit = this.cache.get(itemId);
    if (hit && hit.until > now) return hit.info;
    const info = await this.options.lookup(itemId);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(itemId, { info, until: now + (info ? 300_000 : 30_000) });
    return info;
  }

  /** Forgets cached item info (publish / retract). */
  invalidate(itemId: string): void {
    this.cache.delete(itemId);
  }

  /** Counts one hit; throws NotFoundError when the item is not published. Synchronous after the lookup. */
  async count(hit: Counted): Promise<void> {
    const info = await this.itemInfo(hit.itemId);
    if (!info) throw new NotFoundError(`itemId: 没有已发布的稿件 “${hit.itemId.slice(0, 40)}”`);
    const day = chinaDay(this.options.clock());
    const salt = this.saltFor(day);
    const hash = createHash('sha256').update(salt).update(hit.ip).update('\0').update(hit.userAgent).update('\0').update(hit.itemId).digest('base64url').slice(0, 16);
    const unique = !this.seen.has(hash);
    if (unique) {
      this.seen.add(hash);
      this.newSeen.push(hash);
    }
    const key = `${hit.source}~${hit.itemId}~${day}~${hit.channel}`;
    let row = this.buffer.get(key);
    if (!row) {
      row = { itemId: hit.itemId, orgId: info.orgId, kind: info.kind, day, channel: hit.channel, source: hit.source, views: 0, uniques: 0, clicks: 0, referrers: new Map() };
      this.buffer.set(key, row);
    }
    if (hit.source === 'link') row.clicks++;
    else row.views++;
    if (unique) row.uniques++;
    const ref = referrerHost(hit.ref, hit.userAgent);
    row.referrers.set(ref, (row.referrers.get(ref) ?? 0) + 1);
    this.stats.accepted++;
  }

  /** Writes the buffered aggregates; flushes run one at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  /** Stops the timer and writes everything buffered. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async flushNow(): Promise<void> {
    if (this.newSeen.length && this.salt) {
      mkdirSync(this.dir, { recursive: true });
      appendFileSync(join(this.dir, `seen-${this.salt.day}.txt`), this.newSeen.join('\n') + '\n');
      this.newSeen = [];
    }
    if (this.buffer.size === 0) return;
    const batch = this.buffer;
    this.buffer = new Map();
    const reach = this.options.store.collection<ReachRecord>('reach');
    for (const [id, row] of batch) {
      try {
        await addToRecord(reach, id, row);
        this.stats.flushed += row.source === 'link' ? row.clicks : row.views;
      } catch (error) {
        // keep it for the next flush rather than lose acknowledged hits
        const again = this.buffer.get(id);
        if (again) mergePending(again, row);
        else this.buffer.set(id, row);
        throw error;
      }
    }
    this.stats.flushes++;
  }

  private saltFor(day: string): Buffer {
    if (this.salt?.day === day) return this.salt.value;
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, 'salt.json');
    let value: Buffer | undefined;
    if (existsSync(file)) {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as { day: string; salt: string };
        if (saved.day === day) value = Buffer.from(saved.salt, 'base64');
      } catch {
        // a torn salt file: start a new salt (uniques of today may count twice)
      }
    }
    this.seen = new Set();
    this.newSeen = [];
    if (value) {
      const seenFile = join(this.dir, `seen-${day}.txt`);
      if (existsSync(seenFile)) for (const h of readFileSync(seenFile, 'utf8').split('\n')) if (h) this.seen.add(h);
    } else {
      value = randomBytes(32);
      writeDurable(file, JSON.stringify({ day, salt: value.toString('base64') }));
    }
    // yesterday's salt and hashes are gone for good
    for (const name of readdirSync(this.dir)) if (name.startsWith('seen-') && name !== `seen-${day}.txt`) rmSync(join(this.dir, name), { force: true });
    this.salt = { day, value };
    return value;
  }
}

function mergePending(into: Pending, from: Pending): void {
  into.views += from.views;
  into.uniques += from.uniques;
  into.clicks += from.clicks;
  for (const [k, v] of from.referrers) into.referrers.set(k, (into.referrers.get(k) ?? 0) + v);
}

async function addToRecord(reach: Collection<ReachRecord>, id: string, row: Pending): Promise<void> {
  const add = (current: ReachRecord): ReachRecord => {
    const referrers = { ...current.referrers };
    for (const [host, n] of row.referrers) {
      const key = host in referrers || Object.keys(referrers).length < MAX_REFERRERS ? host : '其他';
      referrers[key] = (referrers[key] ?? 0) + n;
    }
    return { ...current, views: current.views + row.views, uniques: current.uniques + row.uniques, clicks: current.clicks + row.clicks, referrers };
  };
  const existing = await reach.get(id);
  if (existing) {
    await reach.update(id, undefined, add);
    return;
  }
  const blank = { id, itemId: row.itemId, orgId: row.orgId, kind: row.kind, day: row.day, channel: row.channel, source: row.source, views: 0, uniques: 0, shares: 0, likes: 0, comments: 0, favorites: 0, reposts: 0, clicks: 0, referrers: {} };
  await reach.insert(add(blank as ReachRecord));
}

/** The referrer's host, or a label for direct visits (inside WeChat when the UA says so). */
export function referrerHost(ref: string | undefined, userAgent: string): string {
  if (ref) {
    try {
      const host = new URL(ref).hostname.toLowerCase();
      if (host) return host.slice(0, 100);
    } catch {
      // not a URL: direct
    }
  }
  if (/MicroMessenger/i.test(userAgent)) return '微信内打开';
  if (/Weibo/i.test(userAgent)) return '微博内打开';
  return '直接访问';
}

/** The ingest over the store's published items. */
export function createReachIngest({ store, dataDir, clock }: { store: Store; dataDir: string; clock: () => Date }): ReachIngest {
  const flushEvery = Number(process.env.LIANXIN_REACH_FLUSH_MS) || 2000;
  return new ReachIngest({
    store,
    dataDir,
    clock,
    flushEvery,
    lookup: async (itemId) => {
      const item = await store.collection<{ id: string; orgId: string; kind: string; status: string; version: number; createdAt: string; updatedAt: string }>('items').get(itemId);
      return item && item.status === 'published' ? { orgId: item.orgId, kind: item.kind } : undefined;
    },
  });
}
