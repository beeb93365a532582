import type { Deps } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Org } from '../orgs/schema.ts';
import type { User } from '../users/schema.ts';
import { assertCanEdit } from './permissions.ts';
import { writePublishSnapshot } from './snapshot.ts';
import { UpdateItemBaseFields, type CreateItem, type Item, type ListItemsQuery, type Revision, type UpdateItem } from './schema.ts';
import { slugify, uniqueSlug } from './slug.ts';
import { docText } from './tiptap.ts';

export const itemsOf = (deps: Deps) => deps.store.collection<Item>('items');
export const revisionsOf = (deps: Deps) => deps.store.collection<Revision>('revisions');

const EDITABLE: ReadonlyArray<Item['status']> = ['draft', 'changes-requested'];

export async function getItem({ deps, id }: { deps: Deps; id: string }): Promise<Item> {
  const item = await itemsOf(deps).get(id);
  if (!item) throw new NotFoundError(`稿件 ${id} 不存在`);
  return item;
}

export type ItemSummary = Omit<Item, 'body'> & { excerpt: string };

/** The item list's order; one function so the store can keep the order instead of sorting per request. */
const newestEditFirst = (a: Item, b: Item) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function listItems({ deps, query }: { deps: Deps; query: ListItemsQuery }): Promise<{ items: ItemSummary[]; total: number; page: number; pageSize: number }> {
  const q = query.q?.trim().toLowerCase();
  const { records, total } = await itemsOf(deps).query({
    where: { kind: query.kind as Item['kind'] | undefined, status: query.status, orgId: query.org, authorId: query.author },
    filter:
      query.tag || q
        ? (item) =>
            (!query.tag || item.tags.includes(query.tag)) &&
            (!q || item.title.toLowerCase().includes(q) || item.summary.toLowerCase().includes(q) || docText(item.body).toLowerCase().includes(q))
        : undefined,
    sort: newestEditFirst,
    offset: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
  });
  const items = records.map(({ body, ...rest }) => ({ ...rest, excerpt: docText(body).slice(0, 120) }));
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** Stores a copy of the item's content as it is now. */
export async function saveRevision(deps: Deps, item: Item, actorId: string, reason: string): Promise<void> {
  await revisionsOf(deps).insert({ id: newId('rev'), itemId: item.id, itemVersion: item.version, status: item.status, title: item.title, body: item.body, actorId, reason });
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
  const item = await itemsOf(deps).insert(draft);
  await saveRevision(deps, item, actor.id, 'create');
  await deps.store.audit.append({ actor: actor.id, action: 'item.create', target: { type: 'item', id: item.id }, afterVersion: item.version, data: { kind: item.kind, title: item.title } });
  return item;
}

/** Edits an item. Drafts and sent-back items are edited freely; a published item only with a public correction note. */
export async function updateItem({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: UpdateItem }): Promise<Item> {
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
  if (input.slug && input.slug !== current.slug && (await itemsOf(deps).query({ filter: (i) => i.slug === input.slug && i.id !== id, limit: 0 })).total) {
    throw new ConflictError(`slug: 地址 ${input.slug} 已被其他稿件使用`);
  }
  const { version, correction, cover, ...changes } = input;
  const at = deps.clock().toISOString();
  const item = await itemsOf(deps).update(id, version, (item) => {
    const next = { ...item, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)), lastEditorId: actor.id } as Item;
    if (cover === null) delete next.cover;
    else if (cover !== undefined) next.cover = cover;
    if (correction) next.corrections = [...item.corrections, { at, note: correction }];
    return next;
  });
  await saveRevision(deps, item, actor.id, correction ? 'correction' : 'edit');
  await deps.store.audit.append({
    actor: actor.id,
    action: correction ? 'item.correct' : 'item.update',
    target: { type: 'item', id },
    beforeVersion: version,
    afterVersion: item.version,
    data: { fields: Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined), ...(correction ? { correction } : {}) },
  });
  if (correction) {
    await writePublishSnapshot(deps, item);
    await deps.events.emit('item.corrected', { item });
  }
  return item;
}

/** Deletes a draft (never anything that was submitted, published or retracted). */
export async function deleteItem({ deps, actor, id, version }: { deps: Deps; actor: User; id: string; version: number }): Promise<void> {
  const current = await getItem({ deps, id });
  assertCanEdit(actor, current, '删除稿件');
  if (!EDITABLE.includes(current.status)) throw new ConflictError(`status: 只能删除草稿或退回修改的稿件，当前为「${current.status}」`);
  await itemsOf(deps).remove(id, version);
  await deps.store.audit.append({ actor: actor.id, action: 'item.delete', target: { type: 'item', id }, beforeVersion: version, data: { title: current.title } });
}

/** Transitions, revisions and audit entries of an item, oldest first. */
export async function itemHistory({ deps, id }: { deps: Deps; id: string }) {
  const item = await getItem({ deps, id });
  const revisions = (await revisionsOf(deps).list((r) => r.itemId === id)).sort((a, b) => a.itemVersion - b.itemVersion);
  const audit = await deps.store.audit.list({ targetId: id, limit: 500 });
  return { item: { id: item.id, title: item.title, status: item.status, version: item.version }, transitions: item.history, revisions, audit: audit.reverse() };
}
