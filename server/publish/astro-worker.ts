// The site builder process: receives { id, args } over IPC, runs one Astro build at a time, answers { id, ok, ms | message }.
import { astroBuild, type AstroBuildArgs } from './build-site.ts';

let chain: Promise<unknown> = Promise.resolve();

/**
 * After a full build the warm renderer keeps its page modules, but Vite's module graph, Rollup's ASTs and the
 * rendered pages are garbage: a full collection (the builder runs with --expose-gc) lets V8 hand those
 * pages back to the system instead of holding the build's peak while the builder waits.
 */
function releaseMemory(): void {
  (globalThis as { gc?: (options?: { type: 'major'; execution: 'sync' }) => void }).gc?.();
}

process.on('message', (message: { id: number; args: AstroBuildArgs }) => {
  chain = chain.then(async () => {
    try {
      const result = await astroBuild(message.args);
      process.send?.({ id: message.id, ok: true, result });
      // a warm render of a few hundred pages leaves little behind; a full build leaves a lot
      if (!result.warm) releaseMemory();
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      process.send?.({ id: message.id, ok: false, message: cause instanceof Error ? cause.message : String(cause) });
    }
  });
});
// the server went away: nothing left to build for
process.on('disconnect', () => process.exit(0));
