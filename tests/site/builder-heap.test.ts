import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { tempDir } from '../helpers.ts';
import { writeFixtureSnapshots } from './fixtures.ts';
import { astroBuilderPid, builderHeapMb, runAstroBuild, stopAstroBuilder } from '../../server/publish/build-site.ts';

// The site builder's V8 heap is capped by the site's size (left alone, V8 grows a 10k build to 0.7–1 GB
// before collecting); a cap too small for the site costs a retry, never a failed build.
const heapFlag = () => {
  const pid = astroBuilderPid();
  if (!pid) return undefined;
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return args.find((a) => a.startsWith('--max-old-space-size='));
};

afterEach(() => {
  delete process.env.LIANXIN_BUILDER_HEAP_MB;
  stopAstroBuilder();
});

describe('the site builder heap', () => {
  test('grows with the site: 256 MB + 20 KB an item, unless LIANXIN_BUILDER_HEAP_MB says otherwise', () => {
    expect(builderHeapMb(0)).toBe(256);
    expect(builderHeapMb(10_000)).toBe(456);
    expect(builderHeapMb(100_000)).toBe(2_256);
    process.env.LIANXIN_BUILDER_HEAP_MB = '700';
    expect(builderHeapMb(10_000)).toBe(700);
  });

  test('the builder runs with the cap sized by the snapshots on disk', async () => {
    const { dir, cleanup } = tempDir();
    writeFixtureSnapshots({ dataDir: dir, count: 60 });
    await runAstroBuild({ dataDir: dir, outDir: join(dir, 'site'), siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' });
    expect(heapFlag()).toBe(`--max-old-space-size=${256 + Math.ceil(60 * 0.02)}`);
    cleanup();
  }, 240_000);

  test('a cap too small for the build: the builder runs out, the build is retried without a cap and succeeds', async () => {
    const { dir, cleanup } = tempDir();
    writeFixtureSnapshots({ dataDir: dir, count: 5 });
    process.env.LIANXIN_BUILDER_HEAP_MB = '16';
    const warn = vi.spyOn(console, 'warn');
    const result = await runAstroBuild({ dataDir: dir, outDir: join(dir, 'site'), siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' });
    expect(result.rendered).toContain('/');
    expect(existsSync(join(dir, 'site', 'index.html'))).toBe(true);
    expect(warn.mock.calls.some((c) => /站点构建进程内存不足（上限 16 MB）/.test(String(c[0])))).toBe(true);
    expect(heapFlag()).toBeUndefined();
    warn.mockRestore();
    cleanup();
  }, 240_000);
});
