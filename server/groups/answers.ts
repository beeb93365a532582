import { z } from 'zod';
import type { Deps } from '../context.ts';
import { ValidationError } from '../errors.ts';
import type { CreateItem, Item } from '../content/schema.ts';
import { parseInput } from '../validate.ts';
import { createItem } from '../content/service.ts';
import { itemPath } from '../content/snapshot.ts';
import type { TiptapDoc } from '../content/tiptap.ts';
import type { User } from '../users/schema.ts';
import { assertEditor, assertInScope } from '../concerns/access.ts';
import { concernsOf } from '../concerns/service.ts';
import { answerConcernsByItem } from '../concerns/transitions.ts';
import { weekRange } from '../concerns/week.ts';
import type { Group } from './schema.ts';
import { getGroup, groupsOf } from './service.ts';

export const StartItemSchema = z.object({
  kind: z.string().min(1).max(40),
  title: z.string().trim().min(1).max(100).optional(),
});

const wired = new WeakSet<Deps>();

/** Subscribes the concerns loop to the core's events (once per deps): a published item answers its groups. */
export function wireConcerns(deps: Deps): void {
  if (wired.has(deps)) return;
  wired.add(deps);
  deps.events.on('item.published', async ({ item }) => {
    await linkItemToGroups({ deps, item, groupIds: item.groupIds });
  });
  deps.events.on('item.retracted', async ({ item }) => {
    await withdrawItemAnswers({ deps, item });
  });
}

/**
 * A retracted item no longer answers anyone: concerns it answered point to another published item
 * of their group if there is one, else go back to received (with a history line saying why).
 * Concerns already handled or replied keep their state. Idempotent.
 */
export async function withdrawItemAnswers({ deps, item }: { deps: Deps; item: Item }): Promise<number> {
  const affected = await concernsOf(deps).list((c) => c.status === 'answered' && c.answer?.via === 'item' && c.answer.itemId === item.id);
  const at = item.retraction?.at ?? deps.clock().toISOString();
  const items = deps.store.collection<Item>('items');
  for (const c of affected) {
    const group = c.groupId ? await groupsOf(deps).get(c.groupId) : undefined;
    const others = group ? (await Promise.all(group.itemIds.filter((id) => id !== item.id).map((id) => items.get(id)))).filter((i): i is Item => i?.status === 'published') : [];
    const other = others[0];
    await concernsOf(deps).update(c.id, undefined, (current) => {
      if (current.status !== 'answered' || current.answer?.itemId !== item.id) return current;
      if (other) {
        const answer = { at: current.answer.at, by: 'system', via: 'item' as const, itemId: other.id, url: itemPath(other, deps), note: other.title };
        return { ...current, answer, history: [...current.history, { at, actorId: 'system', from: 'answered' as const, to: 'answered' as const, comment: `《${item.title}》已撤回，回应改为《${other.title}》` }] };
      }
      const { answer: _answer, ...rest } = current;
      const { answeredAt: _answeredAt, ...steps } = current.steps;
      return { ...rest, status: 'received' as const, steps, history: [...current.history, { at, actorId: 'system', from: 'answered' as const, to: 'received' as const, comment: `回应稿件《${item.title}》已撤回` }] };
    });
  }
  if (affected.length) {
    await deps.store.audit.append({ actor: 'system', action: 'concern.answer-withdrawn', target: { type: 'item', id: item.id }, data: { concerns: affected.length } });
  }
  return affected.length;
}

/** Record that `item` answers these groups and mark their received concerns answered. Idempotent. */
export async function linkItemToGroups({ deps, item, groupIds }: { deps: Deps; item: Item; groupIds: string[] }): Promise<number> {
  const found: string[] = [];
  for (const id of new Set(groupIds)) {
    const group = await groupsOf(deps).get(id);
    if (!group) continue;
    found.push(id);
    if (!group.itemIds.includes(item.id)) await groupsOf(deps).update(id, undefined, (g) => ({ ...g, itemIds: [...g.itemIds, item.id] }));
  }
  return item.status === 'published' ? answerConcernsByItem({ deps, item, groupIds: found }) : 0;
}

/** One click from a group: a draft notice or rumor guide linked to it, quoting what people said. */
export async function startItemFromGroup({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: z.infer<typeof StartItemSchema> }): Promise<Item> {
  const group = await getGroup({ deps, actor, id });
  assertEditor(actor, '从分组起草稿件');
  await assertInScope(deps, actor, group.orgId, '从分组起草稿件');
  const quotes = await groupQuotes(deps, group);
  const kind = deps.kinds.get(input.kind);
  if (!kind.fromGroup) throw ValidationError.field('kind', `${kind.label}不能从分组起草`);
  const { title: suggested, ...fields } = kind.fromGroup({ groupTitle: group.title, quotes });
  const title = input.title ?? (typeof suggested === 'string' ? suggested : group.title);
  const body: TiptapDoc = {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '网友关心什么' }] },
      { type: 'paragraph', content: [{ type: 'text', text: `本周共收到 ${group.concernIds.length} 条相关留言，例如：` }] },
      ...quotes.map((q) => ({ type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: q }] }] })),
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '我们的回应' }] },
      { type: 'paragraph', content: [{ type: 'text', text: group.decision || '（待填写）' }] },
    ],
  } as TiptapDoc;
  const common = { title, summary: group.summary.slice(0, 300), body, tags: [], groupIds: [group.id], variants: {} };
  const item = await createItem({
    deps,
    actor,
    input: parseInput(deps.kinds.schemas.create, { ...fields, ...common, kind: kind.kind }) as CreateItem,
  });
  await groupsOf(deps).update(group.id, undefined, (g) => ({ ...g, itemIds: [...g.itemIds, item.id] }));
  return item;
}

async function groupQuotes(deps: Deps, group: Group): Promise<string[]> {
  const out: string[] = [];
  for (const id of group.concernIds.slice(0, 3)) {
    const c = await concernsOf(deps).get(id);
    if (c) out.push(c.text.slice(0, 200));
  }
  return out;
}

export const DigestSchema = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-11') });

/** Monthly 网民关切回应 digest (the 20th is the activity day): a draft notice listing the month's answered groups. */
export async function createMonthlyDigest({ deps, actor, input }: { deps: Deps; actor: User; input: z.infer<typeof DigestSchema> }): Promise<Item> {
  assertEditor(actor, '生成月度回应汇总');
  const inMonth = (week: string) => weekRange(week).monday.slice(0, 7) === input.month || weekRange(week).sunday.slice(0, 7) === input.month;
  const groups = await groupsOf(deps).list((g) => g.orgId === actor.orgId && inMonth(g.week) && g.itemIds.length > 0);
  const items = deps.store.collection<Item>('items');
  const lines: { group: Group; answers: Item[] }[] = [];
  for (const g of groups.sort((a, b) => a.week.localeCompare(b.week))) {
    const answers = (await Promise.all(g.itemIds.map((id) => items.get(id)))).filter((i): i is Item => i?.status === 'published');
    if (answers.length) lines.push({ group: g, answers });
  }
  if (lines.length === 0) throw ValidationError.field('month', `${input.month} 没有已回应的分组`);
  const [year, month] = input.month.split('-');
  const body = {
    type: 'doc',
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: `${year} 年 ${Number(month)} 月，我们收集并回应了以下网民关切：` }] },
      {
        type: 'orderedList',
        content: lines.map(({ group, answers }) => ({
          type: 'listItem',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: `${group.title}（${group.concernIds.length} 条）：` },
                ...answers.flatMap((a, i) => [
                  ...(i ? [{ type: 'text', text: '、' }] : []),
                  { type: 'text', marks: [{ type: 'link', attrs: { href: `${deps.config.siteUrl.replace(/\/$/, '')}${itemPath(a, deps)}` } }], text: `《${a.title}》` },
                ]),
              ],
            },
          ],
        })),
      },
    ],
  } as TiptapDoc;
  return createItem({
    deps,
    actor,
    input: { kind: 'notice', title: `${year} 年 ${Number(month)} 月网民关切回应`, summary: `本月回应网民关切 ${lines.length} 项。`, body, tags: ['网民关切回应'], groupIds: lines.slice(0, 50).map((l) => l.group.id), variants: {} },
  });
}
