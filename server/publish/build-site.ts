import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppError } from '../errors.ts';
import { compiled, projectRoot } from '../paths.ts';

/** Repository root: where astro.config.mjs and src/ live. */
export const siteRoot = projectRoot;

/** The builder process's entry: the bundle in dist/ when compiled (plain node), else the source under tsx. */
const WORKER = compiled ? { file: join(projectRoot, 'dist', 'astro-worker.js'), execArgv: [] } : { file: join(projectRoot, 'server', 'publish', 'astro-worker.ts'), execArgv: ['--import', 'tsx'] };

export interface AstroBuildArgs {
  dataDir: string;
  outDir: string;
  siteUrl: string;
  siteTitle: string;
  /** Render only these site paths and leave the rest of outDir alone (incremental publish). */
  only?: string[];
}

let queue: Promise<unknown> = Promise.resolve();

/** How long a builder with nothing to do stays alive (LIANXIN_BUILDER_IDLE_MS, default 30 s). */
const builderIdleMs = () => Number(process.env.LIANXIN_BUILDER_IDLE_MS) || 30_000;

/**
 * Runs Astro's Node API build over the publish snapshot, in a separate builder process. Builds
 * are serialized (the loader reads its inputs from process.env). The builder keeps Astro, Vite and
 * their caches out of the workbench's heap and off its event loop, so API requests are answered
 * while a 10,000-page build runs.
 */
export function runAstroBuild(args: AstroBuildArgs): Promise<{ ms: number }> {
  const next = queue.then(() => builder.run(args));
  queue = next.catch(() => undefined);
  return next;
}

/** Ends the builder process (the server calls it on shutdown; an idle builder never keeps a CLI alive anyway). */
export function stopAstroBuilder(): void {
  builder.stop();
}

interface BuildReply {
  id: number;
  ok: boolean;
  ms?: number;
  message?: string;
}

/** The builder's pid while it runs (benchmarks sample its memory). */
export function astroBuilderPid(): number | undefined {
  return builder.pid();
}

/** One long-lived child running astro-worker.ts, started on first use, restarted if it dies. */
const builder = (() => {
  let child: ChildProcess | undefined;
  let nextId = 0;
  let stopWhenIdle = false;
  let idleTimer: NodeJS.Timeout | undefined;
  const pending = new Map<number, { worker: ChildProcess; resolve: (r: { ms: number }) => void; reject: (e: unknown) => void }>();
  const kill = () => {
    child?.kill();
    child = undefined;
  };
  const idle = () => {
    // an idle builder must not keep the parent (a CLI command, a test run) alive
    if (pending.size === 0 && child) {
      if (stopWhenIdle) {
        kill();
        stopWhenIdle = false;
        return;
      }
      child.unref();
      child.channel?.unref();
      // Astro and Vite keep 0.8–1.3 GB after a build: an idle builder exits and is forked again on demand
      // (a fork costs about a second, against minutes between publishes on a quiet day).
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => pending.size === 0 && kill(), builderIdleMs());
      idleTimer.unref();
    }
  };
  const start = (): ChildProcess => {
    const worker = fork(WORKER.file, [], {
      cwd: siteRoot,
      execArgv: [...WORKER.execArgv, ...(process.env.LIANXIN_BUILDER_HEAP_MB ? [`--max-old-space-size=${process.env.LIANXIN_BUILDER_HEAP_MB}`] : [])],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    worker.on('message', (reply: BuildReply) => {
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (reply.ok) waiter.resolve({ ms: reply.ms ?? 0 });
      else waiter.reject(new AppError(500, 'site_build_failed', `站点构建失败：${reply.message ?? '未知错误'}`));
      idle();
    });
    worker.on('exit', (code, signal) => {
      if (child === worker) child = undefined;
      // only this worker's builds: a stopped builder may exit after its successor took new work
      for (const [id, waiter] of pending) {
        if (waiter.worker !== worker) continue;
        pending.delete(id);
        waiter.reject(new AppError(500, 'site_build_failed', `站点构建进程意外退出（${signal ?? code}）`));
      }
    });
    return worker;
  };
  return {
    run(args: AstroBuildArgs): Promise<{ ms: number }> {
      stopWhenIdle = false;
      clearTimeout(idleTimer);
      child ??= start();
      child.ref();
      child.channel?.ref();
      const id = ++nextId;
      const worker = child;
      return new Promise((resolve, reject) => {
        pending.set(id, { worker, resolve, reject });
        worker.send({ id, args });
      });
    },
    pid: () => child?.pid,
    /** Ends the builder now if idle, else after the builds in flight (another server in this process may own them). */
    stop() {
      stopWhenIdle = true;
      idle();
    },
  };
})();

/** The build itself; runs inside the builder process (astro-worker.ts). */
export async function astroBuild({ dataDir, outDir, siteUrl, siteTitle, only }: AstroBuildArgs): Promise<{ ms: number }> {
  const started = performance.now();
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  process.env.LIANXIN_DATA = resolve(dataDir);
  process.env.LIANXIN_SITE_URL = siteUrl;
  process.env.LIANXIN_SITE_TITLE = siteTitle;
  if (only) process.env.LIANXIN_ONLY_PATHS = JSON.stringify(only);
  else delete process.env.LIANXIN_ONLY_PATHS;
  const { build } = await import('astro');
  // Astro puts its prerender chunks under the cwd unless outDir "starts with" the cwd, tested as a string:
  // /x/perf-out passes for a project at /x/perf, and the chunks then cannot resolve the project's packages.
  // A fresh working folder inside the project per build makes that test false for every outDir, keeps the
  // chunks where node_modules resolves, and keeps parallel builds (tests) from sharing one .astro/ folder.
  const workRoot = join(siteRoot, 'node_modules', '.cache', 'lianxin-builds');
  mkdirSync(workRoot, { recursive: true });
  const work = mkdtempSync(join(workRoot, `${process.pid}-`));
  const cwd = process.cwd();
  process.chdir(work);
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
    process.chdir(cwd);
    rmSync(work, { recursive: true, force: true });
  }
  return { ms: performance.now() - started };
}
