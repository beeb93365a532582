import { Hono } from 'hono';
import type { AppEnv, Deps } from '../context.ts';
import { serveSite } from '../publish/static-site.ts';
import { defaultSiteDir } from '../publish/publisher.ts';
import { securityHeaders } from './headers.ts';
import { isWorkbenchPath } from './site-origin.ts';
import { siteFilesOf } from '../http/site-fast-path.ts';
import { serveLiveFiles } from '../kinds/live/public.ts';

/** Only the public site and media (GET/HEAD), for LIANXIN_SITE_PORT: no API, no workbench, no sessions. */
export function createSiteApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', securityHeaders);
  // live pages poll their update files here too, with the live files' cache rules
  app.on(['GET', 'HEAD'], '/live/:slug/updates/:file', serveLiveFiles(() => defaultSiteDir(deps.config.dataDir)));
  const site = serveSite({ siteDir: () => defaultSiteDir(deps.config.dataDir), dataDir: deps.config.dataDir, files: siteFilesOf(deps) });
  app.on(['GET', 'HEAD'], '*', (c, next) => (isWorkbenchPath(c.req.path) ? next() : site(c)));
  app.notFound((c) => c.text('没有找到', 404));
  return app;
}
