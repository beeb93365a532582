/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertAdmin, assertUser } from '../../auth/permissions.ts';
import { CreateOrgSchema, ORG_KINDS, ORG_KIND_LABELS, type Org } from '../../orgs/schema.ts';
import { createOrg } from '../../orgs/service.ts';
import { CreateUserSchema, ROLES, ROLE_LABELS, UpdateUserSchema, type User } from '../../users/schema.ts';
import { createUser, getUser, listUsers, updateUser } from '../../users/service.ts';
import { parseInput } from '../../validate.ts';
import { renderPage } from '../shared/layout.tsx';
import { FormCard } from '../shared/form-card.tsx';
import { formAction, many, one } from '../shared/forms.ts';
import { loadLookups, orgTree } from '../shared/lookups.ts';

const app = new Hono<AppEnv>();

function OrgSelect({ id, name, orgs, value, allowNone }: { id: string; name: string; orgs: Org[]; value?: string | null | undefined; allowNone?: boolean }) {
  return (
    <select id={id} name={name}>
      {allowNone && <option value="">（无，市级根组织）</option>}
      {orgTree(orgs).map(({ org, depth }) => (
        <option value={org.id} selected={org.id === value}>
          {'　'.repeat(depth) + org.name}
        </option>
      ))}
    </select>
  );
}

function RoleChecks({ prefix, roles }: { prefix: string; roles: User['roles'] }) {
  return (
    <fieldset class="checks">
      <legend>角色</legend>
      {ROLES.map((role) => (
        <label for={`${prefix}-role-${role}`}>
          <input type="checkbox" id={`${prefix}-role-${role}`} name="roles" value={role} checked={roles.includes(role)} /> {ROLE_LABELS[role]}
        </label>
      ))}
    </fieldset>
  );
}

app.get('/admin/users', async (c) => {
  const actor = assertUser(c.var.user);
  const deps = c.var.deps;
  const [users, names] = await Promise.all([listUsers({ deps, actor }), loadLookups(deps)]);
  const csrf = c.var.session?.csrf ?? '';
  const body = (
    <>
      <h1>用户</h1>
      <table class="list">
        <caption class="sr-only">全部用户</caption>
        <thead>
          <tr>
            <th scope="col">用户名</th>
            <th scope="col">姓名</th>
            <th scope="col">组织</th>
            <th scope="col">角色</th>
            <th scope="col">状态</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>{names.orgName(u.orgId)}</td>
              <td>{u.roles.map((r) => ROLE_LABELS[r]).join('、')}</td>
              <td>{u.active ? '启用' : '已停用'}</td>
              <td>
                <a href={`/workbench/admin/users/${u.id}`} aria-label={`编辑用户 ${u.username}`}>
                  编辑
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FormCard id="new-user-title" title="新建用户" action="/workbench/admin/users" csrf={csrf}>
        <label for="username">用户名</label>
        <input id="username" name="username" required autocomplete="off" pattern="[a-z0-9][a-z0-9_.\-]{1,31}" />
        <label for="displayName">姓名</label>
        <input id="displayName" name="displayName" required maxlength={40} />
        <label for="orgId">组织</label>
        <OrgSelect id="orgId" name="orgId" orgs={names.orgs} value={actor.orgId} />
        <RoleChecks prefix="new" roles={[]} />
        <label for="password">初始密码（至少 8 位）</label>
        <input id="password" name="password" type="password" required minlength={8} autocomplete="new-password" />
        <button type="submit" class="primary">
          创建用户
        </button>
      </FormCard>
    </>
  );
  return renderPage(c, { title: '用户', nav: 'users', body });
});

app.post('/admin/users', (c) =>
  formAction(c, '/workbench/admin/users', async ({ user, form }) => {
    const input = parseInput(CreateUserSchema, { username: one(form, 'username'), displayName: one(form, 'displayName'), orgId: one(form, 'orgId'), roles: many(form, 'roles'), password: one(form, 'password') });
    const created = await createUser({ deps: c.var.deps, actor: user, input });
    return { ok: `已创建用户 ${created.username}` };
  }),
);

app.get('/admin/users/:id', async (c) => {
  const actor = assertUser(c.var.user);
  assertAdmin(actor, '修改用户');
  const deps = c.var.deps;
  const [u, names] = await Promise.all([getUser({ deps, id: c.req.param('id') }), loadLookups(deps)]);
  const body = (
    <section class="card narrow">
      <h1>编辑用户 {u.username}</h1>
      <form method="post" action={`/workbench/admin/users/${u.id}`} class="stack">
        <input type="hidden" name="_csrf" value={c.var.session?.csrf ?? ''} />
        <input type="hidden" name="version" value={String(u.version)} />
        <label for="displayName">姓名</label>
        <input id="displayName" name="displayName" required value={u.displayName} maxlength={40} />
        <label for="orgId">组织</label>
        <OrgSelect id="orgId" name="orgId" orgs={names.orgs} value={u.orgId} />
        <RoleChecks prefix="edit" roles={u.roles} />
        <label for="active">
          <input type="checkbox" id="active" name="active" value="1" checked={u.active} /> 账号启用（取消勾选即停用，并结束其所有登录）
        </label>
        <label for="password">重置密码（留空则不修改；重置后该用户需重新登录）</label>
        <input id="password" name="password" type="password" minlength={8} autocomplete="new-password" />
        <button type="submit" class="primary">
          保存
        </button>
      </form>
      <p>
        <a href="/workbench/admin/users">返回用户列表</a>
      </p>
    </section>
  );
  return renderPage(c, { title: `编辑用户 ${u.username}`, nav: 'users', body });
});

app.post('/admin/users/:id', (c) => {
  const id = c.req.param('id');
  return formAction(c, `/workbench/admin/users/${id}`, async ({ user, form }) => {
    const password = one(form, 'password');
    const input = parseInput(UpdateUserSchema, {
      version: Number(one(form, 'version')),
      displayName: one(form, 'displayName'),
      orgId: one(form, 'orgId'),
      roles: many(form, 'roles'),
      active: one(form, 'active') === '1',
      ...(password ? { password } : {}),
    });
    const updated = await updateUser({ deps: c.var.deps, actor: user, id, input });
    return { ok: `已保存用户 ${updated.username}${password ? '，密码已重置' : ''}`, to: '/workbench/admin/users' };
  });
});

function OrgBranch({ orgs, parentId, users }: { orgs: Org[]; parentId: string | null; users: User[] }) {
  const children = orgs.filter((o) => o.parentId === parentId).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  if (children.length === 0) return null;
  return (
    <ul class={parentId === null ? 'tree' : undefined}>
      {children.map((org) => (
        <li>
          <span class="org-name">{org.name}</span> <span class="meta">
            {ORG_KIND_LABELS[org.kind]} · {org.id} · {users.filter((u) => u.orgId === org.id).length} 人
          </span>
          <OrgBranch orgs={orgs} parentId={org.id} users={users} />
        </li>
      ))}
    </ul>
  );
}

app.get('/admin/orgs', async (c) => {
  const actor = assertUser(c.var.user);
  assertAdmin(actor, '管理组织');
  const names = await loadLookups(c.var.deps);
  const body = (
    <>
      <h1>组织</h1>
      <section class="card" aria-labelledby="tree-title">
        <h2 id="tree-title">组织结构</h2>
        <OrgBranch orgs={names.orgs} parentId={null} users={names.users} />
      </section>
      <p>
        <a href="/workbench/admin/categories">关切类别设置</a>
      </p>
      <FormCard id="new-org-title" title="新建组织" action="/workbench/admin/orgs" csrf={c.var.session?.csrf ?? ''}>
        <label for="name">名称</label>
        <input id="name" name="name" required maxlength={60} />
        <label for="parentId">上级组织</label>
        <OrgSelect id="parentId" name="parentId" orgs={names.orgs} value={actor.orgId} allowNone />
        <label for="kind">层级</label>
        <select id="kind" name="kind">
          {ORG_KINDS.map((k) => (
            <option value={k} selected={k === 'grassroots'}>
              {ORG_KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <button type="submit" class="primary">
          创建组织
        </button>
      </FormCard>
    </>
  );
  return renderPage(c, { title: '组织', nav: 'orgs', body });
});

app.post('/admin/orgs', (c) =>
  formAction(c, '/workbench/admin/orgs', async ({ user, form }) => {
    const input = parseInput(CreateOrgSchema, { name: one(form, 'name'), parentId: one(form, 'parentId') || null, kind: one(form, 'kind') });
    const org = await createOrg({ deps: c.var.deps, actor: user, input });
    return { ok: `已创建组织「${org.name}」` };
  }),
);

export default app;
