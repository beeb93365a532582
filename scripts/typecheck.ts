// `npm run typecheck`: the `astro` binary refuses Node 20, so this drives Astro through its Node API: generate
// Astro's types (astro:content, .astro/types.d.ts), run tsc over the project, then `astro check` for .astro files.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { check } from '@astrojs/check';
import { sync } from 'astro';

const root = fileURLToPath(new URL('..', import.meta.url));
await sync({ root, logLevel: 'error' });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '--noEmit'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
// check() resolves true when it found errors
const failed = await check({ root, minimumSeverity: 'error' } as Parameters<typeof check>[0]);
process.exit(failed ? 1 : 0);
