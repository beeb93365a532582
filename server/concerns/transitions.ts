import { z } from 'zod';
import type { Deps } from '../context.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import type { Item } from '../content/schema.ts';
import { itemPath } from '../content/snapshot.ts';
import type { User } from '../users/schema.ts';
import { assertEditor } from './access.ts';
import { HandlingSchema, STATUS_LABELS, type Concern, type ConcernStatus } from './schema.ts';
import { concernsOf, getConcern } from './service.ts';

export const ConcernTransitionSchema = z.object({
  to: z.enum(['received', 'answered', 'handled', 'replied', 'closed']),
  comment: z.string().trim().max(2000).optional(),
  /** handled: the offline action — who did what, when. */
  action: HandlingSchema.optional(),
  version: z.number().int().positive().optional(),
});
export type ConcernTransition = z.infer<typeof ConcernTransitionSchema>;

const RANK: Record<ConcernStatus, number> = { received: 0, answered: 1, handled: 2, replied: 3, closed: 4 };

/**
 * Moves a concern along 听—答—办—复: received → answered → handled → replied, or closed with a reason.
 * Moving forward may skip a step; moving back (or reopening a closed one) needs a reason in `comment`.
 */
export async function transitionConcern({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: ConcernTransition }): Promise<Concern> {
  const current = await getConcern({ deps, actor, id });
  assertEditor(actor, '更新关切状态');
  const from = current.status;
  const to = input.to;
  if (from === to) throw new ConflictError(`to: 关切已是「${STATUS_LABELS[to]}」状态`);
  const backwards = RANK[to] < RANK[from];
  if (backwards && !input.comment) throw ValidationError.field('comment', `从「${STATUS_LABELS[from]}」退回「${STATUS_LABELS[to]}」必须说明原因`);
  if (to === 'answered' && !input.comment) throw ValidationError.field('comment', '请写明如何回应（回复内容或链接）');
  if (to === 'handled' && !input.action) throw ValidationError.field('action', '办理需写明谁（who）、做了什么（what）、何时（when）');
  if (to === 'replied' && !input.comment) throw ValidationError.field('comment', '请写明向网民反馈的结果');
  if (to === 'closed' && !input.comment) throw ValidationError.field('comment', '关闭需写明原因');
  const at = deps.clock().toISOString();
  const concern = await concernsOf(deps).update(id, input.version, (c) => {
    const next: Concern = { ...c, status: to, steps: { ...c.steps }, history: [...c.history, { at, actorId: actor.id, from, to, ...(input.comment ? { comment: input.comment } : {}) }] };
    if (to === 'answered') {
      next.steps.answeredAt = at;
      next.answer = { at, by: actor.id, via: 'online', note: input.comment! };
    }
    if (to === 'handled') {
      next.steps.handledAt = at;
      next.handling = input.action!;
    }
    if (to === 'replied') {
      next.steps.repliedAt = at;
      next.reply = { at, note: input.comment! };
    }
    if (to === 'closed') {
      next.steps.closedAt = at;
      next.closedReason = input.comment!;
    } else delete next.closedReason;
    return next;
  });
  await deps.store.audit.append({ actor: actor.id, action: 'concern.transition', target: { type: 'concern', id }, beforeVersion: current.version, afterVersion: concern.version, data: { from, to } });
  return concern;
}

/**
 * An item that answers a group was published: its group's concerns still `received` become `answered`, linked to
 * the item. Idempotent — concerns already answered (or further) are left alone, so a re-publish changes nothing.
 */
export async function answerConcernsByItem({ deps, item, groupIds }: { deps: Deps; item: Item; groupIds: string[] }): Promise<number> {
  if (groupIds.length === 0) return 0;
  const wanted = new Set(groupIds);
  const at = item.publishedAt ?? deps.clock().toISOString();
  const url = itemPath(item, deps);
  const pending = (await concernsOf(deps).query({ where: { groupId: { in: [...wanted] }, status: 'received' } })).records;
  for (const c of pending) {
    await concernsOf(deps).update(c.id, undefined, (current) =>
      current.status !== 'received'
        ? current
        : {
            ...current,
            status: 'answered',
            steps: { ...current.steps, answeredAt: at },
            answer: { at, by: 'system', via: 'item', itemId: item.id, url, note: item.title },
            history: [...current.history, { at, actorId: 'system', from: 'received', to: 'answered', comment: `已发布《${item.title}》` }],
          },
    );
  }
  if (pending.length) {
    await deps.store.audit.append({ actor: 'system', action: 'concern.answered-by-item', target: { type: 'item', id: item.id }, data: { groupIds, concerns: pending.length } });
  }
  return pending.length;
}
