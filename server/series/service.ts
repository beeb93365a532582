import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deps } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { assertSafeId, newId } from '../ids.ts';
import type { Org } from '../orgs/schema.ts';
import { descendantIds } from '../orgs/service.ts';
import type { User } from '../users/schema.ts';
import type { Item } from '../content/schema.ts';
import { assertCanEdit } from '../content/permissions.ts';
import { itemsOf } from '../content/service.ts';
import { writePublishSnapshot } from '../content/snapshot.ts';
import { slugify, uniqueSlug } from '../content/slug.ts';
import { writeFileDurable } from '../store/durable-file.ts';
import type { CreateSeries, PublishedSeries, Series, SeriesMember, SeriesWithItems, UpdateSeries } from './schema.ts';

export const seriesOf = (deps: Deps) => deps.store.collection<Series>('series');
export const publishedSeriesDir = (dataDir: string) => join(dataDir, 'published', 'series');

/** Site path of a series page. */
export const seriesPath = (slug: string) => `/series/${slug}/`;

const member = (item: Item): SeriesMember => ({ id: item.id, kind: item.kind, title: item.title, status: item.status, slug: item.slug, seriesOrder: item.seriesOrder ?? 0 });

/** Items of a series in their order (ties by id, so the order is stable). */
export async function seriesItems(deps: Deps, seriesId: string): Promise<Item[]> {
  const items = (await itemsOf(deps).query({ where: { seriesId } })).records;
  return items.sort((a, b) => (a.seriesOrder ?? 0) - (b.seriesOrder ?? 0) || a.id.localeCompare(b.id));
}

export async function getSeries({ deps, id }: { deps: Deps; id: string }): Promise<SeriesWithItems> {
  const series = await seriesOf(deps).get(id);
  if (!series) throw new NotFoundError(`系列 ${id} 不存在`);
  return { ...series, items: (await seriesItems(deps, id)).map(member) };
}

/** Every series, newest first, with its item count. */
export async function listSeries({ deps, org }: { deps: Deps; org?: string }): Promise<{ series: Array<Series & { itemCount: number }> }> {
  const all = (await seriesOf(deps).query({ where: { orgId: org } })).records;
  const counts = new Map<string, number>();
  for (const i of await itemsOf(deps).list((i) => Boolean(i.seriesId))) counts.set(i.seriesId!, (counts.get(i.seriesId!) ?? 0) + 1);
  all.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  return { series: all.map((s) => ({ ...s, itemCount: counts.get(s.id) ?? 0 })) };
}

async function assertSlugFree(deps: Deps, slug: string, exceptId?: string): Promise<void> {
  if ((await seriesOf(deps).query({ where: { slug }, filter: (s) => s.id !== exceptId, limit: 0 })).total) throw new ConflictError(`slug: 地址 ${slug} 已被其他系列使用`);
}

/** Checks that every listed item may join the series; returns them in the given order. */
async function checkMembers(deps: Deps, series: Pick<Series, 'id' | 'orgId'>, itemIds: string[]): Promise<Item[]> {
  const allowedOrgs = await descendantIds({ deps, id: series.orgId });
  const out: Item[] = [];
  for (const [i, id] of itemIds.entries()) {
    const item = await itemsOf(deps).get(id);
    if (!item) throw ValidationError.field(`itemIds.${i}`, `稿件 ${id} 不存在`);
    if (!allowedOrgs.has(item.orgId)) throw ValidationError.field(`itemIds.${i}`, `稿件「${item.title}」属于组织 ${item.orgId}，不在系列所属组织 ${series.orgId} 及其下级范围内`);
    if (item.seriesId && item.seriesId !== series.id) {
      const other = await seriesOf(deps).get(item.seriesId);
      throw new ConflictError(`itemIds.${i}: 稿件「${item.title}」已属于系列「${other?.title ?? item.seriesId}」，请先从该系列移除`);
    }
    out.push(item);
  }
  return out;
}

/**
 * Gives the listed items `seriesId` and `seriesOrder` 1, 2, 3… and takes the series off items no
 * longer listed. Membership is not content: published items change without a correction note,
 * and their snapshots are rewritten so the site shows the new order.
 */
async function applyMembers(deps: Deps, actor: User, series: Series, members: Item[]): Promise<string[]> {
  const wanted = new Map(members.map((m, i) => [m.id, i + 1]));
  const current = await seriesItems(deps, series.id);
  const touched: Item[] = [];
  for (const item of [...current.filter((i) => !wanted.has(i.id)), ...members]) {
    const order = wanted.get(item.id);
    const fresh = await itemsOf(deps).get(item.id);
    if (!fresh || (fresh.seriesId === (order ? series.id : undefined) && fresh.seriesOrder === order)) continue;
    const updated = await itemsOf(deps).update(item.id, undefined, (it) => {
      const next = { ...it } as Item;
      if (order) Object.assign(next, { seriesId: series.id, seriesOrder: order });
      else {
        delete next.seriesId;
        delete next.seriesOrder;
      }
      return next;
    });
    await deps.store.audit.append({ actor: actor.id, action: 'item.series', target: { type: 'item', id: item.id }, afterVersion: updated.version, data: { seriesId: order ? series.id : null, seriesOrder: order ?? null } });
    touched.push(updated);
  }
  for (const item of touched) if (item.status === 'published' || item.status === 'retracted') await writePublishSnapshot(deps, item);
  return touched.map((i) => i.id);
}

/** Writes the public part of a series for the site build. */
export async function writeSeriesSnapshot(deps: Deps, series: Series): Promise<PublishedSeries> {
  const org = await deps.store.collection<Org>('orgs').get(series.orgId);
  const snapshot: PublishedSeries = {
    id: series.id,
    slug: series.slug,
    title: series.title,
    description: series.description,
    ...(series.cover ? { cover: series.cover } : {}),
    orgId: series.orgId,
    orgName: org?.name ?? series.orgId,
    updatedAt: series.updatedAt,
    url: seriesPath(series.slug),
  };
  const dir = publishedSeriesDir(deps.config.dataDir);
  await mkdir(dir, { recursive: true });
  await writeFileDurable(join(dir, `${assertSafeId(series.id)}.json`), JSON.stringify(snapshot));
  return snapshot;
}

async function announce(deps: Deps, series: Series, before: Series | undefined, touched: string[]): Promise<void> {
  await writeSeriesSnapshot(deps, series);
  const members = await seriesItems(deps, series.id);
  const published = members.filter((i) => i.status === 'published' || i.status === 'retracted').map((i) => i.id);
  await deps.events.emit('series.changed', { seriesId: series.id, slugs: [...new Set([series.slug, before?.slug].filter((s): s is string => Boolean(s)))], itemIds: [...new Set([...published, ...touched])] });
}

export async function createSeries({ deps, actor, input }: { deps: Deps; actor: User; input: CreateSeries }): Promise<SeriesWithItems> {
  const orgId = input.orgId ?? actor.orgId;
  assertCanEdit(actor, { orgId }, '创建系列');
  if (!(await deps.store.collection<Org>('orgs').get(orgId))) throw ValidationError.field('orgId', `组织 ${orgId} 不存在`);
  let slug = input.slug;
  if (slug) await assertSlugFree(deps, slug);
  else {
    const taken = new Set((await seriesOf(deps).list()).map((s) => s.slug));
    slug = await uniqueSlug(slugify(input.title), (s) => taken.has(s));
  }
  const id = newId('se');
  const members = input.itemIds ? await checkMembers(deps, { id, orgId }, input.itemIds) : [];
  const series = await seriesOf(deps).insert({ id, slug, title: input.title, description: input.description, ...(input.cover ? { cover: input.cover } : {}), orgId, createdBy: actor.id });
  await deps.store.audit.append({ actor: actor.id, action: 'series.create', target: { type: 'series', id }, afterVersion: series.version, data: { title: series.title } });
  const touched = await applyMembers(deps, actor, series, members);
  await announce(deps, series, undefined, touched);
  return getSeries({ deps, id });
}

export async function updateSeries({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: UpdateSeries }): Promise<SeriesWithItems> {
  const current = await seriesOf(deps).get(id);
  if (!current) throw new NotFoundError(`系列 ${id} 不存在`);
  assertCanEdit(actor, current, '修改系列');
  if (input.version !== current.version) throw new ConflictError(`version: 系列已被他人修改（当前版本 ${current.version}，你提交的是 ${input.version}），请刷新后再改`);
  if (input.slug && input.slug !== current.slug) await assertSlugFree(deps, input.slug, id);
  const members = input.itemIds ? await checkMembers(deps, current, input.itemIds) : undefined;
  const series = await seriesOf(deps).update(id, input.version, (s) => {
    const next: Series = { ...s };
    if (input.title !== undefined) next.title = input.title;
    if (input.description !== undefined) next.description = input.description;
    if (input.slug !== undefined) next.slug = input.slug;
    if (input.cover === null) delete next.cover;
    else if (input.cover !== undefined) next.cover = input.cover;
    return next;
  });
  const fields = Object.keys(input).filter((k) => k !== 'version' && input[k as keyof UpdateSeries] !== undefined);
  await deps.store.audit.append({ actor: actor.id, action: 'series.update', target: { type: 'series', id }, beforeVersion: input.version, afterVersion: series.version, data: { fields } });
  const touched = members ? await applyMembers(deps, actor, series, members) : [];
  await announce(deps, series, current, touched);
  return getSeries({ deps, id });
}
