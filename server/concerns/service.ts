import { z } from 'zod';
import type { Deps } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { descendantIds } from '../orgs/service.ts';
import type { User } from '../users/schema.ts';
import { assertCanLog, assertEditor, assertInScope, districtNames, districtOf, visibleOrgIds } from './access.ts';
import { planImport, type PlannedConcern } from './dedupe.ts';
import { checkConcernFields } from './fields.ts';
import { parseConcernFile } from './intake.ts';
import { ConcernStatusSchema, IsoWeekSchema, type Concern, type ConcernInput, type ImportResult } from './schema.ts';
import { getConcernSettings } from './settings.ts';

export const concernsOf = (deps: Deps) => deps.store.collection<Concern>('concerns');

export const ListConcernsQuerySchema = z.object({
  week: IsoWeekSchema.optional(),
  status: ConcernStatusSchema.optional(),
  category: z.string().max(20).optional(),
  district: z.string().max(40).optional(),
  org: z.string().max(64).optional(),
  group: z.string().max(64).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type ListConcernsQuery = z.infer<typeof ListConcernsQuerySchema>;

export async function getConcern({ deps, actor, id }: { deps: Deps; actor: User; id: string }): Promise<Concern> {
  const concern = await concernsOf(deps).get(id);
  if (!concern) throw new NotFoundError(`关切 ${id} 不存在`);
  await assertInScope(deps, actor, concern.orgId, '查看该关切');
  return concern;
}

/** Overdue: still only received after the response window (config.responseDays). */
export function isOverdue(concern: Concern, now: Date, days: number): boolean {
  return concern.status === 'received' && now.getTime() - new Date(concern.capturedAt).getTime() > days * 86_400_000;
}

/** Concerns the actor may see, filtered; newest first, overdue flagged. */
export async function listConcerns({ deps, actor, query }: { deps: Deps; actor: User; query: ListConcernsQuery }): Promise<{ concerns: (Concern & { overdue: boolean })[]; total: number }> {
  const scope = query.org ? await scopeOf(deps, actor, query.org) : await visibleOrgIds(deps, actor);
  const now = deps.clock();
  const days = deps.config.responseDays;
  const list = await concernsOf(deps).list(
    (c) =>
      scope.has(c.orgId) &&
      (!query.week || c.week === query.week) &&
      (!query.status || c.status === query.status) &&
      (!query.category || c.category === query.category) &&
      (!query.district || c.district === query.district) &&
      (!query.group || c.groupId === query.group) &&
      (query.overdue === undefined || isOverdue(c, now, days) === (query.overdue === 'true')),
  );
  list.sort((a, b) => b.capturedAt.localeCompare(a.capturedAt) || a.id.localeCompare(b.id));
  return { concerns: list.map((c) => ({ ...c, overdue: isOverdue(c, now, days) })), total: list.length };
}

async function scopeOf(deps: Deps, actor: User, orgId: string): Promise<Set<string>> {
  await assertInScope(deps, actor, orgId, '查看该组织的关切');
  return descendantIds({ deps, id: orgId });
}

/** Quick form: one concern. A URL already logged is a 409; a same-week repeat is kept and linked. */
export async function createConcern({ deps, actor, input }: { deps: Deps; actor: User; input: ConcernInput }): Promise<Concern> {
  assertCanLog(actor);
  const { categories } = await getConcernSettings({ deps });
  const checked = checkConcernFields({ ...input }, { categories, districts: await districtNames(deps), now: deps.clock() });
  if ('issue' in checked) throw ValidationError.field(checked.issue.path, checked.issue.message);
  if (input.url && (await concernsOf(deps).list((c) => c.source.url === input.url)).length > 0) {
    throw new ConflictError(`url: 该链接已登记过`);
  }
  const result = await insertPlanned(deps, actor, planFor(deps, [checked.input], await existingFor(deps)).planned);
  return result[0]!;
}

/** Bulk import of a CSV or JSON Lines file: bad rows reported by line, good rows kept, repeats skipped. */
export async function importConcerns({ deps, actor, content, format }: { deps: Deps; actor: User; content: string | Uint8Array; format?: 'csv' | 'jsonl' }): Promise<ImportResult> {
  assertCanLog(actor);
  const { categories } = await getConcernSettings({ deps });
  const parsed = parseConcernFile({ content, ...(format ? { format } : {}), categories, districts: await districtNames(deps), now: deps.clock() });
  const { planned, skipped } = planImport({ rows: parsed.rows, existing: await existingFor(deps), now: deps.clock(), makeId: () => newId('cn') });
  const inserted = await insertPlanned(deps, actor, planned);
  await deps.store.audit.append({ actor: actor.id, action: 'concern.import', target: { type: 'org', id: actor.orgId }, data: { imported: inserted.length, skipped, errors: parsed.errors.length } });
  return { imported: inserted.length, skipped, duplicates: inserted.filter((c) => c.duplicateOf).length, errors: parsed.errors };
}

function planFor(deps: Deps, inputs: ConcernInput[], existing: Awaited<ReturnType<typeof existingFor>>) {
  return planImport({ rows: inputs.map((input, i) => ({ line: i + 1, input })), existing, now: deps.clock(), makeId: () => newId('cn') });
}

async function existingFor(deps: Deps) {
  return concernsOf(deps).list();
}

async function insertPlanned(deps: Deps, actor: User, planned: PlannedConcern[]): Promise<Concern[]> {
  const district = await districtOf(deps, actor.orgId);
  const at = deps.clock().toISOString();
  // Records in different shards are written in parallel; a batch keeps a big import from opening thousands of files at once.
  const insertOne = async (p: PlannedConcern): Promise<Concern> => {
    const { input } = p;
    return concernsOf(deps).insert({
      id: p.id,
      text: input.text,
      source: { platform: input.platform, ...(input.url ? { url: input.url } : {}), ...(input.author ? { author: input.author } : {}) },
      category: input.category ?? '其他',
      district: input.district ?? district,
      orgId: actor.orgId,
      capturedBy: actor.id,
      capturedAt: input.capturedAt,
      week: p.week,
      status: 'received',
      fingerprint: p.fingerprint,
      ...(p.duplicateOf ? { duplicateOf: p.duplicateOf } : {}),
      steps: { receivedAt: at },
      feedback: [],
      history: [{ at, actorId: actor.id, from: null, to: 'received' }],
    });
  };
  const out: Concern[] = [];
  for (let i = 0; i < planned.length; i += 256) out.push(...(await Promise.all(planned.slice(i, i + 256).map(insertOne))));
  if (planned.length === 1 && out[0]) {
    await deps.store.audit.append({ actor: actor.id, action: 'concern.create', target: { type: 'concern', id: out[0].id }, afterVersion: 1 });
  }
  return out;
}

/** "Forget" on request: the author handle goes, the text and statistics stay. */
export async function forgetAuthor({ deps, actor, id }: { deps: Deps; actor: User; id: string }): Promise<Concern> {
  const current = await getConcern({ deps, actor, id });
  assertEditor(actor, '删除作者信息');
  const concern = await concernsOf(deps).update(id, current.version, (c) => {
    const { author: _gone, ...source } = c.source;
    return { ...c, source };
  });
  // The audit entry says that it happened, never what the handle was.
  await deps.store.audit.append({ actor: actor.id, action: 'concern.forget', target: { type: 'concern', id }, beforeVersion: current.version, afterVersion: concern.version });
  return concern;
}
