import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
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

/** Largest total unpacked size a restore accepts (LIANXIN_RESTORE_MAX_BYTES, default 64 GiB) and most entries. */
const restoreMaxBytes = () => Number(process.env.LIANXIN_RESTORE_MAX_BYTES) || 64 * 1024 ** 3;
const RESTORE_MAX_ENTRIES = 2_000_000;

/** Regular files under `dir` (relative, `/`-separated); anything else (symlinks, devices, sockets) goes to `others`. */
async function walk(dir: string, root = dir, others: string[] = []): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (SKIP.has(entry.name) || entry.name.endsWith('.tmp')) continue;
    if (entry.isDirectory()) out.push(...(await walk(path, root, others)));
    else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
    else others.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

/** SHA-256 of a file read as a stream (files over 2 GiB cannot be read into one buffer). */
async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Checks every entry of the archive before anything is unpacked: only regular files and
 * directories with relative paths inside the data dir, within the size and count caps.
 */
async function inspectArchive(file: string): Promise<void> {
  const max = restoreMaxBytes();
  let bytes = 0;
  let entries = 0;
  let problem: string | undefined;
  try {
    await tar.list({
      file,
      strict: true,
      onReadEntry: (entry) => {
        entries++;
        bytes += entry.size ?? 0;
        const path = entry.path.replace(/\/+$/, '');
        if (problem) return;
        if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory') problem = `${path} 是${entry.type === 'SymbolicLink' ? '符号链接' : entry.type === 'Link' ? '硬链接' : `「${entry.type}」类型的条目`}，备份里只能有普通文件`;
        else if (path.startsWith('/') || path.split('/').includes('..') || /^[a-z]:/i.test(path)) problem = `${path} 指向数据目录之外`;
        else if (bytes > max) problem = `解压后超过 ${Math.round(max / 1024 ** 3)} GiB 上限`;
        else if (entries > RESTORE_MAX_ENTRIES) problem = `条目超过 ${RESTORE_MAX_ENTRIES} 个`;
      },
    });
  } catch (error) {
    throw ValidationError.field('file', `备份文件已损坏，无法读取：${(error as Error).message}`);
  }
  if (problem) throw ValidationError.field('file', `备份文件不安全：${problem}`);
}

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
    await inspectArchive(file);
    try {
      // the filter repeats the inspection's rule, in case the file changed in between
      await tar.extract({ file, cwd: staging, strict: true, preservePaths: false, filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'Directory') });
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
    const others: string[] = [];
    const present = new Set(await walk(staging, staging, others));
    if (others.length) throw ValidationError.field('file', `备份文件不安全：${others[0]} 不是普通文件`);
    const extra = [...present].filter((name) => name !== MANIFEST && !(name in manifest.files));
    if (extra.length) throw ValidationError.field('file', `备份文件不可信：${extra[0]} 不在清单中`);
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
