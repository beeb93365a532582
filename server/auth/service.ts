import { createHash, randomBytes } from 'node:crypto';
import type { Deps, Session } from '../context.ts';
import { UnauthorizedError } from '../errors.ts';
import { findUserByName, publicUser, usersOf } from '../users/service.ts';
import type { User } from '../users/schema.ts';
import { hashPassword, verifyPassword } from './password.ts';

type StoredSession = Session & { version: number; createdAt: string; updatedAt: string };
const sessions = (deps: Deps) => deps.store.collection<StoredSession>('sessions');

/** Sessions are stored under the hash of their token, so a copy of the data dir cannot be used to log in. */
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface LoginResult {
  token: string;
  session: Session;
  user: User;
}

/** Checks the password (rate-limited per user and per IP) and opens a session. */
export async function login({ deps, username, password, ip }: { deps: Deps; username: string; password: string; ip: string }): Promise<LoginResult> {
  const { byUser, byIp } = deps.limits.login;
  await byIp.check(ip, '此地址登录失败次数过多');
  await byUser.check(username, '该账号登录失败次数过多');
  const user = await findUserByName({ deps, username });
  // unknown users cost one scrypt too, and every refusal reads the same: the answer does not tell
  // which usernames exist or are deactivated
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !ok || !user.active) {
    await byUser.fail(username);
    await byIp.fail(ip);
    throw new UnauthorizedError('用户名或密码不正确');
  }
  await sweepExpiredSessions(deps);
  await byUser.reset(username);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(deps.clock().getTime() + deps.config.sessionTtlHours * 3600_000).toISOString();
  const stored = await sessions(deps).insert({ id: tokenHash(token), userId: user.id, csrf: randomBytes(24).toString('base64url'), expiresAt });
  await deps.store.audit.append({ actor: user.id, action: 'session.login', target: { type: 'user', id: user.id }, data: { ip } });
  return { token, session: toSession(stored), user: publicUser(user) };
}

let dummy: Promise<string> | undefined;
/** A real scrypt hash of a random password, so an unknown username costs what a wrong password costs. */
const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex')));

const lastSweep = new WeakMap<Deps, number>();
/** Removes expired sessions (at most every 10 minutes per app; expired ones are refused anyway). */
export async function sweepExpiredSessions(deps: Deps, force = false): Promise<number> {
  const now = deps.clock().getTime();
  if (!force && now - (lastSweep.get(deps) ?? 0) < 10 * 60_000) return 0;
  lastSweep.set(deps, now);
  const iso = deps.clock().toISOString();
  const expired = await sessions(deps).list((s) => s.expiresAt <= iso);
  for (const s of expired) await sessions(deps).remove(s.id).catch(() => undefined);
  return expired.length;
}

function toSession(s: StoredSession): Session {
  return { id: s.id, userId: s.userId, csrf: s.csrf, expiresAt: s.expiresAt };
}

/** The session and user behind a cookie token, or null when unknown, expired or deactivated. */
export async function resolveSession({ deps, token }: { deps: Deps; token: string }): Promise<{ session: Session; user: User } | null> {
  const stored = await sessions(deps).get(tokenHash(token));
  if (!stored) return null;
  if (stored.expiresAt <= deps.clock().toISOString()) {
    await sessions(deps).remove(stored.id).catch(() => {});
    return null;
  }
  const user = await usersOf(deps).get(stored.userId);
  if (!user || !user.active) return null;
  return { session: toSession(stored), user: publicUser(user) };
}

export async function logout({ deps, session }: { deps: Deps; session: Session }): Promise<void> {
  await sessions(deps).remove(session.id).catch(() => {});
  await deps.store.audit.append({ actor: session.userId, action: 'session.logout', target: { type: 'user', id: session.userId } });
}
