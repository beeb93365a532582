import type { Deps } from '../../context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { hasRole } from '../../auth/permissions.ts';
import type { User } from '../../users/schema.ts';
import { assertCanEdit, assertCanReview } from '../../content/permissions.ts';
import { getItem, itemsOf } from '../../content/service.ts';
import type { Item } from '../../content/schema.ts';
import type { LiveItem } from './schema.ts';
import { writePublishSnapshot } from '../../content/snapshot.ts';
import { join } from 'node:path';
import { UPDATE_STATE_LABELS, type CreateUpdate, type ListUpdatesQuery, type LiveUpdate, type PatchLive, type PatchUpdate, type Question, type UpdateTransition } from './updates-schema.ts';
import { renderCached, writeLiveFiles, type LatestFile } from './site-files.ts';

export type { LiveItem };

export const updatesOf = (deps: Deps) => deps.store.collection<LiveUpdate>('live-updates');
export const questionsOf = (deps: Deps) => deps.store.collection<Question>('live-questions');

/** True for a live item (for lists outside this folder: nothing else names a kind). */
export const isLiveItem = (item: Pick<Item, 'kind'>): item is LiveItem => item.kind === 'live';

/** Loads a live item; any other kind is a 404 for the live routes. */
export async function getLiveItem({ deps, id }: { deps: Deps; id: string }): Promise<LiveItem> {
  const item = await getItem({ deps, id });
  if (item.kind !== 'live') throw new NotFoundError(`稿件 ${id} 不是直播稿件`);
  return item;
}

const locks = new Map<string, Promise<unknown>>();
/** Serializes the writes of one item (seq numbers and the reader files stay consistent); other items run in parallel. */
export function withItemLock<T>(itemId: string, run: () => Promise<T>): Promise<T> {
  const previous = locks.get(itemId) ?? Promise.resolve();
  const next = previous.then(run, run);
  const tail = next.catch(() => undefined);
  locks.set(itemId, tail);
  void tail.then(() => {
    if (locks.get(itemId) === tail) locks.delete(itemId);
  });
  return next;
}

/** A guest answers in their own live item only. */
export const isGuestOf = (user: User, item: Pick<Item, 'id'>) => user.active && user.roles.includes('guest') && user.guestOf === item.id;

/** Who may see the console data of a live item: its org's editors and reviewers above it, and its guests. */
export async function assertCanFollow(deps: Deps, user: User, item: LiveItem): Promise<void> {
  if (isGuestOf(user, item)) return;
  if (hasRole(user, 'editor') && user.orgId === item.orgId) return;
  await assertCanReview(deps, user, item, '查看直播后台');
}

function assertCanWrite(user: User, item: LiveItem, type: LiveUpdate['type'] | undefined, action: string): void {
  if (isGuestOf(user, item)) {
    if (type && type !== 'answer') throw new ForbiddenError(`${action}：嘉宾只能发布答问（answer）`);
    return;
  }
  assertCanEdit(user, item, action);
}

/** Four-eyes per update: the one who wrote or last edited an update never publishes it. */
function assertFourEyes(user: User, update: LiveUpdate): void {
  if (user.id === update.authorId) throw new ForbiddenError('四眼原则：不能发布自己撰写的更新，请由本组织的其他审核人员发布');
  if (user.id === update.lastEditorId) throw new ForbiddenError('四眼原则：不能发布自己最后修改过的更新，请由其他审核人员发布');
}

export async function getUpdate({ deps, item, uid }: { deps: Deps; item: LiveItem; uid: string }): Promise<LiveUpdate> {
  const update = await updatesOf(deps).get(uid);
  if (!update || update.itemId !== item.id) throw new NotFoundError(`更新 ${uid} 不存在`);
  return update;
}

/** The updates of an item: published ones by seq (newest first), pending ones oldest first (the queue). */
export async function listUpdates({ deps, actor, id, query }: { deps: Deps; actor: User; id: string; query: ListUpdatesQuery }) {
  const item = await getLiveItem({ deps, id });
  await assertCanFollow(deps, actor, item);
  const all = (await updatesOf(deps).query({ where: { itemId: id } })).records;
  const counts = { pending: 0, published: 0, withdrawn: 0 };
  for (const u of all) counts[u.state]++;
  const now = deps.clock().getTime();
  const selected = all
    .filter((u) => (!query.state || u.state === query.state) && (query.before === undefined || (u.seq ?? Infinity) < query.before))
    .sort((a, b) => (a.state === 'pending' && b.state === 'pending' ? a.createdAt.localeCompare(b.createdAt) : a.state === 'pending' ? -1 : b.state === 'pending' ? 1 : (b.seq ?? 0) - (a.seq ?? 0)))
    .slice(0, query.limit)
    .map((u) => ({ ...u, ageSeconds: Math.max(0, Math.round((now - Date.parse(u.createdAt)) / 1000)) }));
  return { item: { id: item.id, title: item.title, status: item.status, live: item.live, version: item.version }, counts, updates: selected };
}

/** Posts an update (state pending); a reviewer publishes it. In qa mode an answer quotes an accepted question. */
export async function createUpdate({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: CreateUpdate }): Promise<LiveUpdate> {
  const item = await getLiveItem({ deps, id });
  assertCanWrite(actor, item, input.type, '发布直播更新');
  if (item.status === 'retracted') throw new ConflictError('status: 已撤回的直播不能再添加更新');
  if (item.live.state === 'ended') throw new ConflictError('live.state: 直播已结束，不能再添加更新');
  if (input.type === 'clarification' && !input.clarification) throw ValidationError.field('clarification', '辟谣更新须写明网传说法和结论，或链接谣言识破攻略');
  if (input.type !== 'clarification' && input.clarification) throw ValidationError.field('clarification', '只有辟谣（clarification）更新带辟谣信息');
  if (input.type !== 'answer' && (input.questionId || input.answeredBy)) throw ValidationError.field(input.questionId ? 'questionId' : 'answeredBy', '只有答问（answer）更新引用问题和答问嘉宾');
  let question: Question | undefined;
  if (input.type === 'answer') {
    if (item.live.mode === 'qa' && !input.questionId) throw ValidationError.field('questionId', '在线交流的答问须引用一个已采纳的网友问题');
    if (input.questionId) {
      question = await questionsOf(deps).get(input.questionId);
      if (!question || question.itemId !== id) throw ValidationError.field('questionId', `问题 ${input.questionId} 不存在`);
      if (question.state !== 'accepted') throw new ConflictError(`questionId: 只能回答已采纳的问题，该问题为「${question.state}」`);
    }
  }
  const at = input.at ? new Date(input.at).toISOString() : deps.clock().toISOString();
  const answeredBy = input.type === 'answer' ? (input.answeredBy ?? actor.displayName) : undefined;
  const update = await updatesOf(deps).insert({
    id: newId('lu'),
    itemId: id,
    type: input.type,
    at,
    body: input.body,
    html: renderCached(input.body),
    ...(input.image ? { image: input.image } : {}),
    ...(input.clarification ? { clarification: input.clarification } : {}),
    ...(question ? { question: { id: question.id, text: question.text, ...(question.nickname ? { nickname: question.nickname } : {}) } } : {}),
    ...(answeredBy ? { answeredBy } : {}),
    authorId: actor.id,
    authorName: actor.displayName,
    lastEditorId: actor.id,
    state: 'pending',
    corrections: [],
    history: [{ at: deps.clock().toISOString(), actorId: actor.id, from: null, to: 'pending' }],
  } as Omit<LiveUpdate, 'version' | 'createdAt' | 'updatedAt'>);
  await deps.store.audit.append({ actor: actor.id, action: 'live.update.create', target: { type: 'live-update', id: update.id }, afterVersion: update.version, data: { itemId: id, type: update.type } });
  return update;
}

/** Edits an update: freely while pending (the editor becomes its last editor); once published only with a public correction note. */
export async function patchUpdate({ deps, actor, id, uid, input }: { deps: Deps; actor: User; id: string; uid: string; input: PatchUpdate }): Promise<LiveUpdate> {
  const item = await getLiveItem({ deps, id });
  const current = await getUpdate({ deps, item, uid });
  assertCanWrite(actor, item, current.type, '修改直播更新');
  if (isGuestOf(actor, item) && current.authorId !== actor.id) throw new ForbiddenError('修改直播更新：嘉宾只能修改自己写的答问');
  if (current.state === 'withdrawn') throw new ConflictError('state: 已撤回的更新不能修改');
  const published = current.state === 'published';
  if (published && !input.correction) throw ValidationError.field('correction', '修改已发布的更新必须填写公开的更正说明（页面显示“已更正”）');
  if (!published && input.correction) throw ValidationError.field('correction', '只有已发布的更新需要更正说明');
  if (input.clarification && current.type !== 'clarification') throw ValidationError.field('clarification', '只有辟谣（clarification）更新带辟谣信息');
  if (input.answeredBy && current.type !== 'answer') throw ValidationError.field('answeredBy', '只有答问（answer）更新有答问嘉宾');
  const now = deps.clock().toISOString();
  const run = async () => {
    const updated = await updatesOf(deps).update(uid, input.version, (u) => {
      if (u.state !== current.state) throw new ConflictError(`state: 更新状态已变为「${UPDATE_STATE_LABELS[u.state]}」，请刷新后重试`);
      const next: LiveUpdate = { ...u, lastEditorId: published ? u.lastEditorId : actor.id };
      if (input.body) Object.assign(next, { body: input.body, html: renderCached(input.body) });
      if (input.at) next.at = new Date(input.at).toISOString();
      if (input.image === null) delete next.image;
      else if (input.image) next.image = input.image;
      if (input.clarification) next.clarification = input.clarification;
      if (input.answeredBy) next.answeredBy = input.answeredBy;
      if (input.correction) next.corrections = [...u.corrections, { at: now, note: input.correction }];
      return next;
    });
    if (published) await refreshLiveFiles({ deps, item, touched: [updated.seq!] });
    return updated;
  };
  const updated = published ? await withItemLock(id, run) : await run();
  await deps.store.audit.append({
    actor: actor.id,
    action: published ? 'live.update.correct' : 'live.update.edit',
    target: { type: 'live-update', id: uid },
    beforeVersion: current.version,
    afterVersion: updated.version,
    data: { itemId: id, ...(input.correction ? { correction: input.correction } : {}) },
  });
  return updated;
}

/**
 * Publishes or withdraws an update. Publishing: a reviewer of the item's org (or above) who
 * neither wrote nor last edited it, on a published live item; the update gets the next seq and
 * is in the served JSON when this returns. Withdrawing a published update needs a public note.
 */
export async function transitionUpdate({ deps, actor, id, uid, input }: { deps: Deps; actor: User; id: string; uid: string; input: UpdateTransition }): Promise<LiveUpdate> {
  const item = await getLiveItem({ deps, id });
  const current = await getUpdate({ deps, item, uid });
  const from = current.state;
  if (input.to === 'published') {
    if (from !== 'pending') throw new ConflictError(`to: 不能从「${UPDATE_STATE_LABELS[from]}」转为「已发布」`);
    await assertCanReview(deps, actor, item, '发布直播更新');
    assertFourEyes(actor, current);
    if (item.status !== 'published') throw new ConflictError('status: 直播稿件本身须先经审核发布，之后才能发布更新');
  } else {
    if (from === 'withdrawn') throw new ConflictError('to: 该更新已撤回');
    if (from === 'published') {
      await assertCanReview(deps, actor, item, '撤回已发布的更新');
      if (!input.comment) throw ValidationError.field('comment', '撤回已发布的更新必须填写公开的撤回说明');
    } else if (!(actor.id === current.authorId || (hasRole(actor, 'editor') && actor.orgId === item.orgId))) {
      await assertCanReview(deps, actor, item, '撤回待发布的更新');
    }
  }
  const at = deps.clock().toISOString();
  const updated = await withItemLock(id, async () => {
    let seq: number | undefined;
    if (input.to === 'published') {
      const mine = (await updatesOf(deps).query({ where: { itemId: id }, filter: (u) => u.seq !== undefined })).records;
      seq = mine.reduce((max, u) => Math.max(max, u.seq!), 0) + 1;
    }
    const next = await updatesOf(deps).update(uid, input.version, (u) => {
      if (u.state !== from) throw new ConflictError(`state: 更新状态已变为「${UPDATE_STATE_LABELS[u.state]}」，请刷新后重试`);
      const changed: LiveUpdate = { ...u, state: input.to, history: [...u.history, { at, actorId: actor.id, from, to: input.to, ...(input.comment ? { comment: input.comment } : {}) }] };
      if (input.to === 'published') Object.assign(changed, { seq, publishedAt: at, publishedBy: actor.id });
      if (input.to === 'withdrawn' && from === 'published') changed.withdrawal = { at, note: input.comment! };
      return changed;
    });
    if (next.seq !== undefined) await refreshLiveFiles({ deps, item, touched: [next.seq] });
    return next;
  });
  if (updated.question && input.to === 'published') {
    await questionsOf(deps).update(updated.question.id, undefined, (q) => ({ ...q, state: 'answered', answerId: updated.id })).catch(() => undefined);
  }
  await deps.store.audit.append({
    actor: actor.id,
    action: 'live.update.transition',
    target: { type: 'live-update', id: uid },
    beforeVersion: current.version,
    afterVersion: updated.version,
    data: { itemId: id, from, to: input.to, ...(input.comment ? { comment: input.comment } : {}) },
  });
  return updated;
}

/** The pinned block (any time) and the state (live → ended) of a live item, without a new review. */
export async function patchLive({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: PatchLive }): Promise<LiveItem> {
  const current = await getLiveItem({ deps, id });
  assertCanEdit(actor, current, '修改直播置顶信息和状态');
  if (!input.pinned && !input.state) throw ValidationError.field('pinned', '请提供置顶信息（pinned）或状态（state）');
  if (input.state === 'live' && current.live.state === 'ended') throw new ConflictError('state: 已结束的直播不能重新开始，请新建一场直播');
  const at = deps.clock().toISOString();
  const ending = input.state === 'ended' && current.live.state === 'live';
  const item = (await withItemLock(id, async () => {
    const next = (await itemsOf(deps).update(id, input.version, (it) => {
      if (it.kind !== 'live') throw new NotFoundError(`稿件 ${id} 不是直播稿件`);
      const live = { ...it.live };
      if (input.pinned) Object.assign(live, { pinned: input.pinned, pinnedAt: at });
      if (ending) Object.assign(live, { state: 'ended', coverageEnd: at });
      return { ...it, live, lastEditorId: it.lastEditorId };
    })) as LiveItem;
    if (next.status === 'published') {
      await writePublishSnapshot(deps, next);
      await refreshLiveFiles({ deps, item: next });
    }
    return next;
  })) as LiveItem;
  await deps.store.audit.append({ actor: actor.id, action: 'live.patch', target: { type: 'item', id }, beforeVersion: input.version, afterVersion: item.version, data: { fields: [...(input.pinned ? ['pinned'] : []), ...(ending ? ['state'] : [])] } });
  // an ended column becomes an archive page: the page is rendered once more
  if (ending && item.status === 'published') await deps.events.emit('item.corrected', { item });
  return item;
}

/** Rewrites the reader files of a live item from the store (the open chunk, touched chunks, the feed). */
export async function refreshLiveFiles({ deps, item, touched, full }: { deps: Deps; item: LiveItem; touched?: number[]; full?: boolean }): Promise<LatestFile> {
  const fresh = (await itemsOf(deps).get(item.id)) as LiveItem | undefined;
  const it = fresh ?? item;
  return writeLiveFiles({
    dataDir: deps.config.dataDir,
    // the served site (server/publish/publisher.ts defaultSiteDir; not imported: publish depends on the kinds)
    siteDir: join(deps.config.dataDir, 'site'),
    siteUrl: deps.config.siteUrl,
    siteTitle: deps.config.siteTitle,
    item: it,
    pinnedHtml: it.live.pinned ? renderCached(it.live.pinned) : '',
    updates: (await updatesOf(deps).query({ where: { itemId: item.id } })).records,
    ...(touched ? { touched } : {}),
    ...(full ? { full } : {}),
    now: deps.clock(),
  });
}

/** Keeps the reader files current when the live item itself is published, corrected or retracted. */
export function wireLive(deps: Deps): void {
  for (const name of ['item.published', 'item.corrected'] as const) {
    deps.events.on(name, async ({ item }) => {
      if (item.kind === 'live') await withItemLock(item.id, () => refreshLiveFiles({ deps, item, full: true }));
    });
  }
}
