import { z } from 'zod';
import type { Deps } from '../context.ts';
import { assertAdmin } from '../auth/permissions.ts';
import type { User } from '../users/schema.ts';
import { DEFAULT_CATEGORIES } from './schema.ts';

export const ConcernSettingsSchema = z.object({
  id: z.literal('concerns'),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  categories: z.array(z.string()),
});
export type ConcernSettings = z.infer<typeof ConcernSettingsSchema>;

export const UpdateCategoriesSchema = z.object({
  version: z.number().int().positive().optional(),
  categories: z
    .array(z.string().trim().min(1, '类别名不能为空').max(20, '类别名最多 20 字'))
    .min(1, '至少保留一个类别')
    .max(50)
    .refine((list) => new Set(list).size === list.length, '类别不能重复')
    .refine((list) => list.includes('其他'), '必须保留「其他」类别'),
});
export type UpdateCategories = z.infer<typeof UpdateCategoriesSchema>;

const settingsOf = (deps: Deps) => deps.store.collection<ConcernSettings>('settings');

/** Current categories (the defaults until an admin edits them). */
export async function getConcernSettings({ deps }: { deps: Deps }): Promise<{ categories: string[]; version: number }> {
  const stored = await settingsOf(deps).get('concerns');
  return stored ? { categories: stored.categories, version: stored.version } : { categories: [...DEFAULT_CATEGORIES], version: 0 };
}

/** Admins edit the category list; existing concerns keep the category they were filed under. */
export async function updateCategories({ deps, actor, input }: { deps: Deps; actor: User; input: UpdateCategories }): Promise<{ categories: string[]; version: number }> {
  assertAdmin(actor, '修改关切类别');
  const collection = settingsOf(deps);
  const saved = (await collection.get('concerns'))
    ? await collection.update('concerns', input.version, (current) => ({ ...current, categories: input.categories }))
    : await collection.insert({ id: 'concerns', categories: input.categories });
  await deps.store.audit.append({ actor: actor.id, action: 'settings.categories', target: { type: 'settings', id: 'concerns' }, afterVersion: saved.version, data: { categories: saved.categories } });
  return { categories: saved.categories, version: saved.version };
}
