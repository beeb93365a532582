import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { backupDataDir, restoreDataDir } from '../../server/store/backup.ts';
import { serveSite } from '../../server/publish/static-site.ts';
import { Hono } from 'hono';
import { tempDir } from '../helpers.ts';

const tmp = tempDir('lianxin-restore-');
afterAll(() => tmp.cleanup());

/** A data dir with a "users" shard holding a password hash, and a media file. */
function makeDataDir(name: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(join(dir, 'db', 'users'), { recursive: true });
  mkdirSync(join(dir, 'media', 'ab'), { recursive: true });
  writeFileSync(join(dir, 'db', 'users', '10.json'), JSON.stringify({ u1: { username: 'admin', passwordHash: 'scrypt$secret' } }));
  writeFileSync(join(dir, 'media', 'ab', 'photo.jpg'), 'jpeg bytes');
  return dir;
}

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A hand-made archive: the given files plus a manifest listing `listed` (name → content). */
async function craftArchive(name: string, setup: (root: string) => void, listed: Record<string, string>, entries: string[]): Promise<string> {
  const root = join(tmp.dir, `${name}-src`);
  mkdirSync(root, { recursive: true });
  setup(root);
  const files = Object.fromEntries(Object.entries(listed).map(([n, c]) => [n, { size: Buffer.byteLength(c), sha256: sha(c) }]));
  writeFileSync(join(root, 'lianxin-backup.json'), JSON.stringify({ format: 'lianxin-backup', version: 1, createdAt: '2026-11-30T00:00:00Z', files }));
  const file = join(tmp.dir, `${name}.tar.gz`);
  // GNU tar (node-tar's packer fails on hard links): symlinks and hard links stored as such
  execFileSync('tar', ['-czf', file, '-C', root, 'lianxin-backup.json', ...entries]);
  return file;
}

describe('restore refuses archives that are not plain data', () => {
  const users = JSON.stringify({ u1: { username: 'admin', passwordHash: 'scrypt$secret' } });

  test('a symlink media/dbl -> ../db is refused and the data dir is unchanged', async () => {
    const dir = makeDataDir('sym-target');
    const archive = await craftArchive('sym', (root) => {
      mkdirSync(join(root, 'db', 'users'), { recursive: true });
      mkdirSync(join(root, 'media'), { recursive: true });
      writeFileSync(join(root, 'db', 'users', '10.json'), users);
      symlinkSync('../db', join(root, 'media', 'dbl'));
    }, { 'db/users/10.json': users }, ['db/users/10.json', 'media/dbl']);
    await expect(restoreDataDir({ dir, file: archive })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^file: .*符号链接/) });
    expect(existsSync(join(dir, 'media', 'dbl'))).toBe(false);
    expect(readFileSync(join(dir, 'media', 'ab', 'photo.jpg'), 'utf8')).toBe('jpeg bytes');
  });

  test('a hard link is refused', async () => {
    const dir = makeDataDir('hard-target');
    const archive = await craftArchive('hard', (root) => {
      mkdirSync(join(root, 'db', 'users'), { recursive: true });
      mkdirSync(join(root, 'media'), { recursive: true });
      writeFileSync(join(root, 'db', 'users', '10.json'), users);
      linkSync(join(root, 'db', 'users', '10.json'), join(root, 'media', 'copy.json'));
    }, { 'db/users/10.json': users }, ['db/users/10.json', 'media/copy.json']);
    await expect(restoreDataDir({ dir, file: archive })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^file: .*(硬链接|不在清单)/) });
  });

  test('a file that is not in the manifest is refused', async () => {
    const dir = makeDataDir('extra-target');
    const archive = await craftArchive('extra', (root) => {
      mkdirSync(join(root, 'db', 'users'), { recursive: true });
      writeFileSync(join(root, 'db', 'users', '10.json'), users);
      writeFileSync(join(root, 'db', 'users', '11.json'), '{}');
    }, { 'db/users/10.json': users }, ['db/users/10.json', 'db/users/11.json']);
    await expect(restoreDataDir({ dir, file: archive })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^file: .*11\.json 不在清单中/) });
  });

  test('an archive larger than the unpacked-size cap is refused before it is unpacked', async () => {
    const dir = makeDataDir('cap-target');
    const big = 'x'.repeat(200_000);
    const archive = await craftArchive('cap', (root) => {
      mkdirSync(join(root, 'media'), { recursive: true });
      writeFileSync(join(root, 'media', 'big.bin'), big);
    }, { 'media/big.bin': big }, ['media/big.bin']);
    process.env.LIANXIN_RESTORE_MAX_BYTES = '100000';
    try {
      await expect(restoreDataDir({ dir, file: archive })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/上限/) });
    } finally {
      delete process.env.LIANXIN_RESTORE_MAX_BYTES;
    }
  });

  test('a normal backup still round-trips', async () => {
    const dir = makeDataDir('round');
    const file = join(tmp.dir, 'round.tar.gz');
    await backupDataDir({ dir, file });
    writeFileSync(join(dir, 'media', 'ab', 'photo.jpg'), 'changed');
    const restored = await restoreDataDir({ dir, file });
    expect(restored.files).toBe(2);
    expect(readFileSync(join(dir, 'media', 'ab', 'photo.jpg'), 'utf8')).toBe('jpeg bytes');
  });
});

describe('the static file server', () => {
  test('does not follow a symlink out of media/ (password hashes stay private)', async () => {
    const dir = makeDataDir('static');
    symlinkSync('../db', join(dir, 'media', 'dbl'));
    const app = new Hono();
    app.get('*', serveSite({ siteDir: () => join(dir, 'site'), dataDir: dir }));
    const res = await app.request('/media/dbl/users/10.json');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('scrypt');
    expect((await app.request('/media/ab/photo.jpg')).status).toBe(200);
  });
});
