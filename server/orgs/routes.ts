import { createRoute, z } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonBody, jsonOk } from '../http/router.ts';
import { CreateOrgSchema, OrgSchema, UpdateOrgSchema } from './schema.ts';
import { createOrg, listOrgs, updateOrg } from './service.ts';

const app = createRouter();

app.openapi(createRoute({ method: 'get', path: '/', tags: ['orgs'], summary: '组织列表（树由 parentId 组成）', responses: { 200: jsonOk(z.object({ orgs: z.array(OrgSchema) })), ...errorResponses } }), async (c) => {
  assertUser(c.var.user);
  return c.json({ orgs: await listOrgs({ deps: c.var.deps }) }, 200);
});

app.openapi(
  createRoute({ method: 'post', path: '/', tags: ['orgs'], summary: '创建组织（管理员）', request: { body: jsonBody(CreateOrgSchema) }, responses: { 201: jsonOk(OrgSchema), ...errorResponses } }),
  async (c) => c.json(await createOrg({ deps: c.var.deps, actor: assertUser(c.var.user), input: c.req.valid('json') }), 201),
);

app.openapi(
  createRoute({ method: 'patch', path: '/{id}', tags: ['orgs'], summary: '修改组织（管理员）', request: { params: IdParams, body: jsonBody(UpdateOrgSchema) }, responses: { 200: jsonOk(OrgSchema), ...errorResponses } }),
  async (c) => c.json(await updateOrg({ deps: c.var.deps, actor: assertUser(c.var.user), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
);

export default app;
