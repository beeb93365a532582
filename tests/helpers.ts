import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../server/app.ts';
import { loadConfig, type Config } from '../server/config.ts';
import { createDeps, type Deps } from '../server/context.ts';
import { createStore, type Store } from '../server/store/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../scripts/seed/demo.ts';
import { ensureAdmin } from '../server/bootstrap.ts';

export const ADMIN_PASSWORD = 'admin-test-password';

/** A temp directory removed by the returned cleanup. */
export function tempDir(prefix = 'lianxin-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestEnv {
  app: App;
  deps: Deps;
  dir: string;
  close: () => Promise<void>;
}

/** A real app over a real lowdb store in a temp dir, optionally seeded with the demo data. */
export async function createTestEnv(options: { demo?: boolean; clock?: () => Date; config?: Partial<Config>; /** another adapter than lowdb (PostgreSQL) */ store?: Store } = {}): Promise<TestEnv> {
  const { dir, cleanup } = tempDir();
  const config = loadConfig({}, { dataDir: dir, adminPassword: ADMIN_PASSWORD, siteUrl: 'https://lianxin.example.cn', ...options.config });
  const store = options.store ?? createStore({ adapter: 'lowdb', dir, ...(options.clock ? { clock: options.clock } : {}) });
  const deps = createDeps({ store, config, ...(options.clock ? { clock: options.clock } : {}) });
  if (options.demo) await seedDemo(deps);
  await ensureAdmin(deps);
  return {
    app: createApp(deps),
    deps,
    dir,
    close: async () => {
      await deps.store.close();
      cleanup();
    },
  };
}

export interface Client {
  cookie: string;
  csrf: string;
  userId: string;
  /** A JSON request with the session cookie and CSRF token. */
  request: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;
}

let ipCounter = 0;

/** Logs in through POST /api/session and returns a client carrying the cookie and CSRF token. */
export async function loginAs(app: App, username: string, password = username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD): Promise<Client> {
  const ip = `10.0.0.${++ipCounter % 250}`;
  const res = await app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': ip }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const body = (await res.json()) as { csrfToken: string; user: { id: string } };
  return {
    cookie,
    csrf: body.csrfToken,
    userId: body.user.id,
    request: async (method, path, payload, headers = {}) =>
      app.request(path, {
        method,
        headers: { cookie, 'x-csrf-token': body.csrfToken, ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(payload === undefined ? {} : { body: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
      }),
  };
}

/** A minimal valid tiptap document. */
export const doc = (...paragraphs: string[]) => ({ type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });

/** A urlencoded form body; array values repeat the field (checkboxes, multi-selects). */
export function formBody(fields: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
}
