#!/usr/bin/env node
// The `lianxin` bin (and `npm start`): runs the compiled CLI in dist/. When dist/ is missing or older
// than the sources it is rebuilt first (about a second); if it cannot be built, the TypeScript sources
// run through tsx instead, with a warning.
import { buildDist, distIsStale } from './build.mjs';

let main;
try {
  if (distIsStale()) await buildDist({ quiet: true });
  ({ main } = await import('../dist/cli.js'));
} catch (error) {
  console.error(`lianxin: dist/ 不可用（${error instanceof Error ? error.message : error}），改用 tsx 运行源代码`);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
