import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let chen: Client;
beforeAll(async () => {
  env = await createTestEnv({ demo: true, config: { bodyLimit: 50_000 } });
  chen = await loginAs(env.app, 'chen.editor');
});
afterAll(() => env.close());

describe('bad input gets a clear 4xx naming the field and changes nothing', () => {
  test.each([
    ['missing title', { kind: 'notice', body: doc('x') }, 'title'],
    ['empty title', { kind: 'notice', title: '  ', body: doc('x') }, 'title'],
    ['unknown kind', { kind: 'poem', title: 't', body: doc('x') }, 'kind'],
    ['body not a doc', { kind: 'notice', title: 't', body: { type: 'paragraph' } }, 'body.type'],
    ['script link', { kind: 'notice', title: 't', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] } }, 'body.content.0.content.0.marks.0.attrs.href'],
    ['data: image', { kind: 'notice', title: 't', body: { type: 'doc', content: [{ type: 'image', attrs: { src: 'data:image/png;base64,AAAA' } }] } }, 'body.content.0.attrs.src'],
    ['raw html node', { kind: 'notice', title: 't', body: { type: 'doc', content: [{ type: 'html', attrs: { html: '<script>alert(1)</script>' } }] } }, 'body.content.0.type'],
    ['onclick attribute', { kind: 'notice', title: 't', body: { type: 'doc', content: [{ type: 'paragraph', attrs: { onclick: 'alert(1)' } }] } }, 'body.content.0.attrs.onclick'],
    ['too many tags', { kind: 'notice', title: 't', body: doc('x'), tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
    ['source url not http', { kind: 'rumor-guide', title: 't', body: doc('x'), claims: [{ claim: 'c', verdict: 'false', evidence: 'e', sources: [{ name: 'n', url: 'javascript:x' }] }] }, 'claims.0.sources.0.url'],
  ])('%s → 400 at %s', async (_name, payload, path) => {
    const before = await env.deps.store.collection('items').count();
    const res = await chen.request('POST', '/api/items', payload);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(error.message.startsWith(`${error.issues[0].path}: `)).toBe(true);
    expect(await env.deps.store.collection('items').count()).toBe(before);
  });

  test('malformed JSON → 400, not 500', async () => {
    const res = await chen.request('POST', '/api/items', '{"kind": "notice", ');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/JSON/);
  });

  test('a body over the limit → 413', async () => {
    const res = await chen.request('POST', '/api/items', { kind: 'notice', title: 't', body: doc('长'.repeat(60_000)) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  test('unknown item → 404; unknown route → 404 JSON', async () => {
    expect((await chen.request('GET', '/api/items/it_nope')).status).toBe(404);
    const res = await chen.request('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  test('a bad transition target and a bad query are 400 naming the field', async () => {
    const item = await (await chen.request('POST', '/api/items', { kind: 'notice', title: 't', body: doc('x') })).json();
    const res = await chen.request('POST', `/api/items/${item.id}/transitions`, { to: 'launched' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.issues[0].path).toBe('to');
    const query = await chen.request('GET', '/api/items?pageSize=1000');
    expect(query.status).toBe(400);
    expect((await query.json()).error.issues[0].path).toBe('query.pageSize');
  });

  test('text that looks like HTML is stored as text and rendered escaped', async () => {
    const res = await chen.request('POST', '/api/items', { kind: 'notice', title: '<script>alert(1)</script>', body: doc('<img src=x onerror=alert(1)>') });
    expect(res.status).toBe(201);
    const { renderBodyHtml } = await import('../../server/content/tiptap.ts');
    const item = await res.json();
    expect(item.title).toBe('<script>alert(1)</script>');
    expect(renderBodyHtml(item.body)).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
  });
});

describe('API description', () => {
  test('health answers', async () => {
    expect(await (await env.app.request('/api/health')).json()).toMatchObject({ ok: true, store: 'lowdb' });
  });

  test('OpenAPI 3.1 document lists the routes with their schemas; the reference page renders', async () => {
    const spec = await (await env.app.request('/api/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    for (const path of ['/api/session', '/api/orgs', '/api/users', '/api/users/{id}', '/api/items', '/api/items/{id}', '/api/items/{id}/transitions', '/api/items/{id}/history', '/api/audit']) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
    expect(spec.paths['/api/items'].post.requestBody.content['application/json'].schema).toBeTruthy();
    const page = await (await env.app.request('/api/docs')).text();
    expect(page).toContain('/api/items/{id}/transitions');
  });
});
