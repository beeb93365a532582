import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AstroIntegration } from 'astro';
import { AppError } from '../errors.ts';
import { compiled, projectRoot } from '../paths.ts';
import { snapshotDir } from './snapshots.ts';

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
export function runAstroBuild(args: AstroBuildArgs): Promise<AstroBuildResult> {
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
  result?: AstroBuildResult;
  message?: string;
}

/** The builder's pid while it runs (benchmarks sample its memory). */
export function astroBuilderPid(): number | undefined {
  return builder.pid();
}

/**
 * The builder's V8 heap cap in MB, for a site of `items` items: LIANXIN_BUILDER_HEAP_MB when set, else
 * 256 MB + 20 KB an item (10k items: 456 MB). Left alone, V8 lets a 10k build's heap grow to 0.7–1 GB
 * before collecting (24 GB machine, default limit 4 GB), and keeps the pages after it; the live heap of
 * that build stays under 256 MB, and with the cap the builder peaks at ~0.5 GB. A build that still runs
 * out (an estimate or a setting too small for the site) is retried once without a cap (see `builder`), and
 * builders after it run uncapped: a wrong cap costs time, never a failed publish.
 */
export function builderHeapMb(items: number): number {
  const set = Number(process.env.LIANXIN_BUILDER_HEAP_MB);
  return set > 0 ? set : 256 + Math.ceil(items * 0.02);
}

/** Published snapshots on disk (one file each): the builder's heap is sized by them when it starts. */
function countSnapshots(dataDir: string): number {
  try {
    return readdirSync(snapshotDir(dataDir)).length;
  } catch {
    return 0;
  }
}

/** V8 ends a process that runs out of heap with abort(): SIGABRT, or 134 through a shell. */
const outOfMemory = (code: number | null, signal: NodeJS.Signals | null) => signal === 'SIGABRT' || code === 134;

/** One long-lived child running astro-worker.ts, started on first use, restarted if it dies. */
const builder = (() => {
  let child: ChildProcess | undefined;
  let nextId = 0;
  let stopWhenIdle = false;
  let idleTimer: NodeJS.Timeout | undefined;
  /** Set after a capped builder ran out of heap: builders after it run with Node's default limit. */
  let uncapped = false;
  const pending = new Map<number, { worker: ChildProcess; args: AstroBuildArgs; capped: boolean; resolve: (r: AstroBuildResult) => void; reject: (e: unknown) => void }>();
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
  let capped = false;
  const start = (args: AstroBuildArgs): ChildProcess => {
    capped = !uncapped;
    const worker = fork(WORKER.file, [], {
      cwd: siteRoot,
      execArgv: [...WORKER.execArgv, '--expose-gc', ...(capped ? [`--max-old-space-size=${builderHeapMb(countSnapshots(args.dataDir))}`] : [])],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    worker.on('message', (reply: BuildReply) => {
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (reply.ok && reply.result) waiter.resolve(reply.result);
      else waiter.reject(new AppError(500, 'site_build_failed', `站点构建失败：${reply.message ?? '未知错误'}`));
      idle();
    });
    worker.on('exit', (code, signal) => {
      if (child === worker) child = undefined;
      // only this worker's builds: a stopped builder may exit after its successor took new work
      const retry = outOfMemory(code, signal);
      for (const [id, waiter] of pending) {
        if (waiter.worker !== worker) continue;
        pending.delete(id);
        if (retry && waiter.capped) {
          // the heap estimate was too small for this site: once more, with Node's default limit
          console.warn(`站点构建进程内存不足（上限 ${builderHeapMb(countSnapshots(waiter.args.dataDir))} MB），取消上限后重试`);
          uncapped = true;
          send(waiter.args, waiter);
        } else waiter.reject(new AppError(500, 'site_build_failed', `站点构建进程意外退出（${signal ?? code}）`));
      }
    });
    return worker;
  };
  const send = (args: AstroBuildArgs, waiter: { resolve: (r: AstroBuildResult) => void; reject: (e: unknown) => void }) => {
    stopWhenIdle = false;
    clearTimeout(idleTimer);
    child ??= start(args);
    child.ref();
    child.channel?.ref();
    const id = ++nextId;
    pending.set(id, { worker: child, args, capped, resolve: waiter.resolve, reject: waiter.reject });
    child.send({ id, args });
  };
  return {
    run(args: AstroBuildArgs): Promise<AstroBuildResult> {
      return new Promise((resolve, reject) => send(args, { resolve, reject }));
    },
    pid: () => child?.pid,
    /** Ends the builder now if idle, else after the builds in flight (another server in this process may own them). */
    stop() {
      stopWhenIdle = true;
      idle();
    },
  };
})();

/** A page the builder could not render: the rest of the site is built without it. */
export interface PageFailure {
  path: string;
  reason: string;
}

export interface AstroBuildResult {
  ms: number;
  /** Site paths written by this build. */
  rendered: string[];
  failures: PageFailure[];
  /** True when the pages were rendered by the warm renderer of an earlier build (no bundling). */
  warm: boolean;
}

/** Astro's prerenderer contract (astro:build:start → setPrerenderer), as far as the builder uses it. */
interface Prerenderer {
  name: string;
  app?: { pipeline: { routeCache: { clearAll(): void } } };
  setup?(): Promise<void>;
  getStaticPaths(): Promise<Array<{ pathname: string; route: { type: string } }>>;
  render(request: Request, options: { routeData: unknown }): Promise<Response>;
  teardown?(): Promise<void>;
}

/**
 * The prerenderer of the last build in this builder process, kept with its loaded page modules.
 * An incremental publish re-renders the changed paths through it — no Vite bundling, no Astro
 * start-up — and only falls back to an Astro build when there is none (a fresh builder) or it fails.
 */
let warm: { key: string; prerenderer: Prerenderer; work: string } | undefined;

/** Drops the warm renderer and the build folder its page chunks are loaded from. */
function dropWarm(): void {
  if (warm) rmSync(warm.work, { recursive: true, force: true });
  warm = undefined;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const bumpGeneration = () => {
  const g = globalThis as { __lianxinRender?: number };
  g.__lianxinRender = (g.__lianxinRender ?? 0) + 1;
};

/** Renders one page; a page that throws (or answers 5xx) is recorded and left out, the build goes on. */
async function guardedRender(prerenderer: Prerenderer, request: Request, options: { routeData: unknown }, failures: PageFailure[]): Promise<Response> {
  const path = sitePath(request.url);
  try {
    const response = await prerenderer.render(request, options);
    if (response.status < 500) return response;
    failures.push({ path, reason: `HTTP ${response.status}` });
  } catch (error) {
    failures.push({ path, reason: error instanceof Error ? error.message : String(error) });
  }
  // an empty body makes Astro skip the file ("file not created")
  return new Response(null);
}

/** A site path decoded (`/tags/%E9%98%B2/` → `/tags/防/`), as Astro names pages and files; left as is when not valid percent-encoding. */
export function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const sitePath = (url: string) => decodePath(new URL(url).pathname);

/** The file a directory-format page path is written to. */
export const pageFile = (outDir: string, path: string) => (path.endsWith('/') ? join(outDir, path, 'index.html') : join(outDir, `${path}.html`));

/** An integration that wraps Astro's prerenderer: per-page failure isolation, a list of written paths, and a warm renderer kept for later. */
function renderHooks(key: string, work: string, rendered: string[], failures: PageFailure[]): AstroIntegration {
  const integration = {
    name: 'lianxin-renderer',
    hooks: {
      'astro:build:start': ({ setPrerenderer }: { setPrerenderer: (p: (base: Prerenderer) => Prerenderer) => void }) =>
        setPrerenderer((base) => ({
          name: 'lianxin',
          setup: () => base.setup?.() ?? Promise.resolve(),
          get app() {
            return base.app;
          },
          getStaticPaths: () => base.getStaticPaths(),
          async render(request, options) {
            const response = await guardedRender(base, request, options, failures);
            if (response.body) rendered.push(sitePath(request.url));
            return response;
          },
          async teardown() {
            await base.teardown?.();
            // Astro deletes its prerender chunks next; page modules not loaded yet are imported lazily
            // from there, so a copy is put back after the build for the warm renderer
            cpSync(join(work, '.astro', '.prerender'), join(work, 'prerender-kept'), { recursive: true });
            warm = { key, prerenderer: base, work };
          },
        })),
    },
  };
  // our Prerenderer is the part of Astro's AstroPrerenderer this file uses
  return integration as unknown as AstroIntegration;
}

/** Re-renders `only` through the warm prerenderer; writes each page whole (temp + rename). */
async function renderWarm(prerenderer: Prerenderer, { outDir, siteUrl, only }: AstroBuildArgs & { only: string[] }): Promise<Omit<AstroBuildResult, 'ms'>> {
  const wanted = new Set(only.map(decodePath));
  prerenderer.app?.pipeline.routeCache.clearAll();
  const paths = (await prerenderer.getStaticPaths()).filter((p) => wanted.has(decodePath(p.pathname)));
  const rendered: string[] = [];
  const failures: PageFailure[] = [];
  for (const { pathname, route } of paths) {
    const response = await guardedRender(prerenderer, new Request(new URL(pathname, siteUrl)), { routeData: route }, failures);
    if (!response.body) continue;
    const path = decodePath(pathname);
    const file = pageFile(resolve(outDir), path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, Buffer.from(await response.arrayBuffer()));
    renameSync(`${file}.tmp`, file);
    rendered.push(path);
  }
  return { rendered, failures, warm: true };
}

/** The build itself; runs inside the builder process (astro-worker.ts). */
export async function astroBuild(args: AstroBuildArgs): Promise<AstroBuildResult> {
  const { dataDir, outDir, siteUrl, siteTitle, only } = args;
  const started = performance.now();
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  process.env.LIANXIN_DATA = resolve(dataDir);
  process.env.LIANXIN_SITE_URL = siteUrl;
  process.env.LIANXIN_SITE_TITLE = siteTitle;
  if (only) process.env.LIANXIN_ONLY_PATHS = JSON.stringify(only);
  else delete process.env.LIANXIN_ONLY_PATHS;
  bumpGeneration();
  const key = JSON.stringify([resolve(outDir), siteUrl]);
  if (only && warm?.key === key) {
    try {
      return { ...(await renderWarm(warm.prerenderer, { ...args, only })), ms: performance.now() - started };
    } catch (error) {
      // a page module the warm renderer never loaded, a changed build: an Astro build does it instead
      console.warn('站点增量渲染回退为完整构建：', error instanceof Error ? error.message : error);
      dropWarm();
      bumpGeneration();
    } finally {
      delete process.env.LIANXIN_ONLY_PATHS;
    }
    process.env.LIANXIN_ONLY_PATHS = JSON.stringify(only);
  }
  dropWarm();
  const rendered: string[] = [];
  const failures: PageFailure[] = [];
  const { build } = await import('astro');
  // Astro puts its prerender chunks under the cwd unless outDir "starts with" the cwd, tested as a string:
  // /x/perf-out passes for a project at /x/perf, and the chunks then cannot resolve the project's packages.
  // A fresh working folder inside the project per build makes that test false for every outDir, keeps the
  // chunks where node_modules resolves, and keeps parallel builds (tests) from sharing one .astro/ folder.
  const workRoot = join(siteRoot, 'node_modules', '.cache', 'lianxin-builds');
  mkdirSync(workRoot, { recursive: true });
  // folders of builders that are gone (killed while warm)
  for (const old of readdirSync(workRoot)) {
    const pid = Number(old.split('-')[0]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(workRoot, old), { recursive: true, force: true });
  }
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
        integrations: [renderHooks(key, work, rendered, failures)],
        // never empty the output folder: pages are replaced in place, the publisher removes the ones that disappeared
        vite: { build: { emptyOutDir: false } },
      },
      { teardownCompiler: false },
    );
    if (warm?.work === work) renameSync(join(work, 'prerender-kept'), join(work, '.astro', '.prerender'));
  } catch (cause) {
    dropWarm();
    throw new AppError(500, 'site_build_failed', `站点构建失败：${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  } finally {
    delete process.env.LIANXIN_ONLY_PATHS;
    process.chdir(cwd);
    if (warm?.work !== work) rmSync(work, { recursive: true, force: true });
  }
  return { ms: performance.now() - started, rendered, failures, warm: false };
}
