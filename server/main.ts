import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Deps } from './context.ts';
import { AppError } from './errors.ts';
import { startPublisher } from './publish/publisher.ts';
import { stopAstroBuilder } from './publish/build-site.ts';
import { startScheduler } from './editorial/scheduler.ts';

/** Starts the HTTP server; resolves with a function that stops it. */
export async function startServer(deps: Deps, options: { schedulerIntervalMs?: number } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp(deps);
  // Keeps the public site current on publish / correction / retraction (first start builds it).
  const publisher = startPublisher({ deps });
  // Scheduled publishing: due items (also those that fell due while the server was down) go out now, then every interval.
  const scheduler = startScheduler({ deps, intervalMs: options.schedulerIntervalMs ?? (Number(process.env.LIANXIN_SCHEDULER_MS) || 15_000) });
  const { port, host } = deps.config;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      resolve({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}`,
        close: async () => {
          scheduler.stop();
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
