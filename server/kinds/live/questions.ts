import type { Deps } from '../../context.ts';
import { ConflictError, NotFoundError, TooManyRequestsError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { User } from '../../users/schema.ts';
import { assertCanEdit } from '../../content/permissions.ts';
import { QUESTION_STATE_LABELS, type Ask, type Question, type QuestionState } from './updates-schema.ts';
import { assertCanFollow, getLiveItem, questionsOf } from './service.ts';

/** Questions per IP in a window; kept in memory only (no address is ever stored with a question). */
export class AskLimiter {
  private hits = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  take(key: string): void {
    const now = this.now();
    if (this.hits.size > 50_000) for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
    const hit = this.hits.get(key);
    if (!hit || hit.resetAt <= now) {
      this.hits.set(key, { count: 1, resetAt: now + this.windowMs });
      return;
    }
    if (hit.count >= this.max) {
      const seconds = Math.ceil((hit.resetAt - now) / 1000);
      throw new TooManyRequestsError(`提问太频繁了，请 ${Math.ceil(seconds / 60)} 分钟后再试`, { data: { retryAfterSeconds: seconds } });
    }
    hit.count++;
  }
}

const limiters = new WeakMap<Deps, AskLimiter>();
/** One limiter per app (5 questions per 10 minutes per address by default; LIANXIN_ASK_LIMIT overrides the count). */
export function askLimiter(deps: Deps): AskLimiter {
  let limiter = limiters.get(deps);
  if (!limiter) {
    limiter = new AskLimiter(Number(process.env.LIANXIN_ASK_LIMIT) || 5, 10 * 60_000, () => deps.clock().getTime());
    limiters.set(deps, limiter);
  }
  return limiter;
}

/** A reader's question from the live page: only for a published, running exchange in qa mode; lands in the moderation queue. */
export async function askQuestion({ deps, id, ip, input }: { deps: Deps; id: string; ip: string; input: Ask }): Promise<{ id: string; state: QuestionState }> {
  const item = await getLiveItem({ deps, id }).catch(() => undefined);
  if (!item || item.status !== 'published') throw new NotFoundError('这场直播不存在或尚未发布');
  if (item.live.mode !== 'qa') throw new ConflictError('live.mode: 这场直播不接受提问');
  if (item.live.state !== 'live') throw new ConflictError('live.state: 在线交流已结束，不再接受提问');
  askLimiter(deps).take(ip);
  const question = await questionsOf(deps).insert({ id: newId('q'), itemId: id, text: input.text, ...(input.nickname ? { nickname: input.nickname } : {}), state: 'pending' });
  await deps.store.audit.append({ actor: 'public', action: 'live.question.create', target: { type: 'live-question', id: question.id }, afterVersion: 1, data: { itemId: id } });
  return { id: question.id, state: question.state };
}

/** The moderation queue: pending first (oldest first), then the rest newest first. */
export async function listQuestions({ deps, actor, id, state, limit }: { deps: Deps; actor: User; id: string; state?: QuestionState; limit: number }) {
  const item = await getLiveItem({ deps, id });
  await assertCanFollow(deps, actor, item);
  const all = (await questionsOf(deps).query({ where: { itemId: id } })).records;
  const counts: Record<QuestionState, number> = { pending: 0, accepted: 0, rejected: 0, answered: 0 };
  for (const q of all) counts[q.state]++;
  const questions = all
    .filter((q) => !state || q.state === state)
    .sort((a, b) => (a.state === 'pending' && b.state === 'pending' ? a.createdAt.localeCompare(b.createdAt) : a.state === 'pending' ? -1 : b.state === 'pending' ? 1 : b.createdAt.localeCompare(a.createdAt)))
    .slice(0, limit);
  return { counts, questions };
}

/** An editor of the item's org accepts or rejects a question (pending only; a rejected one can still be accepted). */
export async function moderateQuestion({ deps, actor, id, qid, to, version }: { deps: Deps; actor: User; id: string; qid: string; to: 'accepted' | 'rejected'; version?: number }): Promise<Question> {
  const item = await getLiveItem({ deps, id });
  assertCanEdit(actor, item, '审核网友提问');
  const current = await questionsOf(deps).get(qid);
  if (!current || current.itemId !== id) throw new NotFoundError(`问题 ${qid} 不存在`);
  const allowed = current.state === 'pending' || (current.state === 'rejected' && to === 'accepted') || (current.state === 'accepted' && to === 'rejected');
  if (!allowed) throw new ConflictError(`to: 「${QUESTION_STATE_LABELS[current.state]}」的问题不能改为「${QUESTION_STATE_LABELS[to]}」`);
  const question = await questionsOf(deps).update(qid, version, (q) => {
    if (q.state !== current.state) throw new ConflictError('state: 问题状态已变化，请刷新后重试');
    return { ...q, state: to, moderatedBy: actor.id };
  });
  await deps.store.audit.append({ actor: actor.id, action: 'live.question.moderate', target: { type: 'live-question', id: qid }, beforeVersion: current.version, afterVersion: question.version, data: { itemId: id, to } });
  return question;
}
