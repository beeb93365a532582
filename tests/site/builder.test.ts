import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runAstroBuild } from '../../server/publish/build-site.ts';
import { tempDir } from '../helpers.ts';

describe('the site builder process', () => {
  test('a bad snapshot fails the build with the file named; the builder then builds a good site; the server process env is untouched', async () => {
    const before = process.env.LIANXIN_DATA;
    const bad = tempDir();
    mkdirSync(join(bad.dir, 'published', 'items'), { recursive: true });
    writeFileSync(join(bad.dir, 'published', 'items', 'it_broken.json'), JSON.stringify({ id: 'it_broken', kind: 'notice', title: 42 }));
    const failure = await runAstroBuild({ dataDir: bad.dir, outDir: join(bad.dir, 'site'), siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 500, code: 'site_build_failed' });
    expect((failure as Error).message).toContain('it_broken.json');

    const good = tempDir();
    const { ms } = await runAstroBuild({ dataDir: good.dir, outDir: join(good.dir, 'site'), siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' });
    expect(ms).toBeGreaterThan(0);
    expect(existsSync(join(good.dir, 'site', 'index.html'))).toBe(true);
    expect(process.env.LIANXIN_DATA).toBe(before);
    bad.cleanup();
    good.cleanup();
  });
});
