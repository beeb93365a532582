import { z } from 'zod';
import type { Deps } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import type { User } from '../users/schema.ts';
import { assertInScope } from './access.ts';
import { IsoDateTimeSchema } from './schema.ts';

/** Errors kept on a record; the count says how many there were in all. */
const KEPT_ERRORS = 500;
/** A preview not committed within a day is dropped (its file with it). */
const PREVIEW_TTL_MS = 86_400_000;

const PreviewRowSchema = z.object({ line: z.number().int(), values: z.record(z.string(), z.string()), error: z.string().optional() });

/**
 * One import, kept so its result stays viewable after leaving the page. A `preview` holds the file (base64) until the
 * importer commits it; `done` holds what happened: counts, the first rows and every error by line (the first 500).
 */
export const ConcernImportSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  by: z.string(),
  orgId: z.string(),
  name: z.string(),
  format: z.enum(['csv', 'jsonl', 'xlsx']).optional(),
  status: z.enum(['preview', 'done']),
  /** Records read from the file (good and bad). */
  rows: z.number().int(),
  /** In a preview: what committing would add, skip (already logged) and link as repeats. Once done: what it did. */
  imported: z.number().int(),
  skipped: z.number().int(),
  duplicates: z.number().int(),
  errorCount: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
  preview: z.array(PreviewRowSchema),
  committedAt: IsoDateTimeSchema.optional(),
  content: z.string().optional(),
});
export type ConcernImport = z.infer<typeof ConcernImportSchema>;
export type ConcernImportView = Omit<ConcernImport, 'content'>;

export const importsOf = (deps: Deps) => deps.store.collection<ConcernImport>('concern-imports');

export const keptErrors = <T>(errors: T[]): T[] => errors.slice(0, KEPT_ERRORS);

/** The record without the stored file. */
export function importView(record: ConcernImport): ConcernImportView {
  const { content: _file, ...view } = record;
  return view;
}

/** A stale preview: older than a day and never committed. */
export const isStalePreview = (record: ConcernImport, now: Date) => record.status === 'preview' && now.getTime() - Date.parse(record.createdAt) > PREVIEW_TTL_MS;

/** One import record: the importer's own, or one of an org the actor sees. */
export async function getImport({ deps, actor, id }: { deps: Deps; actor: User; id: string }): Promise<ConcernImport> {
  const record = await importsOf(deps).get(id);
  if (!record || isStalePreview(record, deps.clock())) throw new NotFoundError(`导入记录 ${id} 不存在或已过期`);
  if (record.by !== actor.id) await assertInScope(deps, actor, record.orgId, '查看该导入记录');
  return record;
}

/** The actor's own imports, newest first (stale previews dropped on the way). */
export async function listImports({ deps, actor, limit = 20 }: { deps: Deps; actor: User; limit?: number }): Promise<ConcernImportView[]> {
  const now = deps.clock();
  const mine = await importsOf(deps).list((r) => r.by === actor.id);
  for (const stale of mine.filter((r) => isStalePreview(r, now))) await importsOf(deps).remove(stale.id).catch(() => undefined);
  return mine
    .filter((r) => !isStalePreview(r, now))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
    .slice(0, limit)
    .map(importView);
}
