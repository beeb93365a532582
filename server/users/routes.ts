import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import { CreateUserSchema, UpdateUserSchema, UserSchema } from './schema.ts';
import { createUser, listUsers, updateUser } from './service.ts';

const app = createRouter();

app.openapi(createRoute({ method: 'get', path: '/', tags: ['users'], summary: '用户列表（管理员）', responses: { 200: jsonOk(z.object({ users: z.array(UserSchema) })), ...errorResponses } }), async (c) =>
  c.json({ users: await listUsers({ deps: c.var.deps, actor: assertUser(c.var.user) }) }, 200),
);

app.openapi(
  createRoute({ method: 'post', path: '/', tags: ['users'], summary: '创建用户（管理员）', request: { body: jsonBody(CreateUserSchema) }, responses: { 201: jsonOk(UserSchema), ...errorResponses } }),
  async (c) => c.json(await createUser({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') }), 201),
);

app.openapi(
  createRoute({ method: 'patch', path: '/{id}', tags: ['users'], summary: '修改用户：角色、组织、停用、重置密码（管理员）', request: { params: IdParams, body: jsonBody(UpdateUserSchema) }, responses: { 200: jsonOk(UserSchema), ...errorResponses } }),
  async (c) => c.json(await updateUser({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

export default app;
