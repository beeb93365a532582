import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { Role, User } from '../users/schema.ts';
import { ROLE_LABELS } from '../users/schema.ts';

export function hasRole(user: User, role: Role): boolean {
  return user.active && user.roles.includes(role);
}

/** Throws 403 naming the missing role and the action. */
export function assertRole(user: User, role: Role, action: string): void {
  if (!hasRole(user, role)) throw new ForbiddenError(`${action}需要「${ROLE_LABELS[role]}」角色，你没有该角色`);
}

export function assertAdmin(user: User, action: string): void {
  assertRole(user, 'admin', action);
}

export function assertUser(user: User | null): User {
  if (!user) throw new UnauthorizedError();
  if (!user.active) throw new ForbiddenError('账号已停用');
  return user;
}
