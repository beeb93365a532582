import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../../scripts/seed/demo.ts';

/** Thursday of 2026-W48, 12:00 in Yancheng. */
export const NOW = new Date('2026-11-26T04:00:00Z');

export type Client = (path: string, init?: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> }) => Promise<Response>;

/** A real app over lowdb in a temp dir, seeded with the demo org tree, accounts, items and concerns week. */
export async function setupApp(): Promise<{ deps: Deps; app: ReturnType<typeof createApp>; as: (username: string) => Promise<Client>; close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lx-concerns-'));
  const clock = () => NOW;
  const deps = createDeps({ store: createStore({ adapter: 'lowdb', dir, clock }), config: loadConfig({}, { dataDir: dir }), clock });
  await seedDemo(deps);
  const app = createApp(deps);
  const as = async (username: string): Promise<Client> => {
    const res = await app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return async (path, init = {}) =>
      app.request(path, {
        method: init.method ?? (init.json !== undefined || init.body !== undefined ? 'POST' : 'GET'),
        headers: { cookie, 'x-csrf-token': csrfToken, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body !== undefined ? { body: init.body } : {}),
      });
  };
  return {
    deps,
    app,
    as,
    close: async () => {
      await deps.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
