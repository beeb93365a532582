import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';

/**
 * Where media files (uploads and their variants, audio, video renders, quiz band cards) live. A key
 * is a path under the media root with `/` separators (`ab/<sha256>.jpg`, `quiz-cards/x.jpg`); records
 * keep `media/<key>` (data-dir relative) and the site serves `/media/<key>`, as before.
 *
 * The filesystem implementation is the one there is; the methods are those an object store
 * (S3, MinIO, OSS) also has, so an adapter for one fits behind the same interface. Tools that read
 * paths (sharp, ffmpeg) call `localPath`: a filesystem gives the file itself, a remote adapter would
 * return undefined there and its callers read through `get`/`read` instead.
 */
export interface MediaStorage {
  /** Human-readable location for logs and errors (`/srv/media`, `s3://bucket/prefix`). */
  readonly location: string;
  /** Stores bytes under `key` atomically: a reader sees the whole object or none. */
  put(key: string, data: Uint8Array | Readable): Promise<void>;
  /** Moves a finished local file in (a render's output); the local file is gone afterwards. */
  putFile(key: string, file: string): Promise<void>;
  get(key: string): Promise<Readable | undefined>;
  read(key: string): Promise<Buffer | undefined>;
  stat(key: string): Promise<{ size: number; mtimeMs: number } | undefined>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix (`ab/`), sorted; temp files left by interrupted writes are not listed. */
  list(prefix?: string): Promise<string[]>;
  /** The site path that serves the object (`/media/<key>`). */
  url(key: string): string;
  /** The object as a file on this machine's disk, when the storage is a (shared) filesystem. */
  localPath(key: string): string | undefined;
  /** A private scratch directory on the same volume, for work that ends in `putFile` (renders). */
  scratch(name: string): Promise<string>;
}

const KEY = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** A valid key, or undefined: no `..`, no absolute path, no backslash, no empty segment. */
export function mediaKey(key: string): string | undefined {
  if (!KEY.test(key) || key.split('/').some((s) => s === '..' || s === '.')) return undefined;
  return key;
}

/** `media/ab/x.jpg` (a record's path) or `/media/ab/x.jpg` (a site path) → `ab/x.jpg`. */
export function keyOf(path: string): string | undefined {
  const m = /^\/?media\/(.+)$/.exec(path);
  return m ? mediaKey(m[1]!) : undefined;
}

function mustKey(key: string): string {
  const ok = mediaKey(key);
  if (!ok) throw new Error(`invalid media key ${JSON.stringify(key)}`);
  return ok;
}

/** Media on a directory: local, or a shared mount (NFS, a cloud file share) every instance and worker sees. */
export class FileMediaStorage implements MediaStorage {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  get location(): string {
    return this.root;
  }

  private file(key: string): string {
    const file = join(this.root, mustKey(key));
    const rel = relative(this.root, file);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`media key outside the root: ${key}`);
    return file;
  }

  async put(key: string, data: Uint8Array | Readable): Promise<void> {
    const file = this.file(key);
    await mkdir(dirname(file), { recursive: true });
    const tmp = join(dirname(file), `.${file.slice(dirname(file).length + 1)}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`);
    try {
      if (data instanceof Uint8Array) await writeFile(tmp, data);
      else await pipeline(data, createWriteStream(tmp));
      await rename(tmp, file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async putFile(key: string, file: string): Promise<void> {
    const target = this.file(key);
    await mkdir(dirname(target), { recursive: true });
    await rename(file, target);
  }

  async get(key: string): Promise<Readable | undefined> {
    const file = this.file(key);
    if (!(await this.stat(key))) return undefined;
    return createReadStream(file);
  }

  async read(key: string): Promise<Buffer | undefined> {
    return readFile(this.file(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR') return undefined;
      throw error;
    });
  }

  async stat(key: string): Promise<{ size: number; mtimeMs: number } | undefined> {
    const info = await stat(this.file(key)).catch(() => undefined);
    return info?.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : undefined;
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  async list(prefix = ''): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (entry.name.startsWith('.')) continue; // temp files and the scratch dir
        const key = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(join(dir, entry.name), key);
        else if (entry.isFile() && key.startsWith(prefix)) out.push(key);
      }
    };
    await walk(this.root, '');
    return out.sort();
  }

  url(key: string): string {
    return `/media/${mustKey(key)}`;
  }

  localPath(key: string): string | undefined {
    return mediaKey(key) ? this.file(key) : undefined;
  }

  async scratch(name: string): Promise<string> {
    const dir = join(this.root, '.tmp', name);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** The scratch root (the worker sweeps what dead renders left there). */
  get scratchRoot(): string {
    return join(this.root, '.tmp');
  }

  /** Sync check for the few synchronous readers (the site renderer's manifest lookups). */
  existsSync(key: string): boolean {
    const file = mediaKey(key) ? this.file(key) : undefined;
    return Boolean(file && existsSync(file) && statSync(file).isFile());
  }
}

const configured = new Map<string, MediaStorage>();
const defaults = new Map<string, FileMediaStorage>();

/**
 * Makes `mediaDir` the media storage of `dataDir` (LIANXIN_MEDIA_DIR, set from the configuration
 * when deps are made): every reader and writer that knows only the data dir then uses it.
 */
export function useMediaDir(dataDir: string, mediaDir: string): MediaStorage {
  const storage = new FileMediaStorage(mediaDir);
  configured.set(resolve(dataDir), storage);
  return storage;
}

/** The media storage of a data dir: the configured one, or `<dataDir>/media`. */
export function mediaStorage(dataDir: string): MediaStorage {
  const at = resolve(dataDir);
  const set = configured.get(at);
  if (set) return set;
  let storage = defaults.get(at);
  if (!storage) defaults.set(at, (storage = new FileMediaStorage(join(at, 'media'))));
  return storage;
}

/** The media root directory when the storage is a filesystem (backup, the stale-temp sweep). */
export function mediaRootDir(dataDir: string): string | undefined {
  const storage = mediaStorage(dataDir);
  return storage instanceof FileMediaStorage ? storage.root : undefined;
}
