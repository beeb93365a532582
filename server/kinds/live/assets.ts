import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIVE_SCRIPT } from './client-script.ts';

const path = `/live/assets/live.${createHash('sha256').update(LIVE_SCRIPT).digest('hex').slice(0, 10)}.js`;

/** The live page script: its bytes and its site path, named by content hash so it is cached forever. */
export function liveScript(): { path: string; body: string } {
  return { path, body: LIVE_SCRIPT };
}

/** Writes the live script into a site directory (once per content hash). */
export function placeLiveScript(outDir: string): string {
  const file = join(outDir, path);
  if (!existsSync(file)) {
    mkdirSync(join(outDir, 'live', 'assets'), { recursive: true });
    writeFileSync(file, LIVE_SCRIPT);
  }
  return path;
}
