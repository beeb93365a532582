import type { Deps } from '../context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { hasRole } from '../auth/permissions.ts';
import { newId } from '../ids.ts';
import type { Org } from '../orgs/schema.ts';
import type { User } from '../users/schema.ts';
import { assertCanEdit } from '../content/permissions.ts';
import type { Question } from '../kinds/quiz/questions.ts';
import type { BankImportResult, BankQuestion, CreateBankQuestion, ListBankQuery, UpdateBankQuestion } from './schema.ts';
import { parseQuestionFile, type FileFormat } from './import.ts';

export const bankOf = (deps: Deps) => deps.store.collection<BankQuestion>('quiz-bank');

/** Text a repeated question is recognised by: NFKC, no spaces or punctuation, lower case. */
export const questionKey = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');

/** Editors see and change their own org's bank; admins any org's. */
function assertBankAccess(actor: User, orgId: string, action: string): void {
  if (hasRole(actor, 'admin')) return;
  if (!hasRole(actor, 'editor') && !hasRole(actor, 'reviewer')) throw new ForbiddenError(`${action}需要「编辑」或「审核」角色`);
  if (actor.orgId !== orgId) throw new ForbiddenError(`${action}：题库属于组织 ${orgId}，你只能使用本组织（${actor.orgId}）的题库`);
}

export async function listBank({ deps, actor, query }: { deps: Deps; actor: User; query: ListBankQuery }): Promise<{ questions: BankQuestion[]; total: number; page: number; pageSize: number }> {
  const orgId = query.org ?? actor.orgId;
  assertBankAccess(actor, orgId, '查看题库');
  const q = query.q?.trim().toLowerCase();
  const { records, total } = await bankOf(deps).query({
    filter: (b) =>
      b.orgId === orgId &&
      (!query.type || b.type === query.type) &&
      (!query.tag || b.tags.includes(query.tag)) &&
      (!q || b.text.toLowerCase().includes(q) || b.explanation.toLowerCase().includes(q) || b.options.some((o) => o.toLowerCase().includes(q))),
    sort: (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    offset: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
  });
  return { questions: records, total, page: query.page, pageSize: query.pageSize };
}

export async function getBankQuestion({ deps, actor, id }: { deps: Deps; actor: User; id: string }): Promise<BankQuestion> {
  const found = await bankOf(deps).get(id);
  if (!found) throw new NotFoundError(`题库中没有题目 ${id}`);
  assertBankAccess(actor, found.orgId, '查看题库');
  return found;
}

const questionFields = (q: Question): Omit<Question, 'bankId'> => {
  const { bankId: _bank, ...rest } = q;
  return rest;
};

export async function createBankQuestion({ deps, actor, input }: { deps: Deps; actor: User; input: CreateBankQuestion }): Promise<BankQuestion> {
  const orgId = input.orgId ?? actor.orgId;
  assertCanEdit(actor, { orgId }, '添加题目');
  if (!(await deps.store.collection<Org>('orgs').get(orgId))) throw ValidationError.field('orgId', `组织 ${orgId} 不存在`);
  const { tags, orgId: _org, ...question } = input;
  const record = await bankOf(deps).insert({ ...questionFields(question as Question), id: newId('qb'), orgId, tags, createdBy: actor.id });
  await deps.store.audit.append({ actor: actor.id, action: 'quiz-bank.create', target: { type: 'quiz-bank', id: record.id }, afterVersion: record.version, data: { text: record.text.slice(0, 80) } });
  return record;
}

export async function updateBankQuestion({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: UpdateBankQuestion }): Promise<BankQuestion> {
  const current = await getBankQuestion({ deps, actor, id });
  assertCanEdit(actor, current, '修改题目');
  const { version, tags, ...question } = input;
  const record = await bankOf(deps).update(id, version, (b) => {
    const next = { ...b, ...questionFields(question as Question), tags };
    if (!question.image) delete next.image;
    return next;
  });
  await deps.store.audit.append({ actor: actor.id, action: 'quiz-bank.update', target: { type: 'quiz-bank', id }, beforeVersion: version, afterVersion: record.version, data: { text: record.text.slice(0, 80) } });
  return record;
}

export async function deleteBankQuestion({ deps, actor, id, version }: { deps: Deps; actor: User; id: string; version: number }): Promise<void> {
  const current = await getBankQuestion({ deps, actor, id });
  assertCanEdit(actor, current, '删除题目');
  await bankOf(deps).remove(id, version);
  await deps.store.audit.append({ actor: actor.id, action: 'quiz-bank.delete', target: { type: 'quiz-bank', id }, beforeVersion: version, data: { text: current.text.slice(0, 80) } });
}

/**
 * Imports a CSV/XLSX question file into the actor's org bank. Bad rows are reported by line and
 * skipped; a question whose text is already in the bank (or earlier in the file) is counted in
 * `skipped`, so re-importing a file adds nothing.
 */
export async function importBank({ deps, actor, content, format }: { deps: Deps; actor: User; content: Uint8Array; format?: FileFormat }): Promise<BankImportResult> {
  assertCanEdit(actor, { orgId: actor.orgId }, '导入题库');
  const { rows, errors } = await parseQuestionFile({ content, ...(format ? { format } : {}) });
  const known = new Set((await bankOf(deps).list((b) => b.orgId === actor.orgId)).map((b) => questionKey(b.text)));
  let imported = 0;
  let skipped = 0;
  for (const row of rows) {
    const key = questionKey(row.question.text);
    if (known.has(key)) {
      skipped++;
      continue;
    }
    known.add(key);
    await bankOf(deps).insert({ ...questionFields(row.question), id: newId('qb'), orgId: actor.orgId, tags: row.tags, createdBy: actor.id });
    imported++;
  }
  await deps.store.audit.append({ actor: actor.id, action: 'quiz-bank.import', target: { type: 'org', id: actor.orgId }, data: { imported, skipped, errors: errors.length } });
  return { imported, skipped, errors };
}
