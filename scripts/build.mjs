// @ts-check
// `npm run build` (also `prepare`, so `npm install` / `npm ci` build it): bundles the CLI and the site
// builder process with esbuild into dist/, so `npm start` and the `lianxin` bin run plain JavaScript
// instead of transpiling TypeScript at every start. Packages stay external (node_modules); modules that
// are slow to load (sharp, @tiptap/html, docx, fluent-ffmpeg, esbuild, astro) are imported
// lazily in the sources, and `--help` imports none of the server.
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const distDir = join(root, 'dist');
/** Packages left in node_modules (resolved at run time); every other dependency is bundled. */
const EXTERNAL = ['sharp', 'esbuild', 'astro', 'astro/*', '@astrojs/*', 'fluent-ffmpeg', '@ffmpeg-installer/*', '@ffprobe-installer/*', '@tiptap/*', '@node-rs/*', 'happy-dom', 'docx', '@expo-google-fonts/*', 'tsx', 'tsx/*', 'typescript', 'vite', 'playwright-core', 'pg', 'bullmq', 'ioredis'];

/** What the bundle is built from: a change under one of these makes dist/ stale. */
const SOURCES = ['server', 'scripts', 'public/search-core.js', 'package.json', 'tsconfig.json'];

/**
 * Builds dist/ (cli.js, astro-worker.js, chunks/) from scripts/cli.ts and server/publish/astro-worker.ts.
 * @param {{ outdir?: string, quiet?: boolean }} [options]
 * @returns {Promise<{ files: string[], ms: number }>}
 */
export async function buildDist({ outdir = distDir, quiet = false } = {}) {
  const started = performance.now();
  const { build, stop } = await import('esbuild');
  // built beside and swapped in, so a process starting meanwhile never sees half a dist/
  const tmp = `${outdir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'scripts/cli.ts', 'astro-worker': 'server/publish/astro-worker.ts' },
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Pure-JS packages are bundled (one file to load instead of hundreds: zod, hono and the ESM loader
    // cost most of a start); these stay in node_modules: native code, binaries found next to their
    // package, big lazily loaded ones, and build tools.
    external: EXTERNAL,
    banner: { js: "import { createRequire as __lxCreateRequire } from 'node:module'; const require = __lxCreateRequire(import.meta.url);" },
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    // hono/jsx, as in tsconfig.json (the .tsx files also carry the @jsxImportSource pragma)
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    legalComments: 'none',
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
  }).finally(() =>
    // esbuild's service process holds ~400 MB after bundling the server; `npm start` on a stale dist/ kept it
    // for the server's lifetime. A later build (the workbench's client assets) starts a new one.
    stop(),
  );
  rmSync(outdir, { recursive: true, force: true });
  renameSync(tmp, outdir);
  const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
  const ms = Math.round(performance.now() - started);
  if (!quiet) console.log(`lianxin: dist/ built (${files.length} files, ${ms} ms)`);
  return { files, ms };
}

/** Newest modification time (ms) of the files dist/ is built from. */
function newestSource() {
  let newest = 0;
  const walk = (/** @type {string} */ path) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules' && name !== 'fixtures') walk(join(path, name));
    } else if (/\.(ts|tsx|m?js|json)$/.test(path)) newest = Math.max(newest, st.mtimeMs);
  };
  for (const s of SOURCES) walk(join(root, s));
  return newest;
}

/** True when dist/ is missing or older than a source file (a `git pull` without `npm install`). */
export function distIsStale() {
  const built = statSync(join(distDir, 'cli.js'), { throwIfNoEntry: false });
  return !built || built.mtimeMs < newestSource();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildDist();
