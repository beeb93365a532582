import type { Deps } from '../context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { getItem, itemsOf, revisionsOf, updateItem } from '../content/service.ts';
import { writePublishSnapshot } from '../content/snapshot.ts';
import type { Item, UpdateItem } from '../content/schema.ts';
import { allowedTransitions, transitionItem } from '../review/service.ts';
import { parseInput } from '../validate.ts';
import { publicUser, usersOf } from '../users/service.ts';
import type { User } from '../users/schema.ts';
import { parseChinaTime, type Schedule } from './schema.ts';
import { submitIssues } from './submit-check.ts';

/** What would stop the item at 提交审核 now (strict schema of its kind and channel rules). */
export async function checkItem({ deps, id, actor }: { deps: Deps; id: string; actor: User }) {
  return { issues: submitIssues(await getItem({ deps, id, actor }), { kinds: deps.kinds }) };
}

/** Restores a revision's content as a new revision (title, body and the other editable fields; never the slug). */
export async function restoreRevision({ deps, actor, id, revisionId, version }: { deps: Deps; actor: User; id: string; revisionId: string; version: number }): Promise<Item> {
  const revision = await revisionsOf(deps).get(revisionId);
  if (!revision || revision.itemId !== id) throw new NotFoundError(`revisionId: 稿件 ${id} 没有修订 ${revisionId}`);
  const item = await getItem({ deps, id });
  const content = (revision.content ?? {}) as Record<string, unknown>;
  const fields: Record<string, unknown> = { version, title: revision.title, body: revision.body };
  // the shared fields and the item kind's own, as the revision kept them (never the slug: it may be live)
  const own = Object.keys(deps.kinds.get(item.kind).schemas.update);
  for (const key of ['summary', 'tags', 'variants', ...own]) if (key in content && key in item) fields[key] = content[key];
  if (revision.content) fields.cover = content.cover ?? null;
  const input = parseInput(deps.kinds.schemas.update, fields) as UpdateItem;
  return updateItem({ deps, actor, id, input, restoredFrom: { id: revision.id, itemVersion: revision.itemVersion } });
}

async function assertMayPublish(deps: Deps, actor: User, item: Item, action: string): Promise<void> {
  if (item.status !== 'approved') throw new ConflictError(`status: 只有「已通过」的稿件可以${action}`);
  if (!(await allowedTransitions({ deps, actor, item })).some((t) => t.to === 'published')) throw new ForbiddenError(`${action}需要发布这篇稿件的权限`);
}

/** Gives an approved item a publishing time; the scheduler publishes it then (as the user who scheduled it). */
export async function scheduleItem({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: Schedule }): Promise<Item> {
  const current = await getItem({ deps, id });
  await assertMayPublish(deps, actor, current, '定时发布');
  const at = parseChinaTime(input.at);
  const now = deps.clock();
  if (Number.isNaN(at.getTime())) throw ValidationError.field('at', '发布时间不是有效的日期');
  if (at.getTime() <= now.getTime()) throw ValidationError.field('at', '发布时间必须晚于现在；要立即发布请点「发布」');
  if (at.getTime() - now.getTime() > 366 * 86_400_000) throw ValidationError.field('at', '发布时间最多设在一年以后');
  const item = await itemsOf(deps).update(id, input.version, (item) => {
    if (item.status !== 'approved') throw new ConflictError('status: 稿件状态已变化，请刷新后重试');
    return { ...item, scheduledAt: at.toISOString(), scheduledBy: actor.id };
  });
  await deps.store.audit.append({ actor: actor.id, action: 'item.schedule', target: { type: 'item', id }, beforeVersion: current.version, afterVersion: item.version, data: { at: item.scheduledAt } });
  return item;
}

export async function cancelSchedule({ deps, actor, id, version }: { deps: Deps; actor: User; id: string; version: number }): Promise<Item> {
  const current = await getItem({ deps, id });
  await assertMayPublish(deps, actor, current, '取消定时发布');
  if (!current.scheduledAt) throw new ConflictError('scheduledAt: 这篇稿件没有设定时发布');
  const item = await itemsOf(deps).update(id, version, (item) => {
    const { scheduledAt: _a, scheduledBy: _b, ...rest } = item;
    return rest as Item;
  });
  await deps.store.audit.append({ actor: actor.id, action: 'item.unschedule', target: { type: 'item', id }, beforeVersion: current.version, afterVersion: item.version, data: { at: current.scheduledAt } });
  return item;
}

/**
 * Publishes every approved item whose time has come (also those that fell due while the server
 * was down). A schedule that can no longer run (the scheduler lost the right to publish) is
 * dropped, audited and logged rather than retried forever.
 */
export async function publishDue({ deps, log = console.error }: { deps: Deps; log?: (message: string) => void }): Promise<{ published: string[]; failed: string[] }> {
  const now = deps.clock().getTime();
  const due = (await itemsOf(deps).query({ where: { status: 'approved' }, filter: (i) => Boolean(i.scheduledAt) && Date.parse(i.scheduledAt!) <= now })).records;
  due.sort((a, b) => a.scheduledAt!.localeCompare(b.scheduledAt!));
  const published: string[] = [];
  const failed: string[] = [];
  for (const item of due) {
    try {
      const stored = item.scheduledBy ? await usersOf(deps).get(item.scheduledBy) : undefined;
      if (!stored || !stored.active) throw new ForbiddenError('设定定时发布的用户已不存在或已停用');
      await transitionItem({ deps, actor: publicUser(stored), id: item.id, input: { to: 'published', version: item.version, comment: '定时发布' } });
      published.push(item.id);
    } catch (error) {
      if (error instanceof ConflictError && /version|版本/.test(error.message)) continue; // changed meanwhile: the next tick looks again
      failed.push(item.id);
      log(`[lianxin] 定时发布 ${item.id} 失败：${error instanceof Error ? error.message : String(error)}`);
      await dropSchedule(deps, item.id, error instanceof Error ? error.message : String(error)).catch(() => undefined);
    }
  }
  return { published, failed };
}

async function dropSchedule(deps: Deps, id: string, reason: string): Promise<void> {
  const item = await itemsOf(deps).update(id, undefined, (item) => {
    const { scheduledAt: _a, scheduledBy: _b, ...rest } = item;
    return rest as Item;
  });
  await deps.store.audit.append({ actor: 'system', action: 'item.schedule-failed', target: { type: 'item', id }, afterVersion: item.version, data: { reason } });
}

/**
 * An admin moves a published item to a new address; the old one keeps answering with a redirect
 * (the site writes a redirect page for every former slug). Editors change slugs only before publishing.
 */
export async function changePublishedSlug({ deps, actor, id, slug, version }: { deps: Deps; actor: User; id: string; slug: string; version: number }): Promise<Item> {
  if (!actor.roles.includes('admin')) throw new ForbiddenError('已发布稿件的地址只能由管理员修改');
  const current = await getItem({ deps, id });
  if (current.status !== 'published') throw new ConflictError('status: 只有已发布的稿件需要由管理员改地址；草稿的地址在编辑页修改');
  if (slug === current.slug) throw ValidationError.field('slug', '新地址与当前地址相同');
  const taken = await itemsOf(deps).query({ filter: (i) => i.id !== id && (i.slug === slug || ((i as { previousSlugs?: string[] }).previousSlugs ?? []).includes(slug)), limit: 0 });
  if (taken.total) throw new ConflictError(`slug: 地址 ${slug} 已被其他稿件使用`);
  const item = await itemsOf(deps).update(id, version, (item) => {
    const previous = [...new Set([...((item as { previousSlugs?: string[] }).previousSlugs ?? []), item.slug])].filter((s) => s !== slug);
    return { ...item, slug, previousSlugs: previous } as Item;
  });
  await deps.store.audit.append({ actor: actor.id, action: 'item.slug', target: { type: 'item', id }, beforeVersion: current.version, afterVersion: item.version, data: { from: current.slug, to: slug } });
  await writePublishSnapshot(deps, item);
  await deps.events.emit('item.corrected', { item });
  return item;
}
