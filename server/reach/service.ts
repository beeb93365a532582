import { randomBytes } from 'node:crypto';
import type { Deps } from '../context.ts';
import type { User } from '../users/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { hasRole } from '../auth/permissions.ts';
import { itemsOf } from '../content/service.ts';
import type { Item } from '../content/schema.ts';
import { itemPath as sitePath } from '../content/snapshot.ts';
import { descendantIds } from '../orgs/service.ts';
import { METRIC_KEYS, type Channel, type ManualEntry, type Metrics, type ReachRecord, type ShortLink, type Summary, type SummaryQuery } from './schema.ts';
import type { BatchChange } from '../store/types.ts';

export const reachOf = (deps: Deps) => deps.store.collection<ReachRecord>('reach');
export const linksOf = (deps: Deps) => deps.store.collection<ShortLink>('reach-links');

const zero = (): Metrics => ({ views: 0, uniques: 0, shares: 0, likes: 0, comments: 0, favorites: 0, reposts: 0, clicks: 0 });

/** Site path of a published item (its kind's column and its slug). */
export function itemPath(item: Pick<Item, 'kind' | 'slug'>, deps: Pick<Deps, 'kinds'>): string {
  return sitePath(item, deps);
}

/** The aggregate rows matching a summary query (org includes every org below it). */
export async function selectRecords({ deps, query }: { deps: Deps; query: SummaryQuery }): Promise<ReachRecord[]> {
  const orgs = query.org ? await descendantIds({ deps, id: query.org }) : undefined;
  const kinds = query.column ? new Set(deps.kinds.list.filter((k) => k.column.key === query.column).map((k) => k.kind as string)) : undefined;
  return reachOf(deps).list(
    (r) =>
      (!query.itemId || r.itemId === query.itemId) &&
      (!orgs || orgs.has(r.orgId)) &&
      (!kinds || kinds.has(r.kind)) &&
      (!query.channel || r.channel === query.channel) &&
      (!query.from || r.day >= query.from) &&
      (!query.to || r.day <= query.to),
  );
}

/**
 * Totals, per channel and per day. `shares` adds platform shares and reposts (转发 is how Weibo shares);
 * `uniques` sums daily unique readers; short-link clicks are kept apart from views (a click usually becomes a
 * site view too).
 */
export function summarize(records: ReachRecord[]): Summary {
  const total = zero();
  const byChannel: Record<string, Metrics> = {};
  const days = new Map<string, { views: number; uniques: number; shares: number }>();
  for (const r of records) {
    const ch = (byChannel[r.channel] ??= zero());
    for (const k of METRIC_KEYS) {
      total[k] += r[k] ?? 0;
      ch[k] += r[k] ?? 0;
    }
    const d = days.get(r.day) ?? { views: 0, uniques: 0, shares: 0 };
    d.views += r.views ?? 0;
    d.uniques += r.uniques ?? 0;
    d.shares += (r.shares ?? 0) + (r.reposts ?? 0);
    days.set(r.day, d);
  }
  return {
    views: total.views,
    uniques: total.uniques,
    shares: total.shares + total.reposts,
    likes: total.likes,
    comments: total.comments,
    reposts: total.reposts,
    clicks: total.clicks,
    byChannel,
    byDay: [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, v]) => ({ day, ...v })),
  };
}

export async function reachSummary({ deps, query }: { deps: Deps; query: SummaryQuery }): Promise<Summary> {
  if (query.from && query.to && query.from > query.to) throw ValidationError.field('from', '开始日期不能晚于结束日期');
  return summarize(await selectRecords({ deps, query }));
}

/** Totals per key (item, org, kind, channel), biggest first. */
export function rollup(records: ReachRecord[], key: (r: ReachRecord) => string): { key: string; views: number; uniques: number; shares: number; clicks: number }[] {
  const out = new Map<string, { key: string; views: number; uniques: number; shares: number; clicks: number }>();
  for (const r of records) {
    const k = key(r);
    const row = out.get(k) ?? { key: k, views: 0, uniques: 0, shares: 0, clicks: 0 };
    row.views += r.views;
    row.uniques += r.uniques;
    row.shares += r.shares + r.reposts;
    row.clicks += r.clicks;
    out.set(k, row);
  }
  return [...out.values()].sort((a, b) => b.views - a.views || a.key.localeCompare(b.key));
}

function assertEditorOrAdmin(user: User, action: string): void {
  if (!hasRole(user, 'editor') && !hasRole(user, 'admin')) throw new ForbiddenError(`${action}需要「编辑」或「管理员」角色`);
}

async function publishedItem(deps: Deps, itemId: string, field = 'itemId'): Promise<Item> {
  const item = await itemsOf(deps).get(itemId);
  if (!item) throw new NotFoundError(`${field}: 稿件 ${itemId} 不存在`);
  if (item.status !== 'published' && item.status !== 'retracted') throw ValidationError.field(field, `稿件《${item.title}》尚未发布，不能统计传播数据`);
  return item;
}

const CODE_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** The short link of an item and channel, created on first use (one per item and channel). */
export async function ensureShortLink({ deps, actor, itemId, channel }: { deps: Deps; actor: User | 'system'; itemId: string; channel: Channel }): Promise<ShortLink> {
  if (actor !== 'system') assertEditorOrAdmin(actor, '生成短链接');
  // a video's end card gets its link at render time, before the item is published
  const item = actor === 'system' ? await itemsOf(deps).get(itemId) : await publishedItem(deps, itemId);
  if (!item) throw new NotFoundError(`itemId: 稿件 ${itemId} 不存在`);
  const existing = (await linksOf(deps).query({ where: { itemId, channel } })).records;
  if (existing[0]) return existing[0];
  for (;;) {
    const code = [...randomBytes(7)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
    if (await linksOf(deps).get(code)) continue;
    const link = await linksOf(deps).insert({ id: code, itemId, channel, target: itemPath(item, deps), createdBy: actor === 'system' ? 'system' : actor.id });
    await deps.store.audit.append({ actor: actor === 'system' ? 'system' : actor.id, action: 'reach.link.create', target: { type: 'item', id: itemId }, data: { code, channel } });
    return link;
  }
}

export async function listShortLinks({ deps, itemId }: { deps: Deps; itemId: string }): Promise<ShortLink[]> {
  return (await linksOf(deps).query({ where: { itemId } })).records;
}

/** Absolute URL of a short link. */
export function shortUrl(deps: Deps, code: string): string {
  return new URL(`/r/${code}`, deps.config.siteUrl).href;
}

type FiguresArgs = { item: Pick<Item, 'id' | 'orgId' | 'kind'>; day: string; channel: Channel; source: 'import' | 'manual'; figures: Partial<Metrics>; key?: string };

/** The write of `setFigures` as one change of a batch (`upsertMany`): an import writes all its rows at once. */
export function figuresChange({ item, day, channel, source, figures, key }: FiguresArgs): BatchChange<ReachRecord> {
  // an import row is keyed by its post too: two Weibo posts about one item on one day add up
  const id = `${source}~${item.id}~${day}~${channel}${key ? `~${key}` : ''}`;
  const values = { ...zero(), ...Object.fromEntries(METRIC_KEYS.filter((k) => figures[k] !== undefined).map((k) => [k, figures[k]])) };
  return { id, change: (current) => (current ? { ...current, ...values } : { id, itemId: item.id, orgId: item.orgId, kind: item.kind, day, channel, source, ...values, referrers: {} }) };
}

/** Replaces the figures of one item, day, channel and source (import or manual): repeating it changes nothing. */
export async function setFigures({ deps, ...args }: FiguresArgs & { deps: Deps }): Promise<ReachRecord> {
  return (await reachOf(deps).upsertMany([figuresChange(args)]))[0]!;
}

export async function enterManual({ deps, actor, input }: { deps: Deps; actor: User; input: ManualEntry }): Promise<ReachRecord> {
  assertEditorOrAdmin(actor, '录入传播数据');
  const item = await publishedItem(deps, input.itemId);
  const { itemId: _i, day, channel, ...figures } = input;
  const record = await setFigures({ deps, item, day, channel, source: 'manual', figures });
  await deps.store.audit.append({ actor: actor.id, action: 'reach.manual', target: { type: 'item', id: item.id }, data: { day, channel } });
  return record;
}
