import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runAstroBuild } from '../../server/publish/build-site.ts';
import { tempDir } from '../helpers.ts';

describe('the site builder process', () => {
  test('a bad snapshot is left out of the build (the publisher reports it), the rest is built; the server process env is untouched', async () => {
    const before = process.env.LIANXIN_DATA;
    const bad = tempDir();
    mkdirSync(join(bad.dir, 'published', 'items'), { recursive: true });
    writeFileSync(join(bad.dir, 'published', 'items', 'it_broken.json'), JSON.stringify({ id: 'it_broken', kind: 'notice', title: 42 }));
    const built = await runAstroBuild({ dataDir: bad.dir, outDir: join(bad.dir, 'site'), siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' });
    expect(built.rendered).toContain('/');
    expect(built.rendered.some((p) => p.includes('it_broken'))).toBe(false);

    const good = tempDir();
    const { ms } = await runAstroBuild({ dataDir: good.dir, outDir: join(good.dir, 'site'), siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' });
    expect(ms).toBeGreaterThan(0);
    expect(existsSync(join(good.dir, 'site', 'index.html'))).toBe(true);
    expect(process.env.LIANXIN_DATA).toBe(before);
    bad.cleanup();
    good.cleanup();
  }, 240_000);
});
