import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** Small synchronous atomic write (temp + fsync + rename) for reach's day-salt file. */
export function writeDurable(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
