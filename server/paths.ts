import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'astro.config.mjs')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`lianxin: no project root (astro.config.mjs) above ${from}`);
  }
}

/**
 * The project root (package.json, astro.config.mjs, src/, server/), found upward from this module so
 * it is right both from the sources (server/paths.ts under tsx or vitest) and from the compiled
 * bundle (a chunk under dist/).
 */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/** True when running the esbuild bundle in dist/ rather than the TypeScript sources. */
export const compiled = !/\.tsx?$/.test(fileURLToPath(import.meta.url));

/** A path under the project root. */
export const fromRoot = (...parts: string[]) => join(projectRoot, ...parts);
