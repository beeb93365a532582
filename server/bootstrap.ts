import type { Deps } from './context.ts';
import { randomPassword } from './auth/password.ts';
import type { Org } from './orgs/schema.ts';
import { createOrg } from './orgs/service.ts';
import { createUser, usersOf } from './users/service.ts';

/**
 * On an empty data dir: creates the user `admin` in the root org (made if there is none). The
 * password comes from LIANXIN_ADMIN_PASSWORD, otherwise a random one is returned so the caller
 * prints it once. Returns undefined when an admin exists already.
 */
export async function ensureAdmin(deps: Deps): Promise<{ username: string; password: string; generated: boolean } | undefined> {
  if ((await usersOf(deps).list((u) => u.roles.includes('admin'))).length > 0) return undefined;
  const orgs = deps.store.collection<Org>('orgs');
  const root = (await orgs.list((o) => o.parentId === null))[0] ?? (await createOrg({ deps, actor: 'system', input: { id: 'city', name: '市级组织（请在管理页改名）', parentId: null, kind: 'city' } }));
  const password = deps.config.adminPassword ?? randomPassword();
  await createUser({ deps, actor: 'system', input: { username: 'admin', displayName: '系统管理员', orgId: root.id, roles: ['admin'], password } });
  return { username: 'admin', password, generated: !deps.config.adminPassword };
}
