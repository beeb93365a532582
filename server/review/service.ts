import type { Deps } from '../context.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { hasRole } from '../auth/permissions.ts';
import type { User } from '../users/schema.ts';
import { assertCanEdit, assertCanReview, assertFourEyes } from '../content/permissions.ts';
import { getItem, itemsOf, saveRevision } from '../content/service.ts';
import { STATUS_LABELS, type Item, type ItemStatus, type Transition } from '../content/schema.ts';
import { writePublishSnapshot } from '../content/snapshot.ts';

interface Rule {
  /** Who may take the step: the item's editors, its reviewers, or either. */
  by: 'editor' | 'reviewer' | 'either';
  /** A comment is required (sending back, retracting: the public correction note). */
  comment?: string;
  fourEyes?: boolean;
  label: string;
}

/** The review flow. Anything not listed is refused with 409. */
export const TRANSITIONS: Partial<Record<`${ItemStatus}>${ItemStatus}`, Rule>> = {
  'draft>in-review': { by: 'editor', label: '提交审核' },
  'changes-requested>in-review': { by: 'editor', label: '重新提交审核' },
  'in-review>draft': { by: 'editor', label: '撤回为草稿' },
  'approved>draft': { by: 'editor', label: '撤回为草稿' },
  'in-review>changes-requested': { by: 'reviewer', comment: '退回修改必须写明意见', label: '退回修改' },
  'in-review>approved': { by: 'reviewer', fourEyes: true, label: '审核通过' },
  'approved>published': { by: 'either', label: '发布' },
  'published>retracted': { by: 'reviewer', comment: '撤回已发布的稿件必须填写公开的更正说明', label: '撤回' },
};

/** The steps this user may take on this item now (for the UI; the API checks again). */
export async function allowedTransitions({ deps, actor, item }: { deps: Deps; actor: User; item: Item }): Promise<{ to: ItemStatus; label: string; comment: boolean }[]> {
  const out: { to: ItemStatus; label: string; comment: boolean }[] = [];
  for (const [key, rule] of Object.entries(TRANSITIONS)) {
    const [from, to] = key.split('>') as [ItemStatus, ItemStatus];
    if (from !== item.status || !rule) continue;
    try {
      await assertMay(deps, actor, item, rule);
      out.push({ to, label: rule.label, comment: Boolean(rule.comment) });
    } catch {
      // not allowed for this user
    }
  }
  return out;
}

async function assertMay(deps: Deps, actor: User, item: Item, rule: Rule): Promise<void> {
  if (rule.by === 'editor') assertCanEdit(actor, item, rule.label);
  else if (rule.by === 'reviewer') await assertCanReview(deps, actor, item, rule.label);
  else {
    const editor = hasRole(actor, 'editor') && actor.orgId === item.orgId;
    if (!editor) await assertCanReview(deps, actor, item, rule.label);
  }
  if (rule.fourEyes) assertFourEyes(actor, item);
}

/** Moves an item through the review flow: checks role, org and four-eyes, records actor and comment, keeps a revision, audits, and publishes the snapshot. */
export async function transitionItem({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: Transition }): Promise<Item> {
  const current = await getItem({ deps, id });
  const from = current.status;
  const rule = TRANSITIONS[`${from}>${input.to}`];
  if (!rule) throw new ConflictError(`to: 不能从「${STATUS_LABELS[from]}」转为「${STATUS_LABELS[input.to]}」`);
  await assertMay(deps, actor, current, rule);
  const kind = deps.kinds.get(current.kind);
  if (input.to === 'in-review' || input.to === 'approved') kind.checks.beforeReview(current, input.to);
  if (input.to === 'published') kind.checks.beforePublish(current);
  if (rule.comment && !input.comment) throw ValidationError.field('comment', rule.comment);
  const at = deps.clock().toISOString();
  const item = await itemsOf(deps).update(id, input.version, (item) => {
    // re-check on the record we are about to change: another request may have moved it meanwhile
    if (item.status !== from) throw new ConflictError(`status: 稿件状态已变为「${STATUS_LABELS[item.status]}」，请刷新后重试`);
    const next: Item = { ...item, status: input.to, history: [...item.history, { at, actorId: actor.id, from, to: input.to, ...(input.comment ? { comment: input.comment } : {}) }] };
    if (input.to === 'published' && !next.publishedAt) next.publishedAt = at;
    if (input.to === 'retracted') next.retraction = { at, note: input.comment ?? '' };
    return next;
  });
  await saveRevision(deps, item, actor.id, `transition:${input.to}`);
  await deps.store.audit.append({
    actor: actor.id,
    action: 'item.transition',
    target: { type: 'item', id },
    beforeVersion: current.version,
    afterVersion: item.version,
    data: { from, to: input.to, ...(input.comment ? { comment: input.comment } : {}) },
  });
  if (input.to === 'published' || input.to === 'retracted') await writePublishSnapshot(deps, item);
  await deps.events.emit('item.transitioned', { item, from, to: input.to, actorId: actor.id });
  if (input.to === 'published') await deps.events.emit('item.published', { item });
  if (input.to === 'retracted') await deps.events.emit('item.retracted', { item });
  return item;
}

