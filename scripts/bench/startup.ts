// Start-up: `lianxin --help` and `npm start` answering /api/health on an existing data dir, compiled
// (dist/, esbuild) next to tsx transpiling the sources. LIANXIN_BENCH_QUICK=1 runs each case twice.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

interface Timing {
  wall: number;
  /** User + system CPU of the process (ms), when it can be read: less sensitive to a busy machine than wall time. */
  cpu: number | undefined;
}

const TIME = '/usr/bin/time';

/** Wall and CPU time of a command that exits. */
function timeExit(cmd: string, args: string[]): Timing {
  const timed = existsSync(TIME);
  const started = performance.now();
  const res = timed ? spawnSync(TIME, ['-f', 'LXTIME %U %S', cmd, ...args], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] }) : spawnSync(cmd, args, { cwd: root, env, stdio: 'ignore' });
  const wall = performance.now() - started;
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}`);
  const m = timed ? /LXTIME ([\d.]+) ([\d.]+)/.exec(String(res.stderr)) : null;
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined };
}

/** CPU time so far of a running process (Linux /proc; clock ticks of 10 ms). */
function cpuOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Wall time from spawning a server to its first 200 from /api/health; the server is stopped after. */
async function timeHealth(cmd: string, args: string[]): Promise<Timing> {
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
      // CPU is read only for a direct node child (npm start runs node under npm and sh)
      if (res?.ok) return { wall: performance.now() - started, cpu: cmd === node ? cpuOf(child.pid!) : undefined };
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
    const cases: Array<{ case: string; how: string; target: string; measure: () => Timing | Promise<Timing> }> = [
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
      const times: Timing[] = [];
      for (let i = 0; i < runs; i++) times.push(await c.measure());
      const walls = times.map((t) => t.wall);
      const cpus = times.flatMap((t) => (t.cpu === undefined ? [] : [t.cpu]));
      rows.push({ case: c.case, how: c.how, runs, 'wall median': `${Math.round(median(walls))} ms`, 'wall best': `${Math.round(Math.min(...walls))} ms`, 'cpu median': cpus.length ? `${Math.round(median(cpus))} ms` : '—', target: c.target });
    }
    printTable(rows);
    console.log('wall: spawn to exit, or to the first 200 from /api/health; cpu: user + system time of that process (a busy machine stretches wall time, far less CPU time)');
    console.log(`dist/ build (esbuild, as npm install's prepare runs it): ${buildMs} ms`);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}
