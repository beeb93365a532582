import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One temp folder per test run (TMPDIR for every test process), removed at the end, so test data dirs never pile up in /tmp. */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-test-run-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
