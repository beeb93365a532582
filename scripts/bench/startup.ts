// Start-up: `lianxin --help` and `npm start` answering /api/health on an existing data dir, compiled
// (dist/, esbuild) next to tsx transpiling the sources. LIANXIN_BENCH_QUICK=1 runs each case twice.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist } from '../build.mjs';
import { printTable } from './_format.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = process.env.LIANXIN_BENCH_QUICK ? 2 : 7;
const env = { ...process.env, LIANXIN_ADMIN_PASSWORD: 'bench-password-startup', NODE_OPTIONS: '' };
const node = process.execPath;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall time of a command that exits (ms). */
function timeExit(cmd: string, args: string[]): number {
  const started = performance.now();
  const res = spawnSync(cmd, args, { cwd: root, env, stdio: 'ignore' });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}`);
  return performance.now() - started;
}

/** Wall time from spawning a server to its first 200 from /api/health (ms); the server is stopped after. */
async function timeHealth(cmd: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let out = '';
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /http:\/\/localhost:(\d+)\/workbench/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
      if (res?.ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    // npm start runs node under npm (and sh): stop the whole group
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  }
}

export async function run(): Promise<void> {
  const { ms: buildMs } = await buildDist({ quiet: true });
  const data = mkdtempSync(join(tmpdir(), 'lianxin-bench-startup-'));
  try {
    // an existing data dir: demo data and a built site (so no start triggers a first build)
    timeExit(node, ['dist/cli.js', '--data', data, 'seed', '--demo']);
    timeExit(node, ['dist/cli.js', '--data', data, 'build', '--no-search']);

    const serveArgs = ['--data', data, 'serve', '--port', '0', '--no-demo'];
    const cases: Array<{ case: string; how: string; target: string; measure: () => number | Promise<number> }> = [
      { case: 'node -e 0 (floor)', how: 'node', target: '', measure: () => timeExit(node, ['-e', '0']) },
      { case: 'lianxin --help', how: 'compiled: node dist/cli.js', target: '≤ 400 ms', measure: () => timeExit(node, ['dist/cli.js', '--help']) },
      { case: 'lianxin --help', how: 'bin: scripts/lianxin.mjs (+ staleness check)', target: '≤ 400 ms', measure: () => timeExit(node, ['scripts/lianxin.mjs', '--help']) },
      { case: 'lianxin --help', how: 'tsx scripts/cli.ts', target: '', measure: () => timeExit(node, ['--import', 'tsx', 'scripts/cli.ts', '--help']) },
      { case: 'start → /api/health', how: 'compiled: node dist/cli.js serve', target: '≤ 1,500 ms', measure: () => timeHealth(node, ['dist/cli.js', ...serveArgs]) },
      { case: 'start → /api/health', how: 'npm start', target: '≤ 1,500 ms', measure: () => timeHealth('npm', ['start', '--silent', '--', ...serveArgs]) },
      { case: 'start → /api/health', how: 'tsx scripts/cli.ts serve', target: '', measure: () => timeHealth(node, ['--import', 'tsx', 'scripts/cli.ts', ...serveArgs]) },
    ];
    const rows: Record<string, string | number>[] = [];
    for (const c of cases) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await c.measure());
      rows.push({ case: c.case, how: c.how, runs, median: `${Math.round(median(times))} ms`, best: `${Math.round(Math.min(...times))} ms`, target: c.target });
    }
    printTable(rows);
    console.log(`dist/ build (esbuild, as npm install's prepare runs it): ${buildMs} ms`);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}
