// The site builder process: receives { id, args } over IPC, runs one Astro build at a time, answers { id, ok, ms | message }.
import { astroBuild, type AstroBuildArgs } from './build-site.ts';

let chain: Promise<unknown> = Promise.resolve();

process.on('message', (message: { id: number; args: AstroBuildArgs }) => {
  chain = chain.then(async () => {
    try {
      const result = await astroBuild(message.args);
      process.send?.({ id: message.id, ok: true, result });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      process.send?.({ id: message.id, ok: false, message: cause instanceof Error ? cause.message : String(cause) });
    }
  });
});
// the server went away: nothing left to build for
process.on('disconnect', () => process.exit(0));
