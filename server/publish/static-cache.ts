import { statSync, type Stats } from 'node:fs';

/** What the cache needs of an entry: the file it was read from, as it was, and the memory it holds. */
export interface CachedFile {
  file: string;
  size: number;
  mtimeMs: number;
  ino: number;
  /** bytes of file content (and of anything made from it) this entry keeps in memory */
  bytes: number;
}

export interface FileCache<E extends CachedFile> {
  /** The entry under `key` if the file on disk is still the one it was read from (and now the most recently used). */
  fresh(key: string): E | undefined;
  /** Remembers `entry` under `key` (replacing any other), forgetting the least recently used beyond the budget. */
  put(key: string, entry: E): void;
  /** Counts `bytes` more memory for `entry` (e.g. a compressed copy), if it is still the one under `key`. */
  grow(key: string, entry: E, bytes: number): boolean;
  clear(): void;
}

/**
 * A least-recently-used map of files read from disk, bounded by the bytes its entries hold and by their
 * number; every look-up costs one stat, and a file replaced or rewritten (new size, mtime or inode: the
 * publisher writes temp + rename) is forgotten at once.
 */
export function createFileCache<E extends CachedFile>({ maxBytes, maxEntries }: { maxBytes: number; maxEntries: number }): FileCache<E> {
  // a Map iterates in insertion order: re-inserting on every hit keeps the least recently used first
  const entries = new Map<string, E>();
  let bytes = 0;

  const evict = () => {
    for (const [key, old] of entries) {
      if (bytes <= maxBytes && entries.size <= maxEntries) break;
      entries.delete(key);
      bytes -= old.bytes;
    }
  };

  const forget = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    entries.delete(key);
    bytes -= old.bytes;
  };

  return {
    fresh(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      let stat: Stats | undefined;
      try {
        stat = statSync(entry.file, { throwIfNoEntry: false });
      } catch {
        stat = undefined;
      }
      if (!stat || stat.size !== entry.size || stat.mtimeMs !== entry.mtimeMs || stat.ino !== entry.ino) {
        forget(key);
        return undefined;
      }
      // least recently used goes first when memory runs short
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    },
    put(key, entry) {
      forget(key);
      entries.set(key, entry);
      bytes += entry.bytes;
      if (bytes > maxBytes || entries.size > maxEntries) evict();
    },
    grow(key, entry, more) {
      if (entries.get(key) !== entry) return false;
      entry.bytes += more;
      bytes += more;
      if (bytes > maxBytes) evict();
      return true;
    },
    clear() {
      entries.clear();
      bytes = 0;
    },
  };
}
