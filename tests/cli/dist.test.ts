import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers.ts';

// The compiled CLI (esbuild bundle in dist/) as `npm start` and the `lianxin` bin run it: plain node, no tsx.
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'scripts', 'lianxin.mjs');
const cli = join(root, 'dist', 'cli.js');
const env = { ...process.env, LIANXIN_ADMIN_PASSWORD: 'dist-test-password', NODE_OPTIONS: '' };

let data: ReturnType<typeof tempDir>;
let server: ChildProcess | undefined;

beforeAll(() => {
  data = tempDir('lianxin-dist-');
  // the bin rebuilds dist/ when it is missing or older than the sources, so this runs the code under test
  const help = spawnSync(process.execPath, [bin, '--help'], { cwd: root, env, encoding: 'utf8' });
  expect(help.status, help.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }
  data.cleanup();
});

describe('the compiled CLI in dist/', () => {
  test('is plain JavaScript that node runs without tsx', () => {
    expect(existsSync(cli)).toBe(true);
    expect(existsSync(join(root, 'dist', 'astro-worker.js'))).toBe(true);
    expect(readFileSync(cli, 'utf8')).not.toMatch(/from ['"][^'"]+\.tsx?['"]/);
  });

  test('--help lists every command, exit code 0; an unknown command exits 2', () => {
    const res = spawnSync(process.execPath, [cli, '--help'], { env, encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('Usage: lianxin');
    for (const name of ['serve', 'seed', 'users', 'backup', 'restore', 'render', 'build', 'export', 'import', 'group', 'report']) expect(res.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(spawnSync(process.execPath, [cli, 'nonsense'], { env, encoding: 'utf8' }).status).toBe(2);
  });

  test('seeds, serves /api/health and workbench assets from a temp data dir, and builds the site with the compiled builder', async () => {
    const seeded = spawnSync(process.execPath, [cli, '--data', data.dir, '--json', 'seed', '--demo'], { env, encoding: 'utf8' });
    expect(seeded.status, seeded.stderr).toBe(0);
    expect(JSON.parse(seeded.stdout)).toMatchObject({ orgs: expect.any(Number), items: expect.any(Number) });

    const child = spawn(process.execPath, [cli, '--data', data.dir, 'serve', '--port', '0', '--no-demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line:\n${out}`)), 60_000);
      child.stdout!.on('data', () => {
        const m = /http:\/\/localhost:(\d+)\/workbench/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${m[1]}`);
        }
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
    });

    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, store: 'lowdb' });
    // anonymous API writes are refused before validation
    expect((await fetch(`${base}/api/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })).status).toBe(401);

    // the login page links the client bundle, which the server builds from the sources at run time
    const login = await fetch(`${base}/workbench/login`);
    expect(login.status).toBe(200);
    const html = await login.text();
    const script = /src="(\/workbench\/assets\/app\.[0-9a-f]{12}\.js)"/.exec(html)?.[1];
    const css = /href="(\/workbench\/assets\/app\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    expect(script && css).toBeTruthy();
    expect((await fetch(base + script)).status).toBe(200);
    expect(await (await fetch(base + css!)).text()).toContain('{');

    // first start on published items: the publisher builds the site in the compiled builder process
    const index = join(data.dir, 'site', 'index.html');
    const deadline = Date.now() + 240_000;
    while (!existsSync(index) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 250));
    expect(existsSync(index), out).toBe(true);
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<html lang="zh-CN"');
    expect(out).not.toMatch(/站点构建失败|ERR_MODULE_NOT_FOUND/);

    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
  }, 300_000);
});
