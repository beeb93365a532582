import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import * as tar from 'tar';
import { ValidationError } from '../errors.ts';
import { acquireLock } from './lock.ts';

const MANIFEST = 'lianxin-backup.json';
const SKIP = new Set(['.lock']);

interface Manifest {
  format: 'lianxin-backup';
  version: 1;
  createdAt: string;
  files: Record<string, { size: number; sha256: string }>;
}

async function walk(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (SKIP.has(entry.name) || entry.name.endsWith('.tmp')) continue;
    if (entry.isDirectory()) out.push(...(await walk(path, root)));
    else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** Writes one .tar.gz of the data dir with a manifest of every file's size and SHA-256. Takes the lock so no writer changes files meanwhile. */
export async function backupDataDir({ dir, file, now = new Date() }: { dir: string; file: string; now?: Date }): Promise<{ file: string; files: number; bytes: number }> {
  const release = acquireLock(dir);
  try {
    const files = await walk(dir);
    const manifest: Manifest = { format: 'lianxin-backup', version: 1, createdAt: now.toISOString(), files: {} };
    for (const f of files) manifest.files[f] = { size: (await stat(join(dir, f))).size, sha256: await sha256(join(dir, f)) };
    await writeFile(join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
    await mkdir(dirname(file), { recursive: true });
    await tar.create({ gzip: true, file, cwd: dir, portable: true }, [MANIFEST, ...files]);
    await rm(join(dir, MANIFEST), { force: true });
    return { file, files: files.length, bytes: (await stat(file)).size };
  } finally {
    release();
  }
}

/**
 * Replaces the data dir with an archive's content. The archive is unpacked and verified against
 * its manifest in a temp dir first; a corrupt archive is refused and the current data stays
 * untouched. The previous data dir is kept beside it as `<dir>.before-restore-<time>`.
 */
export async function restoreDataDir({ dir, file, now = new Date() }: { dir: string; file: string; now?: Date }): Promise<{ files: number; previous: string | null }> {
  if (!existsSync(file)) throw ValidationError.field('file', `备份文件 ${file} 不存在`);
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(join(dirname(dir), `.${basename(dir)}.restore-`));
  try {
    try {
      await tar.extract({ file, cwd: staging, strict: true });
    } catch (error) {
      throw ValidationError.field('file', `备份文件已损坏，无法解压：${(error as Error).message}`);
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(join(staging, MANIFEST), 'utf8')) as Manifest;
    } catch {
      throw ValidationError.field('file', '不是连心的备份文件（缺少清单）');
    }
    if (manifest.format !== 'lianxin-backup') throw ValidationError.field('file', '不是连心的备份文件');
    const present = new Set(await walk(staging));
    for (const [name, meta] of Object.entries(manifest.files)) {
      if (!present.has(name)) throw ValidationError.field('file', `备份文件不完整：缺少 ${name}`);
      const path = join(staging, name);
      if ((await stat(path)).size !== meta.size || (await sha256(path)) !== meta.sha256) throw ValidationError.field('file', `备份文件已损坏：${name} 校验失败`);
      if (name.endsWith('.json')) {
        try {
          JSON.parse(await readFile(path, 'utf8'));
        } catch {
          throw ValidationError.field('file', `备份文件已损坏：${name} 不是合法 JSON`);
        }
      }
    }
    await rm(join(staging, MANIFEST));
    let previous: string | null = null;
    if (existsSync(dir)) {
      const release = acquireLock(dir); // refuses while a server writes here
      previous = `${dir}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
      release();
      await rename(dir, previous);
    }
    await rename(staging, dir);
    return { files: Object.keys(manifest.files).length, previous };
  } finally {
    await rm(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }); // tar may still be writing after a corrupt archive rejects
  }
}
