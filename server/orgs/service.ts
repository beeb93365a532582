import { pinyin } from 'pinyin-pro';
import type { Deps } from '../context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { assertAdmin } from '../auth/permissions.ts';
import type { User } from '../users/schema.ts';
import type { CreateOrg, Org, UpdateOrg } from './schema.ts';

const orgs = (deps: Deps) => deps.store.collection<Org>('orgs');

export async function listOrgs({ deps }: { deps: Deps }): Promise<Org[]> {
  return (await orgs(deps).list()).sort((a, b) => a.id.localeCompare(b.id));
}

export async function getOrg({ deps, id }: { deps: Deps; id: string }): Promise<Org> {
  const org = await orgs(deps).get(id);
  if (!org) throw new NotFoundError(`组织 ${id} 不存在`);
  return org;
}

/** The org and every org below it. */
export async function descendantIds({ deps, id }: { deps: Deps; id: string }): Promise<Set<string>> {
  const all = await orgs(deps).list();
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const org of all) {
      if (org.parentId && out.has(org.parentId) && !out.has(org.id)) {
        out.add(org.id);
        grew = true;
      }
    }
  }
  return out;
}

/** The chain from the org up to the root, the org first. */
export async function ancestorIds({ deps, id }: { deps: Deps; id: string }): Promise<string[]> {
  const chain: string[] = [];
  let current = await orgs(deps).get(id);
  while (current && !chain.includes(current.id)) {
    chain.push(current.id);
    current = current.parentId ? await orgs(deps).get(current.parentId) : undefined;
  }
  return chain;
}

function slugId(name: string): string {
  return pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48) || 'org';
}

export async function createOrg({ deps, actor, input }: { deps: Deps; actor: User | 'system'; input: CreateOrg }): Promise<Org> {
  if (actor !== 'system') assertAdmin(actor, '创建组织');
  if (input.parentId) {
    if (!(await orgs(deps).get(input.parentId))) throw ValidationError.field('parentId', `上级组织 ${input.parentId} 不存在`);
  } else if (input.kind !== 'city' && (await orgs(deps).count()) > 0) {
    throw ValidationError.field('parentId', '只有市级组织可以没有上级');
  }
  let id = input.id ?? slugId(input.name);
  if (!input.id) for (let n = 2; await orgs(deps).get(id); n++) id = `${slugId(input.name)}-${n}`;
  else if (await orgs(deps).get(id)) throw new ConflictError(`id: 组织 ${id} 已存在`);
  const org = await orgs(deps).insert({ id, name: input.name, parentId: input.parentId, kind: input.kind });
  await deps.store.audit.append({ actor: actor === 'system' ? 'system' : actor.id, action: 'org.create', target: { type: 'org', id }, afterVersion: 1, data: { name: org.name, parentId: org.parentId } });
  return org;
}

export async function updateOrg({ deps, actor, id, input }: { deps: Deps; actor: User; input: UpdateOrg; id: string }): Promise<Org> {
  assertAdmin(actor, '修改组织');
  if (input.parentId) {
    if (!(await orgs(deps).get(input.parentId))) throw ValidationError.field('parentId', `上级组织 ${input.parentId} 不存在`);
    if ((await descendantIds({ deps, id })).has(input.parentId)) throw ValidationError.field('parentId', '不能把组织移到它自己的下级之下');
  }
  const org = await orgs(deps).update(id, input.version, (current) => ({
    ...current,
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.parentId === undefined ? {} : { parentId: input.parentId }),
  }));
  await deps.store.audit.append({ actor: actor.id, action: 'org.update', target: { type: 'org', id }, beforeVersion: input.version, afterVersion: org.version });
  return org;
}
