import { createServer, type IncomingMessage, type RequestListener, type ServerOptions, type ServerResponse } from 'node:http';
import type { Deps } from '../context.ts';
import { liveFastPath } from '../kinds/live/public.ts';
import { defaultSiteDir } from '../publish/publisher.ts';
import { rawPath, type SiteFiles } from '../publish/static-headers.ts';
import { writeAnswer } from '../publish/static-wire.ts';
import { createSiteFiles } from '../publish/static-files.ts';
import { securityHeadersFor } from '../security/headers.ts';
import { isWorkbenchPath } from '../security/site-origin.ts';

const shared = new WeakMap<Deps, SiteFiles>();

/** The site's files for these deps: one cache shared by the Hono routes and the node:http fast path. */
export function siteFilesOf(deps: Deps): SiteFiles {
  let files = shared.get(deps);
  if (!files) {
    const { dataDir, secureCookies } = deps.config;
    // every site path has the site's policy; the paths with another (API, workbench) never reach the site files
    files = createSiteFiles({ siteDir: () => defaultSiteDir(dataDir), dataDir, extraHeaders: securityHeadersFor('/', secureCookies) });
    shared.set(deps, files);
  }
  return files;
}

/**
 * Paths the app (server/app.ts) answers itself before its public-site catch-all: the API, the workbench
 * and short links. tests/http/site-fast-path.test.ts checks this against the app's routes.
 */
export const answeredByApp = (path: string) => isWorkbenchPath(path) || path.startsWith('/r/');

type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Site pages, assets and media answered straight on Node's request, ahead of Hono: the busiest path of a
 * public server, answered with headers prepared once per file (security headers included) and bytes from
 * memory, without building a Request and a Response or running the workbench's middleware (sessions,
 * CSRF, body limits), none of which a site file needs. Anything else (`defer`, other methods, another
 * host than the site origin) is left to Hono, which answers site files the same way (static-site.ts).
 */
export function siteFastPath({ files, defer, siteOrigin }: { files: SiteFiles; defer: (path: string) => boolean; /** LIANXIN_SITE_ORIGIN: only requests for that host (and media) are site requests */ siteOrigin?: string | undefined }): FastPath {
  const siteHost = siteOrigin ? new URL(siteOrigin).host.toLowerCase() : undefined;
  return (req, res) => {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = req.url ?? '';
    // origin-form only ("/path?query"); absolute-form and anything odd goes the long way
    if (url.charCodeAt(0) !== 47) return false;
    const path = rawPath(url);
    let decoded = path;
    if (path.includes('%')) {
      try {
        decoded = decodeURIComponent(path);
      } catch {
        return false;
      }
    }
    if (defer(decoded)) return false;
    // with the site on its own origin, the workbench origin redirects pages there (site-origin.ts)
    if (siteHost !== undefined && (req.headers.host ?? '').toLowerCase() !== siteHost && !decoded.startsWith('/media/')) return false;
    let found;
    try {
      const ifRange = req.headers['if-range'];
      const acceptEncoding = req.headers['accept-encoding'];
      found = files.answer(path, req.headers['if-none-match'], method === 'HEAD', { range: req.headers.range, ifRange: typeof ifRange === 'string' ? ifRange : undefined }, typeof acceptEncoding === 'string' ? acceptEncoding : undefined);
    } catch {
      // an unexpected disk error: Hono's error handler answers it (and logs it once)
      return false;
    }
    // a promise only while a large text file is compressed for the first time (a failed compression answers identity)
    if (found instanceof Promise) found.then((answer) => writeAnswer(res, answer)).catch(() => res.destroy());
    else writeAnswer(res, found);
    return true;
  };
}

/** The fast paths of the workbench server (live files, then site files) and of the site-only port. */
export function fastPathsOf(deps: Deps, server: 'app' | 'site'): FastPath[] {
  const siteDir = () => defaultSiteDir(deps.config.dataDir);
  const files = siteFilesOf(deps);
  return [
    liveFastPath(siteDir, securityHeadersFor('/', deps.config.secureCookies)),
    server === 'app'
      ? siteFastPath({ files, defer: answeredByApp, siteOrigin: deps.config.siteOrigin })
      : siteFastPath({ files, defer: isWorkbenchPath }),
  ];
}

/** An `http.createServer` for @hono/node-server's `serve` that tries the fast paths before Hono. */
export function createServerWithFastPaths(fast: FastPath[]): typeof createServer {
  return ((options: ServerOptions, listener: RequestListener) =>
    createServer(options, (req, res) => {
      for (const path of fast) if (path(req, res)) return;
      listener(req, res);
    })) as unknown as typeof createServer;
}
