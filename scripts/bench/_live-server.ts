// The live bench's server: the real app over a prepared data dir, in its own process (so the load
// generator does not share its event loop). Prints nothing; sends { port } to the parent.
import { serve } from '@hono/node-server';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { createServerWithFastPaths, fastPathsOf } from '../../server/http/site-fast-path.ts';

const dataDir = process.argv[2]!;
const deps = createDeps({ store: createStore({ adapter: 'lowdb', dir: dataDir }), config: loadConfig({}, { dataDir, siteUrl: 'https://lianxin.example.cn' }) });
const app = createApp(deps);
// the same server as `lianxin serve` (server/main.ts): live and site files ahead of Hono
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', createServer: createServerWithFastPaths(fastPathsOf(deps, 'app')) }, (info) => process.send?.({ port: info.port }));
process.on('message', async (m) => {
  if (m === 'stop') {
    server.close();
    await deps.store.close();
    process.exit(0);
  }
});
