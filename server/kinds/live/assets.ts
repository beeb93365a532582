import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The live page script: its bytes and its site path, named by content hash so it is cached forever. */
export function liveScript(): { path: string; body: string } {
  // Next to this module when run from source; from the repository root when compiled or bundled into the Astro build.
  const candidates = [
    fileURLToPath(new URL('./client/live.js', import.meta.url)),
    // compiled into dist/server/kinds/live/: the source file stays in the repository
    fileURLToPath(new URL('../../../../server/kinds/live/client/live.js', import.meta.url)),
    join(process.cwd(), 'server', 'kinds', 'live', 'client', 'live.js'),
  ];
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error('server/kinds/live/client/live.js not found');
  const body = readFileSync(file, 'utf8');
  return { path: `/live/assets/live.${createHash('sha256').update(body).digest('hex').slice(0, 10)}.js`, body };
}

/** Writes the live script into a site directory (once per content hash). */
export function placeLiveScript(outDir: string): string {
  const { path, body } = liveScript();
  const file = join(outDir, path);
  if (!existsSync(file)) {
    mkdirSync(join(outDir, 'live', 'assets'), { recursive: true });
    writeFileSync(file, body);
  }
  return path;
}
