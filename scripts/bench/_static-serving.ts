// Static serving side by side: `lianxin serve` (the whole app, as readers reach it: security headers,
// site/workbench split, live fast path) and its site-only port (LIANXIN_SITE_PORT) against a minimal
// node:http static server on the same built files. Each server is its own process; they are measured in
// turns (A B C D A B C D …) so load from other work on the machine hits them alike. D is the whole app
// again with `Accept-Encoding: gzip, br` (as WeChat's browser sends): what compression costs per request
// and saves in bytes (the minimal server never compresses).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { startBenchServer } from './_server.ts';
import { percentile } from './_format.ts';

export interface Served {
  target: string;
  path: string;
  rps: number;
  p99: number;
  /** req/s of each round, in order */
  rounds: number[];
  /** the server process's CPU time (user + system) per request, µs, median of the rounds (Linux) */
  cpu: number | undefined;
  /** bytes on the wire per response (headers and body), median of the rounds */
  bytes: number;
}

/** The request headers a compressing client sends. */
const COMPRESSING = { 'accept-encoding': 'gzip, br' };

/** CPU time (user + system) a process has used, in µs, from /proc (undefined elsewhere). */
function cpuOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks of 10 ms
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

async function startMinimal(root: string): Promise<{ base: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/_minimal-static.ts', root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /port (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`minimal server exited ${code}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const shoot = (url: string, seconds: number, connections: number, headers: Record<string, string> = {}) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, headers }, (error, result) => (error ? reject(error) : resolve(result)));
  });

/** req/s (median of the rounds) and p99 latency (median of the rounds' p99) for each server and path. */
export async function compareStatic({ dataDir, siteDir, paths, seconds, rounds = 3, connections = 16 }: { dataDir: string; siteDir: string; paths: string[]; seconds: number; rounds?: number; connections?: number }): Promise<Served[]> {
  const sitePort = 41_000 + Math.floor(Math.random() * 2000);
  const ours = await startBenchServer(dataDir, { LIANXIN_SITE_PORT: String(sitePort) });
  const minimal = await startMinimal(siteDir);
  const targets: Array<[string, string, number, Record<string, string>]> = [
    ['minimal node:http + readFileSync', minimal.base, minimal.pid, {}],
    ['lianxin serve (whole app)', ours.base, ours.pid, {}],
    ['lianxin serve, site port', `http://127.0.0.1:${sitePort}`, ours.pid, {}],
    ['lianxin serve (whole app), Accept-Encoding: gzip, br', ours.base, ours.pid, COMPRESSING],
  ];
  try {
    // the same bytes from each (fetch decodes a compressed body), or the comparison means nothing
    for (const path of paths) {
      const bodies = await Promise.all(targets.map(async ([name, base, , headers]) => {
        const res = await fetch(base + path, { headers });
        if (headers === COMPRESSING && !res.headers.get('content-encoding')) throw new Error(`${name} ${path}: not compressed`);
        if (res.status !== 200) throw new Error(`${name} ${path}: ${res.status}`);
        return Buffer.from(await res.arrayBuffer());
      }));
      if (!bodies.every((b) => b.equals(bodies[0]!))) throw new Error(`${path}: the servers answer different bytes`);
    }
    // The load generator shares the machine's cores with the servers, so req/s also depends on what it costs
    // the client to read each answer (ours carries ~500 bytes more headers: CSP, ETag, cache rules); the
    // server's own CPU time per request is the figure that does not.
    const samples = new Map<string, { rps: number[]; p99: number[]; cpu: number[]; bytes: number[] }>();
    for (const [, base, , headers] of targets) for (const path of paths) await shoot(base + path, 1, connections, headers); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const path of paths) {
        for (const [name, base, pid, headers] of targets) {
          const before = cpuOf(pid);
          const result = await shoot(base + path, seconds, connections, headers);
          const after = cpuOf(pid);
          if (result.non2xx || result.errors) throw new Error(`${name} ${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
          const key = `${name}\0${path}`;
          const s = samples.get(key) ?? { rps: [], p99: [], cpu: [], bytes: [] };
          s.rps.push(result.requests.average);
          s.p99.push(result.latency.p99);
          if (result.requests.total) s.bytes.push(result.throughput.total / result.requests.total);
          if (before !== undefined && after !== undefined && result.requests.total) s.cpu.push((after - before) / result.requests.total);
          samples.set(key, s);
        }
      }
    }
    return [...samples].map(([key, s]) => {
      const [target, path] = key.split('\0') as [string, string];
      return { target, path, rps: percentile(s.rps, 50), p99: percentile(s.p99, 50), rounds: s.rps, cpu: s.cpu.length ? percentile(s.cpu, 50) : undefined, bytes: s.bytes.length ? percentile(s.bytes, 50) : 0 };
    });
  } finally {
    await ours.stop();
    await minimal.stop();
  }
}

/** Rows for printTable: each server against the minimal one on the same path. */
export function staticRows(served: Served[]): Record<string, string | number>[] {
  return served.map((s) => {
    const base = served.find((b) => b.path === s.path && b.target.startsWith('minimal'))!;
    return {
      'static file, 16 connections': s.target,
      path: s.path,
      'requests/s': Math.round(s.rps),
      'p99 (ms)': s.p99,
      'vs minimal': `${(s.rps / base.rps).toFixed(2)}×`,
      'server CPU/request': s.cpu === undefined ? '' : `${s.cpu.toFixed(1)} µs`,
      'bytes/response': Math.round(s.bytes),
      // the compressed row shows a cost, not a target
      target: s === base || s.target.includes('Accept-Encoding') ? '' : '≥ 0.9×',
      rounds: s.rounds.map((r) => Math.round(r)).join(' / '),
    };
  });
}
