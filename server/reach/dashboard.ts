import type { Deps } from '../context.ts';
import type { User } from '../users/schema.ts';
import type { Item } from '../content/schema.ts';
import type { Org } from '../orgs/schema.ts';
import type { Concern } from '../concerns/schema.ts';
import { itemsOf } from '../content/service.ts';
import { descendantIds } from '../orgs/service.ts';
import { responseRate } from '../reports/service.ts';
import { assertInScope } from '../concerns/access.ts';
import { ValidationError } from '../errors.ts';
import { addDays, chinaDay, daysBetween } from './day.ts';
import { rollup, selectRecords, summarize } from './service.ts';
import { CHANNEL_LABELS, CHANNELS, type Channel, type Summary, type SummaryQuery } from './schema.ts';

export interface Row {
  key: string;
  label: string;
  views: number;
  uniques: number;
  shares: number;
  clicks: number;
}

export interface Dashboard {
  query: Required<Pick<SummaryQuery, 'from' | 'to'>> & SummaryQuery;
  summary: Summary;
  days: string[];
  /** Views per channel per day (zero-filled), for the time series. */
  series: { channel: Channel; label: string; data: number[] }[];
  byChannel: Row[];
  byOrg: Row[];
  byColumn: Row[];
  /** Every item with figures, most read first (the page shows the top 20, the CSV all). */
  topItems: (Row & { itemId: string })[];
  byDay: { day: string; views: number; uniques: number; shares: number }[];
  response: { received: number; answered: number; rate: number | null; withinDays: number };
}

/** Everything the reach dashboard shows for a scope (org subtree of the user) and period. */
export async function buildDashboard({ deps, actor, query }: { deps: Deps; actor: User; query: SummaryQuery }): Promise<Dashboard> {
  const to = query.to ?? chinaDay(deps.clock());
  const from = query.from ?? addDays(to, -29);
  if (from > to) throw ValidationError.field('from', '开始日期不能晚于结束日期');
  const org = query.org ?? actor.orgId;
  await assertInScope(deps, actor, org, '查看该组织的传播数据');
  const q = { ...query, org, from, to };
  const records = await selectRecords({ deps, query: q });
  const days = daysBetween(from, to);
  const index = new Map(days.map((d, i) => [d, i]));
  const series = CHANNELS.filter((ch) => records.some((r) => r.channel === ch && r.views > 0)).map((channel) => {
    const data = days.map(() => 0);
    for (const r of records) if (r.channel === channel) data[index.get(r.day)!]! += r.views;
    return { channel, label: CHANNEL_LABELS[channel], data };
  });
  const orgs = new Map((await deps.store.collection<Org>('orgs').list()).map((o) => [o.id, o.name]));
  const itemIds = new Set(records.map((r) => r.itemId));
  const items = new Map((await itemsOf(deps).query({ where: { id: { in: [...itemIds] } } })).records.map((i) => [i.id, i] as const));
  const columnName = (kind: string) => deps.kinds.find(kind)?.column.name ?? kind;
  const label = (rows: ReturnType<typeof rollup>, name: (k: string) => string): Row[] => rows.map((r) => ({ ...r, label: name(r.key) }));
  const scope = await descendantIds({ deps, id: org });
  const concerns = (await deps.store.collection<Concern>('concerns').query({ where: { orgId: { in: [...scope] } }, filter: (c) => chinaDay(new Date(c.capturedAt)) >= from && chinaDay(new Date(c.capturedAt)) <= to })).records;
  return {
    query: q,
    summary: summarize(records),
    days,
    series,
    byChannel: label(rollup(records, (r) => r.channel), (k) => CHANNEL_LABELS[k as Channel] ?? k),
    byOrg: label(rollup(records, (r) => r.orgId), (k) => orgs.get(k) ?? k),
    byColumn: label(rollup(records, (r) => r.kind), columnName),
    topItems: label(rollup(records, (r) => r.itemId), (k) => items.get(k)?.title ?? k).map((r) => ({ ...r, itemId: r.key })),
    byDay: summarize(records).byDay,
    response: responseRate(concerns, deps.config.responseDays),
  };
}

/** One item's figures for its workbench page. */
export async function itemReach({ deps, item }: { deps: Deps; item: Pick<Item, 'id'> }): Promise<Summary> {
  return summarize(await selectRecords({ deps, query: { itemId: item.id } }));
}

/** RFC 4180 CSV with a BOM so Excel on Chinese Windows opens it as UTF-8; formula-looking cells are defused. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    let s = v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const TABLES = ['items', 'channels', 'orgs', 'columns', 'days'] as const;
export type TableName = (typeof TABLES)[number];

/** A dashboard table as CSV. */
export function dashboardCsv(d: Dashboard, table: TableName): string {
  const head = ['阅读', '读者（按日去重合计）', '分享/转发', '短链点击'];
  const rows = (list: Row[]) => list.map((r) => [r.label, r.views, r.uniques, r.shares, r.clicks]);
  switch (table) {
    case 'items':
      return toCsv(['稿件', '稿件 ID', ...head], d.topItems.map((r) => [r.label, r.itemId, r.views, r.uniques, r.shares, r.clicks]));
    case 'channels':
      return toCsv(['渠道', ...head], rows(d.byChannel));
    case 'orgs':
      return toCsv(['组织', ...head], rows(d.byOrg));
    case 'columns':
      return toCsv(['栏目', ...head], rows(d.byColumn));
    case 'days':
      return toCsv(['日期', '阅读', '读者', '分享/转发'], d.byDay.map((r) => [r.day, r.views, r.uniques, r.shares]));
  }
}
