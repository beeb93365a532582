import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Deps } from './context.ts';
import { AppError } from './errors.ts';
import { startPublisher } from './publish/publisher.ts';
import { stopAstroBuilder } from './publish/build-site.ts';
import { defaultSiteDir } from './publish/publisher.ts';
import { createServerWithLiveFiles } from './kinds/live/public.ts';

/** Starts the HTTP server; resolves with a function that stops it. */
export async function startServer(deps: Deps): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp(deps);
  // Keeps the public site current on publish / correction / retraction (first start builds it).
  const publisher = startPublisher({ deps });
  const { port, host } = deps.config;
  return new Promise((resolve, reject) => {
    // polled live files are answered ahead of Hono (the hottest path on the site)
    const createServer = createServerWithLiveFiles(() => defaultSiteDir(deps.config.dataDir));
    const server = serve({ fetch: app.fetch, port, hostname: host, createServer }, (info) => {
      resolve({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}`,
        close: async () => {
          publisher.stop();
          stopAstroBuilder();
          await new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new AppError(409, 'port_in_use', `端口 ${port} 已被占用：请停止占用它的程序，或用 PORT=… 换一个端口`, { cause: error }) : error),
    );
  });
}
