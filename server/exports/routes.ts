import { createRoute } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, IdParams, jsonOk } from '../http/router.ts';
import { defaultSiteDir } from '../publish/publisher.ts';
import { WechatPackageSchema, WeiboPackageSchema } from './schema.ts';
import { exportWechat, exportWeibo, readPublished } from './service.ts';

const app = createRouter();

app.openapi(
  createRoute({ method: 'get', path: '/{id}/export/wechat', tags: ['exports'], summary: '微信公众号图文包（draft/add 的 articles[]，图片已转码待上传）', request: { params: IdParams }, responses: { 200: jsonOk(WechatPackageSchema), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    const { dataDir, siteUrl } = c.var.deps.config;
    const item = readPublished({ dataDir, id: c.req.valid('param').id });
    return c.json(await exportWechat({ dataDir, siteDir: defaultSiteDir(dataDir), siteUrl, item }), 200);
  },
);

app.openapi(
  createRoute({ method: 'get', path: '/{id}/export/weibo', tags: ['exports'], summary: '微博发布包（140 字正文、长文、最多 9 张图）', request: { params: IdParams }, responses: { 200: jsonOk(WeiboPackageSchema), ...errorResponses } }),
  async (c) => {
    assertUser(c.var.user);
    const { dataDir, siteUrl } = c.var.deps.config;
    return c.json(exportWeibo({ siteUrl, item: readPublished({ dataDir, id: c.req.valid('param').id }) }), 200);
  },
);

export default app;
