import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, type TestEnv, formBody as form } from '../helpers.ts';
import { itemsOf } from '../../server/content/service.ts';
import { findUserByName } from '../../server/users/service.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
});
afterAll(async () => {
  await env?.close();
});

const page = async (path: string, cookie: string) => {
  const res = await env.app.request(path, { headers: { cookie } });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
};

describe('workbench login', () => {
  test('the login form signs in with username and password and redirects to the workbench', async () => {
    const res = await env.app.request('/workbench/login', { method: 'POST', body: form({ username: 'chen.editor', password: 'lianxin-demo', next: '/workbench/items' }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/workbench/items');
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const home = await page('/workbench', cookie);
    expect(home.html).toContain('陈晓（编辑）');
    expect(home.html).toContain('亭湖区');
  });

  test('the home page lists the panels, with the concerns waiting for an answer in the user’s orgs', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const home = await page('/workbench', chen.cookie);
    for (const panel of ['my-drafts', 'sent-back', 'concerns-waiting', 'recently-published']) expect(home.html).toContain(`data-panel="${panel}"`);
    expect(home.html).not.toContain('data-panel="to-review"');
    expect(home.html).toContain('没有等待回应的关切。');
    // the demo's unanswered concerns are all in Funing
    const wang = await loginAs(env.app, 'wang.editor');
    const funing = await page('/workbench', wang.cookie);
    expect(funing.html).toMatch(/data-panel="concerns-waiting"[\s\S]*?<ul class="rows">/);
    expect(funing.html).not.toContain('没有等待回应的关切。');
  });

  test('a volunteer reporter sees the desks they work at, and published items as the public pages they would share', async () => {
    const navOf = (html: string) => [...(html.match(/<nav aria-label="主导航">[\s\S]*?<\/nav>/)?.[0] ?? '').matchAll(/<a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]);
    const xu = await loginAs(env.app, 'xu.reporter');
    const home = await page('/workbench', xu.cookie);
    expect(navOf(home.html)).toEqual(['工作台', '网民关切', '传播', '评优']);
    const published = home.html.match(/data-panel="recently-published"[\s\S]*?<\/section>/)?.[0] ?? '';
    const links = [...published.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!).filter((href) => !href.startsWith('/workbench/items?'));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) expect(href).toMatch(/^https:\/\/lianxin\.example\.cn\/[a-z-]+\/[^/]+\/$/);
    // an editor keeps every desk and opens the item in the workbench
    const chen = await loginAs(env.app, 'chen.editor');
    const editorHome = await page('/workbench', chen.cookie);
    expect(navOf(editorHome.html)).toEqual(['工作台', '稿件', '网民关切', '系列', '题库', '传播', '评优', '直播']);
    expect(editorHome.html).toMatch(/data-panel="recently-published"[\s\S]*?href="\/workbench\/items\/it_[^"]+\/edit"/);
  });

  test('a wrong password shows the error on the form and sets no cookie', async () => {
    const res = await env.app.request('/workbench/login', { method: 'POST', body: form({ username: 'chen.editor', password: 'wrong-password' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('用户名或密码不正确');
  });

  test('never redirects outside the workbench after login', async () => {
    const res = await env.app.request('/workbench/login', { method: 'POST', body: form({ username: 'zhao.reviewer', password: 'lianxin-demo', next: '//evil.example/' }) });
    expect(res.headers.get('location')).toBe('/workbench');
  });

  test('pages need a session and send the visitor to the login form', async () => {
    const res = await env.app.request('/workbench/items?status=draft');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/workbench/login?next=%2Fworkbench%2Fitems%3Fstatus%3Ddraft');
  });
});

describe('workbench forms', () => {
  test('a form post without the CSRF field is refused and changes nothing', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const before = (await itemsOf(env.deps).list()).length;
    const res = await env.app.request('/workbench/items/new', { method: 'POST', headers: { cookie: chen.cookie }, body: form({ kind: 'notice', title: '没有 CSRF' }) });
    expect(res.status).toBe(403);
    expect((await itemsOf(env.deps).list()).length).toBe(before);
  });

  test('creating a notice from the form opens its editor', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const res = await env.app.request('/workbench/items/new', { method: 'POST', headers: { cookie: chen.cookie }, body: form({ _csrf: chen.csrf, kind: 'notice', title: '表单创建的公告' }) });
    expect(res.status).toBe(303);
    const editor = await page(res.headers.get('location')!, chen.cookie);
    expect(editor.html).toContain('value="表单创建的公告"');
    expect(editor.html).toMatch(/<script type="module" src="\/workbench\/assets\/editor\.[0-9a-f]{12}\.js">/);
  });

  test('an empty title is flashed back naming the field', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const res = await env.app.request('/workbench/items/new', { method: 'POST', headers: { cookie: chen.cookie }, body: form({ _csrf: chen.csrf, kind: 'notice', title: '' }) });
    const flash = res.headers.get('set-cookie')!;
    const back = await page(res.headers.get('location')!, `${chen.cookie}; ${flash.split(';')[0]}`);
    expect(back.html).toContain('title: 标题不能为空');
  });

  test('the review page offers no approve button to the author, and the transition form refuses it', async () => {
    const zhao = await loginAs(env.app, 'zhao.reviewer');
    const inReview = (await itemsOf(env.deps).list((i) => i.status === 'in-review'))[0]!;
    const reviewer = await page(`/workbench/review/${inReview.id}`, zhao.cookie);
    expect(reviewer.html).toContain('>审核通过</button>');
    const author = await loginAs(env.app, 'chen.editor');
    const authorView = await page(`/workbench/review/${inReview.id}`, author.cookie);
    expect(authorView.html).not.toContain('>审核通过</button>');
    const res = await env.app.request(`/workbench/items/${inReview.id}/transition`, { method: 'POST', headers: { cookie: author.cookie }, body: form({ _csrf: author.csrf, to: 'approved', version: String(inReview.version) }) });
    expect(res.status).toBe(303);
    expect((await itemsOf(env.deps).get(inReview.id))!.status).toBe('in-review');
  });

  test('an admin creates a user with roles from the form, and deactivates them', async () => {
    const admin = await loginAs(env.app, 'admin');
    const created = await env.app.request('/workbench/admin/users', { method: 'POST', headers: { cookie: admin.cookie }, body: form({ _csrf: admin.csrf, username: 'qian.editor', displayName: '钱多（编辑）', orgId: 'dafeng', roles: ['editor', 'reviewer'], password: 'long-enough-1' }) });
    expect(created.status).toBe(303);
    const user = (await findUserByName({ deps: env.deps, username: 'qian.editor' }))!;
    expect(user.roles).toEqual(['editor', 'reviewer']);
    await env.app.request(`/workbench/admin/users/${user.id}`, { method: 'POST', headers: { cookie: admin.cookie }, body: form({ _csrf: admin.csrf, version: String(user.version), displayName: user.displayName, orgId: 'dafeng', roles: ['editor'] }) });
    const after = (await findUserByName({ deps: env.deps, username: 'qian.editor' }))!;
    expect(after.active).toBe(false);
    expect(after.roles).toEqual(['editor']);
  });

  test('the item list filters by status and text', async () => {
    const zhao = await loginAs(env.app, 'zhao.reviewer');
    const list = await page('/workbench/items?kind=notice&status=published&q=%E6%A0%A1%E8%BD%A6', zhao.cookie);
    expect(list.html).toContain('关于城区校车安全的回应');
    expect(list.html).not.toContain('五星街道老旧小区加装电梯进展');
    expect(list.html).toContain('共 1 篇');
  });
});

describe('assets', () => {
  test('client bundles are served with a content hash and immutable caching', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const home = await page('/workbench', chen.cookie);
    const src = /src="(\/workbench\/assets\/app\.[0-9a-f]{12}\.js)"/.exec(home.html)![1]!;
    const res = await env.app.request(src);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    const again = await env.app.request(src, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const plain = await res.text();
    // br where the browser takes it, gzip where only gzip, identity where it refuses both; each its own ETag
    const br = await env.app.request(src, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(new Uint8Array(await br.arrayBuffer())).toString()).toBe(plain);
    const zipped = await env.app.request(src, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(new Uint8Array(await zipped.arrayBuffer())).toString()).toBe(plain);
    expect(new Set([res.headers.get('etag'), br.headers.get('etag'), zipped.headers.get('etag')]).size).toBe(3);
    const refused = await env.app.request(src, { headers: { 'accept-encoding': 'gzip;q=0, br;q=0' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
    expect(await refused.text()).toBe(plain);
    // a revalidation of the gzip copy gets its 304; the identity tag does not match a gzip answer
    expect((await env.app.request(src, { headers: { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.get('etag')! } })).status).toBe(304);
    expect((await env.app.request(src, { headers: { 'accept-encoding': 'gzip', 'if-none-match': res.headers.get('etag')! } })).status).toBe(200);
  });
});
