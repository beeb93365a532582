import { afterAll, describe, expect, test } from 'vitest';
import { createSiteApp } from '../../server/security/site-app.ts';
import { createTestEnv, type TestEnv } from '../helpers.ts';

// Issue 10's defences around origins and addresses: the workbench's own CSP, the production origin
// split (LIANXIN_SITE_ORIGIN and the site-only app of LIANXIN_SITE_PORT) and the proxy setting.
const envs: TestEnv[] = [];
afterAll(async () => {
  for (const env of envs) await env.close();
});
const open = async (config: Parameters<typeof createTestEnv>[0] = {}) => {
  const env = await createTestEnv(config);
  envs.push(env);
  return env;
};

describe('headers and origins', () => {
  test('workbench pages carry a strict CSP (no inline script) and refuse framing', async () => {
    const env = await open();
    const res = await env.app.request('/workbench/login');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const script = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(script).toContain("'self'");
    expect(script).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  test('LIANXIN_SITE_ORIGIN: the site origin never serves the API or workbench; the workbench origin sends site pages there', async () => {
    const env = await open({ config: { siteOrigin: 'https://site.lianxin.example' } });
    for (const path of ['/api/session', '/workbench/login']) {
      expect((await env.app.request(`https://site.lianxin.example${path}`)).status, path).toBe(404);
    }
    const moved = await env.app.request('https://work.lianxin.example/notices/?page=2');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('https://site.lianxin.example/notices/?page=2');
    expect((await env.app.request('https://work.lianxin.example/workbench/login')).status).toBe(200);
  });

  test('the site-only app (LIANXIN_SITE_PORT) answers no API, no workbench and no writes', async () => {
    const env = await open();
    const site = createSiteApp(env.deps);
    expect((await site.request('/api/session')).status).toBe(404);
    expect((await site.request('/workbench/login')).status).toBe(404);
    expect((await site.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
  });
});

describe('LIANXIN_TRUST_PROXY and the per-IP login limit', () => {
  const fail = (env: TestEnv, n: number, headers: Record<string, string>) =>
    env.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.9.9.9', ...headers }, body: JSON.stringify({ username: `nobody${n}`, password: 'wrong-password' }) });

  test('without the setting X-Forwarded-For is ignored: rotating it does not escape the limit', async () => {
    const env = await open();
    let last = 0;
    for (let n = 0; n < 32 && last !== 429; n++) last = (await fail(env, n, { 'x-forwarded-for': `198.51.100.${n}` })).status;
    expect(last).toBe(429);
  }, 120_000);

  test('with LIANXIN_TRUST_PROXY=1 the proxy-reported address is limited, and another client is not', async () => {
    const env = await open({ config: { trustProxy: 1 } });
    let last = 0;
    for (let n = 0; n < 32 && last !== 429; n++) last = (await fail(env, n, { 'x-forwarded-for': `1.2.3.4, 203.0.113.7` })).status;
    expect(last).toBe(429);
    const other = await fail(env, 99, { 'x-forwarded-for': '203.0.113.8' });
    expect(other.status).toBe(401);
  }, 120_000);
});
