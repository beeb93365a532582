import type { createServer as createHttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Deps } from './context.ts';
import { AppError } from './errors.ts';
import { startPublisher } from './publish/publisher.ts';
import { stopAstroBuilder } from './publish/build-site.ts';
import { startClusterPublisher } from './cluster/site.ts';
import { createSiteApp } from './security/site-app.ts';
import { startScheduler } from './editorial/scheduler.ts';
import { createServerWithFastPaths, fastPathsOf } from './http/site-fast-path.ts';

/** Starts the HTTP server; resolves with a function that stops it. */
export async function startServer(deps: Deps, options: { schedulerIntervalMs?: number } = {}): Promise<{ url: string; siteUrl?: string; close: () => Promise<void> }> {
  // The public site alone on a second port (LIANXIN_SITE_PORT): its own origin, no API, no cookies.
  const siteServer = deps.config.sitePort === undefined ? undefined : await listen(createSiteApp(deps).fetch, deps.config.sitePort, deps.config.host, createServerWithFastPaths(fastPathsOf(deps, 'site')));
  const app = createApp(deps);
  // Keeps the public site current on publish / correction / retraction (first start builds it).
  // With several instances (PostgreSQL) one leader builds the shared site for every instance's changes.
  const publisher = deps.cluster ? startClusterPublisher({ deps, cluster: deps.cluster }) : startPublisher({ deps });
  // Scheduled publishing: due items (also those that fell due while the server was down) go out now, then every
  // interval. With several instances only the leader of the 'scheduler' role runs it (advisory lock, like the
  // site builder); when it stops or dies another instance takes over.
  const scheduler = runScheduler(deps, options.schedulerIntervalMs ?? (Number(process.env.LIANXIN_SCHEDULER_MS) || 15_000));
  const { port, host } = deps.config;
  return new Promise((resolve, reject) => {
    // polled live files and site files are answered ahead of Hono (the hottest paths on the site)
    const createServer = createServerWithFastPaths(fastPathsOf(deps, 'app'));
    const server = serve({ fetch: app.fetch, port, hostname: host, createServer }, (info) => {
      resolve({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}`,
        ...(siteServer ? { siteUrl: siteServer.url } : {}),
        close: async () => {
          scheduler.stop();
          publisher.stop();
          stopAstroBuilder();
          // the update under way ends (a render fails fast without its builder; the search index update finishes)
          await publisher.settled();
          // stop taking requests, let in-flight ones finish, then write every acknowledged reach hit
          const closed = new Promise<void>((done) => server.close(() => done()));
          const http = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
          http.closeIdleConnections?.();
          const force = setTimeout(() => http.closeAllConnections?.(), 3000);
          force.unref();
          await closed;
          clearTimeout(force);
          await siteServer?.close();
          await deps.reach.close();
          const { accepted, flushed } = deps.reach.stats;
          if (accepted) console.log(`传播统计：本次运行接收 ${accepted} 次，已写入 ${flushed} 次`);
        },
      });
    });
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new AppError(409, 'port_in_use', `端口 ${port} 已被占用：请停止占用它的程序，或用 PORT=… 换一个端口`, { cause: error }) : error),
    );
  });
}

function runScheduler(deps: Deps, intervalMs: number): { stop: () => void } {
  if (!deps.cluster) return startScheduler({ deps, intervalMs });
  const leave = deps.cluster.lead('scheduler', () => {
    console.info(`本实例（pid ${process.pid}）负责定时发布`);
    return startScheduler({ deps, intervalMs }).stop;
  });
  return { stop: leave };
}

function listen(fetch: (req: Request) => Response | Promise<Response>, port: number, host: string, createServer: typeof createHttpServer): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: host, createServer }, (info) =>
      resolve({ url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}`, close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
    server.once('error', reject);
  });
}
