import { z } from 'zod';
import { UpdateItemBaseFields } from '../content/schema.ts';
import { ValidationError } from '../errors.ts';
import { KIND_PARTS, type AnyKindModule, type KindRegistry } from './types.ts';

type Union = [z.ZodObject, ...z.ZodObject[]];

const fn = (v: unknown) => typeof v === 'function';
const fnOrNull = (v: unknown) => v === null || typeof v === 'function';

/** What is missing or malformed in a kind module (empty when it declares every part). */
export function kindModuleProblems(k: AnyKindModule): string[] {
  const m = k as unknown as Record<string, unknown>;
  const problems = KIND_PARTS.filter((part) => m[part] === undefined).map((part) => `${part}: missing`);
  if (problems.length) return problems;
  const checks: Array<[string, boolean]> = [
    ['kind', typeof k.kind === 'string' && /^[a-z][a-z0-9-]{0,39}$/.test(k.kind)],
    ['label', typeof k.label === 'string' && k.label.length > 0],
    ['schemas.item', k.schemas.item instanceof z.ZodObject && (k.schemas.item.shape as Record<string, z.ZodType>).kind instanceof z.ZodLiteral],
    ['schemas.create', k.schemas.create instanceof z.ZodObject],
    ['schemas.update', typeof k.schemas.update === 'object' && k.schemas.update !== null],
    ['schemas.draft', k.schemas.draft instanceof z.ZodType],
    ['checks', fn(k.checks?.beforeUpdate) && fn(k.checks?.beforeReview) && fn(k.checks?.beforePublish)],
    ['column', typeof k.column?.key === 'string' && /^[a-z0-9-]+$/.test(k.column.key) && Boolean(k.column.name) && typeof k.column.description === 'string'],
    ['html', fn(k.html?.site) && fn(k.html?.feed) && fn(k.html?.wechat)],
    ['jsonLd', fn(k.jsonLd)],
    ['weibo', fn(k.weibo)],
    ['media', fn(k.media)],
    ['editor', fnOrNull(k.editor?.newFields) && fn(k.editor?.fromNewForm) && fnOrNull(k.editor?.fields) && fnOrNull(k.editor?.preview)],
    ['review', fnOrNull(k.review?.beforeDiff) && fnOrNull(k.review?.afterDiff)],
    ['fromGroup', fnOrNull(k.fromGroup)],
    ['api', k.api === null || (typeof k.api === 'object' && fn((k.api as { fetch?: unknown }).fetch))],
    ['siteFiles', fnOrNull(k.siteFiles)],
  ];
  return checks.filter(([, ok]) => !ok).map(([part]) => `${part}: malformed`);
}

/** Builds the registry from kind modules: lookups, the site's columns and the API's union schemas. */
export function createKindRegistry(list: readonly AnyKindModule[]): KindRegistry {
  if (!list.length) throw new Error('kinds: at least one kind must be registered');
  const byKind = new Map<string, AnyKindModule>();
  for (const k of list) {
    const problems = kindModuleProblems(k);
    if (problems.length) throw new Error(`kinds: “${String(k?.kind)}” is incomplete — ${problems.join('; ')}`);
    if (byKind.has(k.kind)) throw new Error(`kinds: “${k.kind}” is registered twice`);
    byKind.set(k.kind, k);
  }
  const columns = [...new Map(list.map((k) => [k.column.key, k.column])).values()];
  const owners = new Map<string, AnyKindModule[]>();
  for (const k of list) for (const field of Object.keys(k.schemas.update)) owners.set(field, [...(owners.get(field) ?? []), k]);
  const updateFields: z.ZodRawShape = {};
  for (const k of list) Object.assign(updateFields, k.schemas.update);
  const names = list.map((k) => k.kind).join('、');

  return {
    list,
    find: (kind) => byKind.get(kind),
    get(kind) {
      const found = byKind.get(kind);
      if (!found) throw ValidationError.field('kind', `未知稿件类型“${String(kind).slice(0, 40)}”，可用：${names}`);
      return found;
    },
    label: (kind) => byKind.get(kind)?.label ?? kind,
    columns,
    schemas: {
      item: z.discriminatedUnion('kind', list.map((k) => k.schemas.item) as Union),
      create: z.discriminatedUnion('kind', list.map((k) => k.schemas.create) as Union),
      update: z.object({ ...UpdateItemBaseFields, ...updateFields }),
    },
    ownersOf: (field) => owners.get(field) ?? [],
  };
}
