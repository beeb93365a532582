import { createHash } from 'node:crypto';
import { isSafeUrl } from '../security/url.ts';
import { stripXmlInvalid } from '../security/text.ts';
import { z } from 'zod';
import type { Deps } from '../context.ts';
import type { User } from '../users/schema.ts';
import type { Item } from '../content/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { hasRole } from '../auth/permissions.ts';
import { itemsOf } from '../content/service.ts';
import { isXlsx, readCsv, readXlsx, type Sheet } from './sheet.ts';
import { figuresChange, itemPath, linksOf, reachOf } from './service.ts';
import type { BatchChange } from '../store/types.ts';
import type { Metrics } from './schema.ts';

export const PLATFORMS = ['wechat', 'weibo'] as const;
export type Platform = (typeof PLATFORMS)[number];

type Field = 'title' | 'url' | 'day' | 'sharers' | keyof Metrics;

/** Column names as the platforms' exports spell them (WeChat 图文分析, Weibo 数据助手), and plain ones. */
const HEADERS: Record<string, Field> = {
  文章标题: 'title', 标题: 'title', 图文标题: 'title', 内容标题: 'title', 微博内容: 'title', 微博正文: 'title', 博文内容: 'title', 内容: 'title', title: 'title',
  原文链接: 'url', 文章链接: 'url', 图文链接: 'url', 链接: 'url', 微博链接: 'url', 博文链接: 'url', 网址: 'url', url: 'url', link: 'url',
  日期: 'day', 时间: 'day', 统计日期: 'day', 发表时间: 'day', 发布时间: 'day', 发表日期: 'day', 发布日期: 'day', date: 'day', day: 'day',
  阅读次数: 'views', 总阅读次数: 'views', 阅读数: 'views', 阅读量: 'views', 图文阅读次数: 'views', 浏览量: 'views', 播放量: 'views', 播放次数: 'views', 曝光量: 'views', reads: 'views', views: 'views',
  阅读人数: 'uniques', 总阅读人数: 'uniques', 图文阅读人数: 'uniques', 观看人数: 'uniques', readers: 'uniques', uniques: 'uniques',
  分享次数: 'shares', 总分享次数: 'shares', 分享数: 'shares', 分享: 'shares', shares: 'shares', 分享人数: 'sharers', 总分享人数: 'sharers',
  收藏: 'favorites', 收藏次数: 'favorites', 收藏人数: 'favorites', 收藏数: 'favorites', favorites: 'favorites',
  点赞: 'likes', 点赞数: 'likes', 点赞次数: 'likes', 在看: 'likes', 在看数: 'likes', 在看人数: 'likes', 赞: 'likes', likes: 'likes',
  评论: 'comments', 评论数: 'comments', 留言: 'comments', 留言数: 'comments', 留言次数: 'comments', comments: 'comments',
  转发: 'reposts', 转发数: 'reposts', 转发次数: 'reposts', reposts: 'reposts',
};
const LABEL: Record<Field, string> = { sharers: '分享人数', title: '标题', url: '链接', day: '日期', views: '阅读', uniques: '阅读人数', shares: '分享', likes: '点赞/在看', comments: '评论', favorites: '收藏', reposts: '转发', clicks: '点击' };

const norm = (h: string) => h.replace(/[\s\uFEFF"'（(].*?[)）]|[\s\uFEFF"']/g, '').toLowerCase();
const fieldOf = (h: string): Field | undefined => HEADERS[norm(h)] ?? HEADERS[h.trim()];
const isHeader = (cells: string[]) => cells.some((c) => ['title', 'url'].includes(fieldOf(c) ?? '')) && cells.some((c) => fieldOf(c) === 'views' || fieldOf(c) === 'reposts');

/** A platform figure: 1,234 / 1.2万 / 10万+ (WeChat's floor) / blank or - as 0. */
export function parseCount(text: string): number | undefined {
  const t = text.replace(/[,，\s]/g, '');
  if (t === '' || t === '-' || t === '--') return 0;
  const m = /^(\d+(?:\.\d+)?)(万|w|W|亿)?\+?$/.exec(t);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] === '亿' ? 1e8 : m[2] ? 1e4 : 1);
  return Math.round(n);
}

/** 2026-11-24, 2026/11/24, 2026年11月24日, 20261124, with or without a time → YYYY-MM-DD. */
export function parseDay(text: string): string | undefined {
  const t = text.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return undefined;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day ? undefined : day;
}

/** Titles compared without spaces, punctuation, brackets or emoji. */
export function titleKey(title: string): string {
  return title.normalize('NFKC').replace(/[\p{P}\p{S}\p{Z}\p{Cc}]/gu, '').toLowerCase();
}

export const UnmatchedSchema = z.object({
  id: z.string(),
  platform: z.enum(PLATFORMS),
  title: z.string(),
  url: z.string(),
  rows: z.array(z.object({ day: z.string(), figures: z.record(z.string(), z.number()) })),
  lines: z.array(z.number()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Unmatched = z.infer<typeof UnmatchedSchema>;

/** A hand-made match, remembered so the next import of the same post matches by itself. */
interface Alias {
  id: string;
  itemId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const ImportResultSchema = z.object({
  platform: z.enum(PLATFORMS),
  rows: z.number(),
  matched: z.number(),
  written: z.number(),
  unmatched: z.array(z.object({ id: z.string(), title: z.string(), url: z.string(), lines: z.array(z.number()) })),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

const unmatchedOf = (deps: Deps) => deps.store.collection<Unmatched>('reach-unmatched');
const aliasesOf = (deps: Deps) => deps.store.collection<Alias>('reach-aliases');
const postKey = (platform: string, url: string, title: string) => createHash('sha256').update(`${platform}\0${url || titleKey(title)}`).digest('hex').slice(0, 24);

interface Matcher {
  match(url: string, title: string, platform: Platform): Promise<Item | undefined>;
}

async function buildMatcher(deps: Deps): Promise<Matcher> {
  const items = await itemsOf(deps).list((i) => i.status === 'published' || i.status === 'retracted');
  const byPath = new Map(items.map((i) => [itemPath(i, deps), i]));
  const byId = new Map(items.map((i) => [i.id, i]));
  const byTitle = new Map<string, Item>();
  for (const i of items) for (const t of [i.title, i.variants?.wechat?.title]) if (t) byTitle.set(titleKey(t), i);
  // a Weibo post starts like the item's Weibo text; its first 20 characters are distinctive enough
  const weiboTexts = items.flatMap((i) => (i.variants?.weibo?.text ? [[titleKey(i.variants.weibo.text).slice(0, 20), i] as const] : [])).filter(([k]) => k.length >= 8);
  const ours = (u: string): Item | undefined => {
    try {
      return byPath.get(decodeURI(new URL(u).pathname).replace(/\/?$/, '/'));
    } catch {
      return undefined;
    }
  };
  const links = new Map((await linksOf(deps).list()).map((l) => [l.id, l.itemId]));
  const longTitles = [...byTitle].filter(([k]) => k.length >= 6);
  return {
    async match(url, title, platform) {
      const alias = await aliasesOf(deps).get(postKey(platform, url, title));
      if (alias && byId.has(alias.itemId)) return byId.get(alias.itemId);
      for (const m of `${url} ${title}`.matchAll(/\/r\/([A-Za-z0-9]{4,16})/g)) {
        const id = links.get(m[1]!);
        if (id && byId.has(id)) return byId.get(id);
      }
      for (const u of [url, ...(title.match(/https?:\/\/[^\s，。）)】]+/g) ?? [])]) {
        const found = u ? ours(u) : undefined;
        if (found) return found;
      }
      const key = titleKey(title);
      if (key && byTitle.has(key)) return byTitle.get(key);
      // a Weibo post usually quotes the title inside longer text: 【暴雨停课通知】明日全市中小学停课…
      if (platform === 'weibo' && key) {
        const byText = weiboTexts.filter(([k]) => key.includes(k));
        if (byText.length === 1) return byText[0]![1];
        const hits = longTitles.filter(([k]) => key.includes(k));
        if (new Set(hits.map(([, i]) => i.id)).size === 1) return hits[0]![1];
      }
      return undefined;
    },
  };
}

function assertCanImport(user: User): void {
  if (!hasRole(user, 'editor') && !hasRole(user, 'admin')) throw new ForbiddenError('导入传播数据需要「编辑」或「管理员」角色');
}

function guessPlatform(header: string[]): Platform {
  return header.some((h) => /微博|转发/.test(h)) ? 'weibo' : 'wechat';
}

/**
 * Imports a WeChat or Weibo statistics export (CSV in UTF-8 or GB18030, or XLSX). Matched rows replace the
 * figures this post gave for that item and day, so importing the same file twice changes nothing; the rest are
 * kept as unmatched posts for an editor to match by hand.
 */
export async function importReach({ deps, actor, content, platform }: { deps: Deps; actor: User; content: Uint8Array; platform?: Platform | undefined }): Promise<ImportResult> {
  assertCanImport(actor);
  if (content.byteLength === 0) throw ValidationError.field('file', '文件为空');
  const sheet: Sheet = isXlsx(content) ? await readXlsx(content, isHeader) : readCsv(content, isHeader);
  const fields = sheet.header.map(fieldOf);
  if (!fields.includes('title') && !fields.includes('url')) throw ValidationError.field('file', `表头里没有“文章标题”或“链接”列（读到：${sheet.header.slice(0, 12).join('、') || '空'}）`);
  if (!fields.includes('day')) throw ValidationError.field('file', '表头里没有“日期”列');
  const which = platform ?? guessPlatform(sheet.header);
  const channel = which;
  const matcher = await buildMatcher(deps);
  const result: ImportResult = { platform: which, rows: 0, matched: 0, written: 0, unmatched: [], errors: [] };
  // rows of one post and day add up (a file may split a day); then each is written once
  const matched = new Map<string, { item: Item; day: string; key: string; figures: Partial<Metrics> }>();
  const unmatched = new Map<string, { title: string; url: string; lines: number[]; rows: Map<string, Partial<Metrics>> }>();
  for (const { line, cells } of sheet.rows) {
    const row: Partial<Record<Field, string>> = {};
    fields.forEach((f, i) => {
      if (f && cells[i] !== undefined && cells[i] !== '') row[f] = row[f] && f !== 'title' && f !== 'url' && f !== 'day' ? String((parseCount(row[f]!) ?? 0) + (parseCount(cells[i]!) ?? 0)) : cells[i]!;
    });
    if (!row.title && !row.url) continue; // totals and blank lines
    if (/^(合计|总计|汇总)$/.test(row.title ?? '')) continue;
    result.rows++;
    const day = parseDay(row.day ?? '');
    if (!day) {
      result.errors.push({ line, message: `日期: 无法识别“${(row.day ?? '').slice(0, 30)}”，应为 2026-11-24 这样的日期` });
      continue;
    }
    // 分享人数 stands in only when the export has no 分享次数
    if (row.shares === undefined && row.sharers !== undefined) row.shares = row.sharers;
    const figures: Partial<Metrics> = {};
    let bad: string | undefined;
    for (const f of ['views', 'uniques', 'shares', 'likes', 'comments', 'favorites', 'reposts'] as const) {
      if (row[f] === undefined) continue;
      const n = parseCount(row[f]!);
      if (n === undefined) bad ??= `${LABEL[f]}: “${row[f]!.slice(0, 20)}”不是数字`;
      else figures[f] = n;
    }
    if (bad) {
      result.errors.push({ line, message: bad });
      continue;
    }
    // the title is shown in the workbench and compared, never markup; a link that is not http(s) (javascript:, data:) is dropped:
    // it is shown as a link to whoever matches the row
    const title = stripXmlInvalid(row.title ?? '').slice(0, 300);
    const rawUrl = (row.url ?? '').trim().slice(0, 1000);
    const url = isSafeUrl(rawUrl) ? rawUrl : '';
    const item = await matcher.match(url, title, which);
    const key = postKey(which, url, title);
    if (!item) {
      const u = unmatched.get(key) ?? { title, url, lines: [] as number[], rows: new Map<string, Partial<Metrics>>() };
      u.lines.push(line);
      u.rows.set(day, addFigures(u.rows.get(day) ?? {}, figures));
      unmatched.set(key, u);
      continue;
    }
    result.matched++;
    const slot = `${item.id}~${day}~${key}`;
    const prev = matched.get(slot);
    matched.set(slot, { item, day, key, figures: addFigures(prev?.figures ?? {}, figures) });
  }
  // One batch per collection, not one write per row: on lowdb a write is an fsync'd file, and 4,000 of them
  // took 20 s. The answer waits for both batches, so every row it reports is durable.
  const figures = [...matched.values()].map((m) => figuresChange({ item: m.item, day: m.day, channel, source: 'import', figures: m.figures, key: m.key }));
  const posts: Array<BatchChange<Unmatched>> = [...unmatched].map(([id, u]) => {
    const rows = [...u.rows].map(([day, f]) => ({ day, figures: f as Record<string, number> }));
    return { id, change: (cur) => (cur ? { ...cur, title: u.title, url: u.url, lines: u.lines, rows: mergeRows(cur.rows, rows) } : { id, platform: which, title: u.title, url: u.url, lines: u.lines, rows }) };
  });
  result.written = figures.length;
  for (const [id, u] of unmatched) result.unmatched.push({ id, title: u.title, url: u.url, lines: u.lines });
  // one transaction on PostgreSQL: the figures, the posts and the audit line together
  await deps.store.transaction(async () => {
    await reachOf(deps).upsertMany(figures);
    await unmatchedOf(deps).upsertMany(posts);
    await deps.store.audit.append({ actor: actor.id, action: 'reach.import', target: { type: 'reach', id: which }, data: { rows: result.rows, matched: result.matched, unmatched: result.unmatched.length, errors: result.errors.length } });
  });
  return result;
}

function addFigures(a: Partial<Metrics>, b: Partial<Metrics>): Partial<Metrics> {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out as Partial<Metrics>;
}

function mergeRows(old: Unmatched['rows'], fresh: Unmatched['rows']): Unmatched['rows'] {
  const byDay = new Map(old.map((r) => [r.day, r]));
  for (const r of fresh) byDay.set(r.day, r);
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}

export async function listUnmatched({ deps }: { deps: Deps }): Promise<Unmatched[]> {
  return (await unmatchedOf(deps).list()).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

/** Matches an unmatched post to an item by hand: its figures are written and later imports match it by themselves. */
export async function matchUnmatched({ deps, actor, id, itemId }: { deps: Deps; actor: User; id: string; itemId: string }): Promise<{ written: number }> {
  assertCanImport(actor);
  const post = await unmatchedOf(deps).get(id);
  if (!post) throw new NotFoundError(`id: 没有这条未匹配记录 ${id}`);
  const item = await itemsOf(deps).get(itemId);
  if (!item) throw ValidationError.field('itemId', `稿件 ${itemId} 不存在`);
  if (item.status !== 'published' && item.status !== 'retracted') throw ValidationError.field('itemId', `稿件《${item.title}》尚未发布`);
  await reachOf(deps).upsertMany(post.rows.map((r) => figuresChange({ item, day: r.day, channel: post.platform, source: 'import', figures: r.figures, key: id })));
  if (await aliasesOf(deps).get(id)) await aliasesOf(deps).update(id, undefined, (a) => ({ ...a, itemId }));
  else await aliasesOf(deps).insert({ id, itemId });
  await unmatchedOf(deps).remove(id);
  await deps.store.audit.append({ actor: actor.id, action: 'reach.match', target: { type: 'item', id: itemId }, data: { post: id, title: post.title.slice(0, 80) } });
  return { written: post.rows.length };
}
