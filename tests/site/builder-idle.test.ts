import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../helpers.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('an idle site builder', () => {
  test('exits after LIANXIN_BUILDER_IDLE_MS with nothing to do, and the next build forks a new one', async () => {
    process.env.LIANXIN_BUILDER_IDLE_MS = '1500';
    const { runAstroBuild, astroBuilderPid } = await import('../../server/publish/build-site.ts');
    const { dir, cleanup } = tempDir();
    const args = { dataDir: dir, outDir: join(dir, 'site'), siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' };
    await runAstroBuild(args);
    const first = astroBuilderPid()!;
    expect(alive(first)).toBe(true);
    const deadline = Date.now() + 15_000;
    while (alive(first) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(alive(first)).toBe(false);
    expect(astroBuilderPid()).toBeUndefined();

    await runAstroBuild(args);
    expect(existsSync(join(dir, 'site', 'index.html'))).toBe(true);
    expect(astroBuilderPid()).not.toBe(first);
    cleanup();
  }, 240_000);
});
