import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
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

/** Takes `<dir>/.lock` for this process; a lock left by a dead process is taken over. Returns the release function. */
export function acquireLock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      fsyncSync(fd);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let pid = 0;
      try {
        pid = Number(JSON.parse(readFileSync(file, 'utf8')).pid) || 0;
      } catch {
        // unreadable lock: treat as stale
      }
      if (pid && alive(pid)) throw new DataDirLockedError(dir, pid);
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // somebody else removed it first
      }
    }
  }
  throw new Error(`cannot take the lock ${file}`);
}
