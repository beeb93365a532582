import type { Deps } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { assertAdmin } from '../auth/permissions.ts';
import { hashPassword } from '../auth/password.ts';
import type { Org } from '../orgs/schema.ts';
import type { CreateUser, StoredUser, UpdateUser, User } from './schema.ts';

export const usersOf = (deps: Deps) => deps.store.collection<StoredUser>('users');

/** Drops the password hash. */
export function publicUser(user: StoredUser): User {
  const { passwordHash: _omit, ...rest } = user;
  return rest;
}

export async function listUsers({ deps, actor }: { deps: Deps; actor: User }): Promise<User[]> {
  assertAdmin(actor, '查看用户列表');
  return (await usersOf(deps).list()).map(publicUser).sort((a, b) => a.username.localeCompare(b.username));
}

export async function getUser({ deps, id }: { deps: Deps; id: string }): Promise<User> {
  const user = await usersOf(deps).get(id);
  if (!user) throw new NotFoundError(`用户 ${id} 不存在`);
  return publicUser(user);
}

export async function findUserByName({ deps, username }: { deps: Deps; username: string }): Promise<StoredUser | undefined> {
  const [user] = (await usersOf(deps).query({ where: { username }, limit: 1 })).records;
  return user;
}

async function assertOrg(deps: Deps, orgId: string): Promise<void> {
  if (!(await deps.store.collection<Org>('orgs').get(orgId))) throw ValidationError.field('orgId', `组织 ${orgId} 不存在`);
}

export async function createUser({ deps, actor, input }: { deps: Deps; actor: User | 'system'; input: CreateUser }): Promise<User> {
  if (actor !== 'system') assertAdmin(actor, '创建用户');
  await assertOrg(deps, input.orgId);
  if (await findUserByName({ deps, username: input.username })) throw new ConflictError(`username: 用户名 ${input.username} 已被使用`);
  const { password, ...rest } = input;
  const user = await usersOf(deps).insert({ id: newId('u'), ...rest, roles: [...new Set(rest.roles)], active: true, passwordHash: await hashPassword(password) });
  await deps.store.audit.append({ actor: actor === 'system' ? 'system' : actor.id, action: 'user.create', target: { type: 'user', id: user.id }, afterVersion: 1, data: { username: user.username, roles: user.roles, orgId: user.orgId } });
  return publicUser(user);
}

export async function updateUser({ deps, actor, id, input }: { deps: Deps; actor: User; id: string; input: UpdateUser }): Promise<User> {
  assertAdmin(actor, '修改用户');
  if (input.orgId) await assertOrg(deps, input.orgId);
  if (id === actor.id && (input.active === false || (input.roles && !input.roles.includes('admin')))) {
    throw ValidationError.field(input.active === false ? 'active' : 'roles', '不能停用自己或去掉自己的管理员角色');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const { version, password: _password, ...changes } = input;
  const user = await usersOf(deps).update(id, version, (current) => ({
    ...current,
    ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    ...(passwordHash ? { passwordHash } : {}),
  }));
  if (input.active === false || passwordHash) {
    // a deactivated user or a reset password ends every session of that user
    const sessions = deps.store.collection<{ id: string; userId: string; version: number; createdAt: string; updatedAt: string }>('sessions');
    for (const session of (await sessions.query({ where: { userId: id } })).records) await sessions.remove(session.id).catch(() => {});
  }
  await deps.store.audit.append({
    actor: actor.id,
    action: 'user.update',
    target: { type: 'user', id },
    beforeVersion: version,
    afterVersion: user.version,
    data: { fields: Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined).concat(passwordHash ? ['password'] : []) },
  });
  return publicUser(user);
}
