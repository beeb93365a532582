import type { Deps } from '../../context.ts';
import type { Org } from '../../orgs/schema.ts';
import { listOrgs } from '../../orgs/service.ts';
import { publicUser, usersOf } from '../../users/service.ts';
import type { User } from '../../users/schema.ts';

/** Names for ids shown on pages (authors, orgs); loaded once per request. */
export interface Lookups {
  orgs: Org[];
  users: User[];
  orgName(id: string): string;
  userName(id: string): string;
}

export async function loadLookups(deps: Deps): Promise<Lookups> {
  const orgs = await listOrgs({ deps });
  const users = (await usersOf(deps).list()).map(publicUser).sort((a, b) => a.username.localeCompare(b.username));
  const orgNames = new Map(orgs.map((o) => [o.id, o.name]));
  const userNames = new Map(users.map((u) => [u.id, u.displayName]));
  return {
    orgs,
    users,
    orgName: (id) => orgNames.get(id) ?? id,
    userName: (id) => (id === 'system' ? '系统' : (userNames.get(id) ?? id)),
  };
}

/**
 * Orgs in tree order with their depth (for indented selects and the org tree). Works on a subtree
 * too: an org whose parent is not in the list is a root (a district user's own org and below).
 */
export function orgTree(orgs: Org[]): { org: Org; depth: number }[] {
  const out: { org: Org; depth: number }[] = [];
  const present = new Set(orgs.map((o) => o.id));
  const byName = (a: Org, b: Org) => a.name.localeCompare(b.name, 'zh-CN');
  const walk = (level: Org[], depth: number) => {
    for (const org of level.sort(byName)) {
      out.push({ org, depth });
      walk(orgs.filter((o) => o.parentId === org.id), depth + 1);
    }
  };
  walk(orgs.filter((o) => o.parentId === null || !present.has(o.parentId)), 0);
  return out;
}

export const formatTime = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
