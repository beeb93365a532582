// One contender for tests/security/lock.test.ts. It says "ready", reads the agreed start time from
// stdin, then at each trial's moment tries to take the lock of that trial's directory and prints
// whether it won. Winning locks are held until every trial is done (each trial has its own
// directory), so a late contender still meets a live lock.
import { join } from 'node:path';
import { once } from 'node:events';
import { acquireLock } from '../../server/store/lock.ts';

const [root, trials, gap] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
process.stdout.write('ready\n');
const [line] = (await once(process.stdin, 'data')) as [Buffer];
const startAt = Number(line.toString().trim());
const held: Array<() => void> = [];
const results: string[] = [];
for (let t = 0; t < trials; t++) {
  const at = startAt + t * gap;
  while (Date.now() < at) {
    // spin: every contender starts the same millisecond
  }
  try {
    held.push(acquireLock(join(root, `trial-${t}`)));
    results.push(`${t} won`);
  } catch (error) {
    results.push(`${t} lost ${(error as Error).message.slice(0, 40)}`);
  }
}
process.stdout.write(`${results.join('\n')}\ndone\n`);
await once(process.stdin, 'data'); // every contender has finished: now release
for (const release of held) release();
process.exit(0);
