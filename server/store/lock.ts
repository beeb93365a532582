import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

export class DataDirLockedError extends AppError {
  constructor(dir: string, pid: number) {
    super(423, 'data_dir_locked', `数据目录 ${dir} 正被另一个连心进程（pid ${pid}）使用；同一数据目录只能有一个写入者。请先停止它，或用 --data 指定其他目录。`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `file` holding `content`, only if it does not exist — atomically with its content: the
 * content is written and fsync'd to a private temp file first, then hard-linked into place
 * (link() fails with EEXIST if the name is taken). Nobody can ever see an empty or half-written lock.
 */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}

function readPid(file: string): number | undefined {
  try {
    return Number(JSON.parse(readFileSync(file, 'utf8')).pid) || 0;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : 0;
  }
}

const removeIfExists = (file: string) => {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
};

/**
 * Takes `<dir>/.lock` for this process; a lock left by a dead process is taken over. Returns the
 * release function. Taking over a stale lock is itself serialized by `<dir>/.lock.takeover`, so two
 * processes that both find the same stale lock cannot both remove it and both win.
 */
export function acquireLock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '.lock');
  const takeover = `${file}.takeover`;
  const content = JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() });
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createExclusive(file, content)) {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (readPid(file) === process.pid) removeIfExists(file);
      };
    }
    const pid = readPid(file);
    if (pid === undefined) continue; // released meanwhile: try again
    if (pid && alive(pid)) throw new DataDirLockedError(dir, pid);
    // stale (its process is gone, or the file is unreadable): one process at a time removes it
    if (createExclusive(takeover, content)) {
      try {
        const again = readPid(file);
        if (again !== undefined && !(again && alive(again))) removeIfExists(file);
      } finally {
        removeIfExists(takeover);
      }
    } else {
      const holder = readPid(takeover);
      if (holder !== undefined && !(holder && alive(holder))) removeIfExists(takeover); // a taker that died mid-way
    }
  }
  throw new Error(`cannot take the lock ${file}`);
}
