import { existsSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../scripts/cli.ts';
import { siteRoot } from '../../server/publish/build-site.ts';

/** A path beside the project that starts with the project's path as a string (`/x/perf` → `/x/perf-out-…`). */
const sibling = (what: string) => `${siteRoot.replace(/\/$/, '')}-${what}-${randomBytes(4).toString('hex')}`;

describe('lianxin build outside the project', () => {
  const data = sibling('data');
  const out = sibling('out');
  afterAll(() => {
    rmSync(data, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  test('builds into an --out and from a --data whose paths share the project path as a prefix', async () => {
    const log = console.log;
    const lines: string[] = [];
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    try {
      expect(await main(['--data', data, 'seed', '--demo'])).toBe(0);
      const code = await main(['--data', data, 'build', '--out', out, '--no-search']);
      expect(code, lines.join('\n')).toBe(0);
    } finally {
      console.log = log;
    }
    const home = readFileSync(`${out}/index.html`, 'utf8');
    expect(home).toContain('<html lang="zh-CN"');
    expect(existsSync(`${out}/notices/index.html`)).toBe(true);
    // the builder's scratch folders are removed after the build
    expect(existsSync(`${out}/.prerender`)).toBe(false);
  });
});
