import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { AppError } from '../errors.ts';

/** Repository root: where astro.config.mjs and src/ live. */
export const siteRoot = resolve(fileURLToPath(import.meta.url), '../../..');

export interface AstroBuildArgs {
  dataDir: string;
  outDir: string;
  siteUrl: string;
  siteTitle: string;
  /** Render only these site paths and leave the rest of outDir alone (incremental publish). */
  only?: string[];
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs Astro's Node API build over the publish snapshot. Builds are serialized: the loader reads
 * its inputs from process.env, so two builds in one process must not overlap.
 */
export function runAstroBuild(args: AstroBuildArgs): Promise<{ ms: number }> {
  const next = queue.then(() => astroBuild(args));
  queue = next.catch(() => undefined);
  return next;
}

async function astroBuild({ dataDir, outDir, siteUrl, siteTitle, only }: AstroBuildArgs): Promise<{ ms: number }> {
  const started = performance.now();
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  process.env.LIANXIN_DATA = resolve(dataDir);
  process.env.LIANXIN_SITE_URL = siteUrl;
  process.env.LIANXIN_SITE_TITLE = siteTitle;
  if (only) process.env.LIANXIN_ONLY_PATHS = JSON.stringify(only);
  else delete process.env.LIANXIN_ONLY_PATHS;
  const { build } = await import('astro');
  try {
    await build(
      {
        root: siteRoot,
        outDir: resolve(outDir),
        site: siteUrl,
        // Per data dir, so parallel builds (tests) never share Astro's content store.
        cacheDir: join(resolve(dataDir), '.cache', 'astro'),
        logLevel: 'warn',
        vite: { build: { emptyOutDir: !only } },
      },
      { teardownCompiler: false },
    );
  } catch (cause) {
    throw new AppError(500, 'site_build_failed', `站点构建失败：${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  } finally {
    delete process.env.LIANXIN_ONLY_PATHS;
  }
  return { ms: performance.now() - started };
}
