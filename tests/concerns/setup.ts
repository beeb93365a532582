import { createTestEnv, type TestEnv } from '../helpers.ts';
import { DEMO_PASSWORD } from '../../scripts/seed/demo.ts';

/** Thursday of 2026-W48, 12:00 in Yancheng. */
export const NOW = new Date('2026-11-26T04:00:00Z');

export type Client = (path: string, init?: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> }) => Promise<Response>;

/** The shared test env (real app, lowdb in a temp dir, demo data incl. the demo concerns week) at a fixed clock, plus a fetch-like client per user. */
export async function setupApp(): Promise<TestEnv & { as: (username: string) => Promise<Client> }> {
  const env = await createTestEnv({ demo: true, clock: () => NOW });
  const as = async (username: string): Promise<Client> => {
    const res = await env.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return async (path, init = {}) =>
      env.app.request(path, {
        method: init.method ?? (init.json !== undefined || init.body !== undefined ? 'POST' : 'GET'),
        headers: { cookie, 'x-csrf-token': csrfToken, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body !== undefined ? { body: init.body } : {}),
      });
  };
  return { ...env, as };
}
