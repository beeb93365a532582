import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Deps } from './context.ts';
import { AppError } from './errors.ts';
import { startPublisher } from './publish/publisher.ts';
import { stopAstroBuilder } from './publish/build-site.ts';

/** Starts the HTTP server; resolves with a function that stops it. */
export async function startServer(deps: Deps): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp(deps);
  // Keeps the public site current on publish / correction / retraction (first start builds it).
  const publisher = startPublisher({ deps });
  const { port, host } = deps.config;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      resolve({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}`,
        close: async () => {
          publisher.stop();
          stopAstroBuilder();
          // stop taking requests, let in-flight ones finish, then write every acknowledged reach hit
          const closed = new Promise<void>((done) => server.close(() => done()));
          const http = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
          http.closeIdleConnections?.();
          const force = setTimeout(() => http.closeAllConnections?.(), 3000);
          force.unref();
          await closed;
          clearTimeout(force);
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
