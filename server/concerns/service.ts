import { z } from 'zod';
import type { Deps } from '../context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { descendantIds } from '../orgs/service.ts';
import type { User } from '../users/schema.ts';
import { assertCanLog, assertEditor, assertInScope, districtNames, districtOf, owningOrgs, visibleOrgIds } from './access.ts';
import { planImport, type PlannedConcern } from './dedupe.ts';
import { checkConcernFields } from './fields.ts';
import { getImport, importsOf, importView, keptErrors, type ConcernImportView } from './imports.ts';
import { readConcernUpload, type ImportFormat } from './upload.ts';
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
  /** `true`: only the concerns the actor logged, wherever they belong (我登记的). */
  mine: z.enum(['true', 'false']).optional(),
});
export type ListConcernsQuery = z.infer<typeof ListConcernsQuerySchema>;

export async function getConcern({ deps, actor, id }: { deps: Deps; actor: User; id: string }): Promise<Concern> {
  const concern = await concernsOf(deps).get(id);
  if (!concern) throw new NotFoundError(`关切 ${id} 不存在`);
  // Whoever logged it may follow it, even when it belongs to another district's desk.
  if (concern.capturedBy === actor.id) return concern;
  await assertInScope(deps, actor, concern.orgId, '查看该关切');
  return concern;
}

/** Overdue: still only received after the response window (config.responseDays). */
export function isOverdue(concern: Concern, now: Date, days: number): boolean {
  return concern.status === 'received' && now.getTime() - new Date(concern.capturedAt).getTime() > days * 86_400_000;
}

/** Concerns the actor may see, filtered; newest first, overdue flagged. */
export async function listConcerns({ deps, actor, query }: { deps: Deps; actor: User; query: ListConcernsQuery }): Promise<{ concerns: (Concern & { overdue: boolean })[]; total: number }> {
  const mine = query.mine === 'true';
  const scope = query.org ? await scopeOf(deps, actor, query.org) : await visibleOrgIds(deps, actor);
  const now = deps.clock();
  const days = deps.config.responseDays;
  const list = await concernsOf(deps).list(
    (c) =>
      (mine ? c.capturedBy === actor.id && (!query.org || scope.has(c.orgId)) : scope.has(c.orgId)) &&
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

/**
 * Bulk import of a CSV, JSON Lines or XLSX file: bad rows reported by line, good rows kept, repeats skipped. Every
 * import leaves a record (`importId`) so its result stays viewable; with `preview` nothing is added yet: the record
 * keeps the file and says what committing it (`commitImport`) would do, with the first rows and their errors.
 */
export async function importConcerns({ deps, actor, content, format, name = '', preview = false }: { deps: Deps; actor: User; content: string | Uint8Array; format?: ImportFormat | undefined; name?: string; preview?: boolean }): Promise<ImportResult & { importId: string; preview: ConcernImportView['preview'] }> {
  assertCanLog(actor);
  const { categories } = await getConcernSettings({ deps });
  const parsed = await readConcernUpload({ content, format, categories, districts: await districtNames(deps), now: deps.clock() });
  const { planned, skipped } = planImport({ rows: parsed.rows, existing: await existingFor(deps), now: deps.clock(), makeId: () => newId('cn') });
  const rows = parsed.rows.length + parsed.errors.length;
  const base = { by: actor.id, orgId: actor.orgId, name: name.slice(0, 200), ...(format ? { format } : {}), rows, skipped, errorCount: parsed.errors.length, errors: keptErrors(parsed.errors), preview: parsed.preview };
  if (preview) {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const record = await importsOf(deps).insert({ id: newId('imp'), ...base, status: 'preview', imported: planned.length, duplicates: planned.filter((p) => p.duplicateOf).length, content: Buffer.from(bytes).toString('base64') });
    return { importId: record.id, imported: 0, skipped, duplicates: record.duplicates, errors: parsed.errors, preview: parsed.preview };
  }
  const inserted = await insertPlanned(deps, actor, planned);
  const duplicates = inserted.filter((c) => c.duplicateOf).length;
  const record = await importsOf(deps).insert({ id: newId('imp'), ...base, status: 'done', imported: inserted.length, duplicates, committedAt: deps.clock().toISOString() });
  await deps.store.audit.append({ actor: actor.id, action: 'concern.import', target: { type: 'org', id: actor.orgId }, data: { imported: inserted.length, skipped, errors: parsed.errors.length, importId: record.id } });
  return { importId: record.id, imported: inserted.length, skipped, duplicates, errors: parsed.errors, preview: parsed.preview };
}

/** Commits a previewed import (its importer only, once): the file is read again against what is stored now. */
export async function commitImport({ deps, actor, id }: { deps: Deps; actor: User; id: string }): Promise<ConcernImportView> {
  const record = await getImport({ deps, actor, id });
  if (record.by !== actor.id) throw new ForbiddenError('只能确认自己上传的导入');
  if (record.status !== 'preview' || record.content === undefined) throw new ConflictError('status: 该导入已确认过');
  // Claim it first so a double click imports once.
  const claimed = await importsOf(deps).update(id, record.version, (r) => ({ ...r, status: 'done', committedAt: deps.clock().toISOString() }));
  const result = await importConcerns({ deps, actor, content: new Uint8Array(Buffer.from(record.content, 'base64')), format: record.format, name: record.name });
  // The commit's own record is folded into the preview's, so one import is one record.
  await importsOf(deps).remove(result.importId);
  const done = await importsOf(deps).update(id, claimed.version, (r) => {
    const { content: _file, ...rest } = r;
    return { ...rest, imported: result.imported, skipped: result.skipped, duplicates: result.duplicates ?? 0, errorCount: result.errors.length, errors: keptErrors(result.errors) };
  });
  return importView(done);
}

function planFor(deps: Deps, inputs: ConcernInput[], existing: Awaited<ReturnType<typeof existingFor>>) {
  return planImport({ rows: inputs.map((input, i) => ({ line: i + 1, input })), existing, now: deps.clock(), makeId: () => newId('cn') });
}

async function existingFor(deps: Deps) {
  return concernsOf(deps).list();
}

async function insertPlanned(deps: Deps, actor: User, planned: PlannedConcern[]): Promise<Concern[]> {
  const district = await districtOf(deps, actor.orgId);
  const orgFor = await owningOrgs(deps, actor);
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
      orgId: orgFor(input.district ?? district),
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
