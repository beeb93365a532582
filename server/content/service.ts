import type { Deps } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Org } from '../orgs/schema.ts';
import type { User } from '../users/schema.ts';
import { assertCanEdit, assertCanReadItem, editorsSinceApproval } from './permissions.ts';
import { hasRole } from '../auth/permissions.ts';
import { descendantIds } from '../orgs/service.ts';
import { UpdateItemBaseFields, type CreateItem, type Item, type ListItemsQuery, type Revision, type UpdateItem } from './schema.ts';
import { slugify, uniqueSlug } from './slug.ts';
import { docText } from './tiptap.ts';
import { assertGroupsAnswerable } from '../groups/answerable.ts';
import { assertReadyForReview } from '../editorial/submit-check.ts';
import { checkCoverCrop } from '../media/crop.ts';
import type { CoverCropInput } from '../media/crop-rules.ts';

export const itemsOf = (deps: Deps) => deps.store.collection<Item>('items');
export const revisionsOf = (deps: Deps) => deps.store.collection<Revision>('revisions');

const EDITABLE: ReadonlyArray<Item['status']> = ['draft', 'changes-requested'];

/** The item; with `actor`, only when that user may read it (drafts are scoped like concerns), else 404. */
export async function getItem({ deps, id, actor }: { deps: Deps; id: string; actor?: User }): Promise<Item> {
  const item = await itemsOf(deps).get(id);
  if (!item) throw new NotFoundError(`稿件 ${id} 不存在`);
  if (actor) await assertCanReadItem(deps, actor, item);
  return item;
}

/** A sync predicate for the items `actor` may read (published and retracted ones for everybody). */
async function readableBy(deps: Deps, actor: User): Promise<(item: Item) => boolean> {
  if (hasRole(actor, 'admin')) return () => true;
  const subtree = hasRole(actor, 'reviewer') ? await descendantIds({ deps, id: actor.orgId }) : new Set<string>();
  const editor = hasRole(actor, 'editor');
  return (item) => item.status === 'published' || item.status === 'retracted' || (editor && item.orgId === actor.orgId) || subtree.has(item.orgId);
}

/** The fields a list row carries: no body, no history, no channel texts or kind payloads (GET /api/items/:id has the full record). */
const SUMMARY_FIELDS = ['id', 'kind', 'slug', 'title', 'summary', 'tags', 'cover', 'groupIds', 'orgId', 'authorId', 'lastEditorId', 'status', 'version', 'createdAt', 'updatedAt', 'publishedAt', 'retraction', 'seriesId', 'seriesOrder', 'pendingCorrection', 'scheduledAt', 'assigneeId'] as const;
export type ItemSummary = Pick<Item, Extract<(typeof SUMMARY_FIELDS)[number], keyof Item>> & { excerpt: string };

/** One list row: the summary fields present on the item, and the first 120 characters of the body's text. */
export function itemSummary(item: Item): ItemSummary {
  const row: Record<string, unknown> = {};
  for (const field of SUMMARY_FIELDS) if ((item as Record<string, unknown>)[field] !== undefined) row[field] = (item as Record<string, unknown>)[field];
  row.excerpt = docText(item.body).slice(0, 120);
  return row as ItemSummary;
}

/** The item list's order; one function so the store can keep the order instead of sorting per request. */
const newestEditFirst = (a: Item, b: Item) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function listItems({ deps, query, actor }: { deps: Deps; query: ListItemsQuery; actor?: User }): Promise<{ items: ItemSummary[]; total: number; page: number; pageSize: number }> {
  const q = query.q?.trim().toLowerCase();
  const readable = actor && !hasRole(actor, 'admin') ? await readableBy(deps, actor) : undefined;
  const { records, total } = await itemsOf(deps).query({
    where: { kind: query.kind as Item['kind'] | undefined, status: query.status, orgId: query.org, authorId: query.author },
    // drafts are scoped like concerns; published and retracted items are readable by everyone
    filter:
      readable || query.tag || q
        ? (item) =>
            (!readable || readable(item)) &&
            (!query.tag || item.tags.includes(query.tag)) &&
            (!q || item.title.toLowerCase().includes(q) || item.summary.toLowerCase().includes(q) || docText(item.body).toLowerCase().includes(q))
        : undefined,
    sort: newestEditFirst,
    // the same order as data, so PostgreSQL sorts and pages in SQL when no filter is left
    order: [['updatedAt', 'desc'], ['id', 'asc']],
    offset: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
  });
  const items = records.map(itemSummary);
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** The editable fields a revision keeps besides title and body: the shared ones and the item kind's own (for the field diff and restore). */
const SHARED_REVISION_FIELDS = ['summary', 'tags', 'cover', 'coverCrop', 'variants', 'slug'];
function revisionContent(deps: Deps, item: Item): Record<string, unknown> {
  const own = Object.keys(deps.kinds.find(item.kind)?.schemas.update ?? {});
  return Object.fromEntries([...SHARED_REVISION_FIELDS, ...own].filter((f) => f in item).map((f) => [f, (item as Record<string, unknown>)[f]]));
}

/** Stores a copy of the item's content as it is now. */
export async function saveRevision(deps: Deps, item: Item, actorId: string, reason: string): Promise<void> {
  await revisionsOf(deps).insert({ id: newId('rev'), itemId: item.id, itemVersion: item.version, status: item.status, title: item.title, body: item.body, content: revisionContent(deps, item), actorId, reason });
}

async function freeSlug(deps: Deps, title: string, exceptId?: string): Promise<string> {
  const base = slugify(title);
  const { records } = await itemsOf(deps).query({ filter: (i) => i.id !== exceptId && i.slug.startsWith(base) });
  const taken = new Set(records.map((i) => i.slug));
  return uniqueSlug(base, (s) => taken.has(s));
}

export async function createItem({ deps, actor, input }: { deps: Deps; actor: User; input: CreateItem }): Promise<Item> {
  deps.kinds.get(input.kind);
  const orgId = input.orgId ?? actor.orgId;
  assertCanEdit(actor, { orgId }, '创建稿件');
  if (!(await deps.store.collection<Org>('orgs').get(orgId))) throw ValidationError.field('orgId', `组织 ${orgId} 不存在`);
  await assertGroupsAnswerable({ deps, orgId, groupIds: input.groupIds ?? [] });
  // a crop is checked against the cover it cuts, as on edit
  if (input.coverCrop) checkCoverCrop(deps.config.dataDir, input.cover, input.coverCrop as CoverCropInput); // defaults applied by the schema
  const { orgId: _org, ...fields } = input;
  const draft = {
    ...fields,
    id: newId('it'),
    slug: await freeSlug(deps, input.title),
    orgId,
    authorId: actor.id,
    lastEditorId: actor.id,
    status: 'draft',
    corrections: [],
    history: [{ at: deps.clock().toISOString(), actorId: actor.id, from: null, to: 'draft' }],
  } as unknown as Omit<Item, 'version' | 'createdAt' | 'updatedAt'>;
  // record, revision and audit line commit together (one transaction on PostgreSQL)
  return deps.store.transaction(async () => {
    const item = await itemsOf(deps).insert(draft);
    await saveRevision(deps, item, actor.id, 'create');
    await deps.store.audit.append({ actor: actor.id, action: 'item.create', target: { type: 'item', id: item.id }, afterVersion: item.version, data: { kind: item.kind, title: item.title } });
    return item;
  });
}

/** Edits an item. Drafts and sent-back items are edited freely; a published item only with a public correction note. */
export async function updateItem({ deps, actor, id, input, restoredFrom }: { deps: Deps; actor: User; id: string; input: UpdateItem; restoredFrom?: { id: string; itemVersion: number } }): Promise<Item> {
  const current = await getItem({ deps, id });
  assertCanEdit(actor, current);
  const published = current.status === 'published';
  if (!EDITABLE.includes(current.status) && !published) {
    throw new ConflictError(`status: 「${current.status}」状态的稿件不能修改；审核中的稿件请先撤回为草稿`);
  }
  if (published && !input.correction) throw ValidationError.field('correction', '修改已发布的稿件必须填写公开的更正说明');
  if (!published && input.correction) throw ValidationError.field('correction', '只有已发布的稿件需要更正说明');
  if (published && input.slug && input.slug !== current.slug) throw ValidationError.field('slug', '已发布稿件的地址不能修改');
  const kind = deps.kinds.get(current.kind);
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined || field in UpdateItemBaseFields || field in kind.schemas.update) continue;
    const owners = deps.kinds.ownersOf(field).map((k) => k.label);
    throw ValidationError.field(field, owners.length ? `只有${owners.join('、')}有这个字段，${kind.label}没有` : `${kind.label}没有这个字段`);
  }
  kind.checks.beforeUpdate(current, input);
  if (input.slug && input.slug !== current.slug && (await itemsOf(deps).query({ where: { slug: input.slug }, filter: (i) => i.id !== id, limit: 0 })).total) {
    throw new ConflictError(`slug: 地址 ${input.slug} 已被其他稿件使用`);
  }
  if (input.groupIds) await assertGroupsAnswerable({ deps, orgId: current.orgId, groupIds: input.groupIds });
  const membership = await seriesMembership(deps, current, input);
  const { version, correction, cover, coverCrop, seriesId: _series, seriesOrder: _order, ...changes } = input;
  const nextCover = cover === null ? undefined : (cover ?? current.cover);
  if (coverCrop) checkCoverCrop(deps.config.dataDir, nextCover, coverCrop);
  const at = deps.clock().toISOString();
  const editors = await editorsSinceApproval(deps, current);
  const item = await deps.store.transaction(async () => {
    const item = await itemsOf(deps).update(id, version, (item) => {
      const next = { ...item, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)), lastEditorId: actor.id } as Item;
      if (cover === null) delete next.cover;
      else if (cover !== undefined) next.cover = cover;
      // a crop belongs to one image: a new cover without a new crop starts uncropped
      if (coverCrop) next.coverCrop = coverCrop;
      else if (coverCrop === null || next.cover !== item.cover) delete next.coverCrop;
      next.editorsSinceApproval = [...new Set([...(item.editorsSinceApproval ?? editors), actor.id])];
      if (correction) {
        // a correction is a new revision that goes through review: the published snapshot stays live until a reviewer approves it
        next.corrections = [...item.corrections, { at, note: correction }];
        next.pendingCorrection = { at, by: actor.id, note: correction };
      }
      if (membership === null) {
        delete next.seriesId;
        delete next.seriesOrder;
      } else if (membership) Object.assign(next, membership);
      // drafts are saved leniently; what is already public must stay valid
      if (published) assertReadyForReview(next, { kinds: deps.kinds, channels: false });
      return next;
    });
    await saveRevision(deps, item, actor.id, restoredFrom ? `restore:${restoredFrom.itemVersion}` : correction ? 'correction' : 'edit');
    await deps.store.audit.append({
      actor: actor.id,
      action: restoredFrom ? 'item.restore' : correction ? 'item.correct' : 'item.update',
      target: { type: 'item', id },
      beforeVersion: version,
      afterVersion: item.version,
      data: { fields: Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined), ...(correction ? { correction, pendingReview: true } : {}), ...(restoredFrom ? { revisionId: restoredFrom.id, revisionVersion: restoredFrom.itemVersion } : {}) },
    });
    return item;
  });
  return item;
}

/**
 * The series an edit puts the item in: `null` to leave its series, the series and place to join
 * (the end unless `seriesOrder` says), undefined when the edit does not touch it. The series must
 * exist and belong to the item's org or one above it.
 */
async function seriesMembership(deps: Deps, item: Item, input: UpdateItem): Promise<{ seriesId: string; seriesOrder: number } | null | undefined> {
  const { seriesId, seriesOrder } = input as { seriesId?: string | null; seriesOrder?: number };
  if (seriesId === undefined && seriesOrder === undefined) return undefined;
  if (seriesId === null) return null;
  const id = seriesId ?? item.seriesId;
  if (!id) throw ValidationError.field('seriesOrder', '稿件不在任何系列中，请同时给出 seriesId');
  const series = await deps.store.collection<{ id: string; orgId: string; version: number; createdAt: string; updatedAt: string }>('series').get(id);
  if (!series) throw ValidationError.field('seriesId', `系列 ${id} 不存在`);
  if (!(await descendantIds({ deps, id: series.orgId })).has(item.orgId)) throw ValidationError.field('seriesId', `系列属于组织 ${series.orgId}，稿件所在组织 ${item.orgId} 不在其范围内`);
  if (seriesOrder !== undefined) return { seriesId: id, seriesOrder };
  if (item.seriesId === id && item.seriesOrder) return { seriesId: id, seriesOrder: item.seriesOrder };
  const members = (await itemsOf(deps).query({ where: { seriesId: id }, filter: (i) => i.id !== item.id })).records;
  return { seriesId: id, seriesOrder: Math.max(0, ...members.map((m) => m.seriesOrder ?? 0)) + 1 };
}

/** Deletes a draft (never anything that was submitted, published or retracted). */
export async function deleteItem({ deps, actor, id, version }: { deps: Deps; actor: User; id: string; version: number }): Promise<void> {
  const current = await getItem({ deps, id });
  assertCanEdit(actor, current, '删除稿件');
  if (!EDITABLE.includes(current.status)) throw new ConflictError(`status: 只能删除草稿或退回修改的稿件，当前为「${current.status}」`);
  await deps.store.transaction(async () => {
    await itemsOf(deps).remove(id, version);
    await deps.store.audit.append({ actor: actor.id, action: 'item.delete', target: { type: 'item', id }, beforeVersion: version, data: { title: current.title } });
  });
}

/** Transitions, revisions and audit entries of an item, oldest first. */
export async function itemHistory({ deps, id, actor }: { deps: Deps; id: string; actor?: User }) {
  const item = await getItem({ deps, id, ...(actor ? { actor } : {}) });
  const revisions = (await revisionsOf(deps).query({ where: { itemId: id } })).records.sort((a, b) => a.itemVersion - b.itemVersion);
  const audit = await deps.store.audit.list({ targetId: id, limit: 500 });
  return { item: { id: item.id, title: item.title, status: item.status, version: item.version }, transitions: item.history, revisions, audit: audit.reverse() };
}
