import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Deps } from './context.ts';
import { csrfMiddleware, sameOriginMiddleware, sessionMiddleware } from './auth/middleware.ts';
import { requireUserForProtectedRoutes } from './auth/gate.ts';
import { renderApiDocs } from './http/api-docs.ts';
import { handleError } from './http/errors.ts';
import session from './auth/routes.ts';
import orgs from './orgs/routes.ts';
import users from './users/routes.ts';
import { createItemRoutes } from './content/routes.ts';
import review from './review/routes.ts';
import audit from './audit/routes.ts';
import jobs from './jobs/routes.ts';
import media from './media/routes.ts';
import exportsApi from './exports/routes.ts';
import { serveSite } from './publish/static-site.ts';
import { siteFilesOf } from './http/site-fast-path.ts';
import { defaultSiteDir } from './publish/publisher.ts';
import concerns from './concerns/routes.ts';
import groups from './groups/routes.ts';
import reports from './reports/routes.ts';
import { wireConcerns } from './groups/answers.ts';
import { wireQuiz } from './kinds/quiz/wire.ts';
import workbench from './ui/routes.tsx';
import { wireLive } from './kinds/live/service.ts';
import { postQuestion, serveLiveFiles } from './kinds/live/public.ts';
import series from './series/routes.ts';
import quizBank from './quiz-bank/routes.ts';
import quiz from './kinds/quiz/routes.ts';
import quizAnswers from './kinds/quiz/answers-routes.ts';
import { securityHeaders } from './security/headers.ts';
import { siteOriginSplit } from './security/site-origin.ts';
import { limitBodies } from './security/body-limit.ts';
import editorial from './editorial/routes.ts';
import comments from './comments/routes.ts';
import notifications from './notifications/routes.ts';
import siteStatus from './publish/routes.ts';
import { wireNotifications } from './notifications/service.ts';
import reach from './reach/routes.ts';
import evaluation from './evaluation/routes.ts';
import reachIngest from './reach/ingest-routes.ts';
import { wireReach } from './reach/wire.ts';

/** The composition root: every route, middleware and error handler over the given dependencies. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();
  wireConcerns(deps);
  wireLive(deps);
  wireQuiz(deps);
  wireNotifications(deps);
  wireReach(deps);
  app.onError(handleError);

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', securityHeaders);
  app.use('*', siteOriginSplit(deps.config.siteOrigin));
  // bodies are limited by route before auth, CSRF or any parser reads them
  app.use('*', limitBodies);
  // Public live endpoints, ahead of sessions: the polled update files and readers' questions (no CSRF: anyone may ask).
  app.on(['GET', 'HEAD'], '/live/:slug/updates/:file', serveLiveFiles(() => defaultSiteDir(deps.config.dataDir)));
  app.post('/api/live/:id/questions', postQuestion);
  // anonymous quiz answers come from the site's pages (possibly on the site origin): before the
  // same-origin check and the session middleware, so no cookie is ever read for them
  app.route('/api/quiz', quizAnswers);
  // reader beacons, the no-JS pixel and short links: public, cookie-blind, before sessions and CSRF
  app.route('/', reachIngest);
  app.use('*', sameOriginMiddleware);
  app.use('*', sessionMiddleware);
  // authentication before validation: anonymous callers of protected routes get 401, not the schema's complaint
  app.use('/api/*', requireUserForProtectedRoutes(app));
  app.use('/api/*', csrfMiddleware);

  app.get('/api/health', (c) => c.json({ ok: true, store: deps.store.adapter, time: deps.clock().toISOString() }));
  app.route('/api/session', session);
  app.route('/api/orgs', orgs);
  app.route('/api/users', users);
  app.route('/api/items', createItemRoutes(deps.kinds));
  app.route('/api/items', review);
  app.route('/api/audit', audit);
  // routes a kind adds under /api/items (e.g. POST /{id}/render for video)
  for (const kind of deps.kinds.list) if (kind.api) app.route('/api/items', kind.api);
  app.route('/api/jobs', jobs);
  app.route('/api/media', media);
  app.route('/api/items', exportsApi);
  app.route('/api/concerns', concerns);
  app.route('/api/groups', groups);
  app.route('/api/reports', reports);
  app.route('/api/series', series);
  app.route('/api/quiz-bank', quizBank);
  app.route('/api/quiz', quiz);
  app.route('/api/items', editorial);
  app.route('/api/items', comments);
  app.route('/api/notifications', notifications);
  app.route('/api/site', siteStatus);
  app.route('/api/reach', reach);
  app.route('/api/evaluation', evaluation);
  // the workbench pages, before the public site's catch-all
  app.route('/workbench', workbench);

  const info = { title: '连心 Lianxin', version: '0.1.0', description: '志愿者网宣工作台 API' };
  app.doc31('/api/openapi.json', { openapi: '3.1.0', info });
  app.get('/api/docs', (c) => c.html(renderApiDocs(app.getOpenAPI31Document({ openapi: '3.1.0', info }) as never)));
  // The public site (built by `lianxin build` / the publisher) and media: last, so workbench routes win.
  // (`lianxin serve` answers most of these ahead of Hono: server/http/site-fast-path.ts)
  const site = serveSite({ siteDir: () => defaultSiteDir(deps.config.dataDir), dataDir: deps.config.dataDir, files: siteFilesOf(deps) });
  app.on(['GET', 'HEAD'], '*', (c, next) => (c.req.path.startsWith('/api/') ? next() : site(c)));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `没有这个地址：${c.req.method} ${c.req.path}`, issues: [] } }, 404));
  return app;
}

export type App = ReturnType<typeof createApp>;
