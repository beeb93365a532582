// Static serving side by side: `lianxin serve` (the whole app, as readers reach it: security headers,
// site/workbench split, live fast path) and its site-only port (LIANXIN_SITE_PORT) against a minimal
// node:http static server on the same built files. Each server is its own process; the three are
// measured in turns (A B C A B C …) so load from other work on the machine hits them alike.
import { spawn } from 'node:child_process';
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
}

async function startMinimal(root: string): Promise<{ base: string; stop: () => Promise<void> }> {
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
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const shoot = (url: string, seconds: number, connections: number) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections, duration: seconds }, (error, result) => (error ? reject(error) : resolve(result)));
  });

/** req/s (median of the rounds) and p99 latency (median of the rounds' p99) for each server and path. */
export async function compareStatic({ dataDir, siteDir, paths, seconds, rounds = 3, connections = 16 }: { dataDir: string; siteDir: string; paths: string[]; seconds: number; rounds?: number; connections?: number }): Promise<Served[]> {
  const sitePort = 41_000 + Math.floor(Math.random() * 2000);
  const ours = await startBenchServer(dataDir, { LIANXIN_SITE_PORT: String(sitePort) });
  const minimal = await startMinimal(siteDir);
  const targets: Array<[string, string]> = [
    ['minimal node:http + readFileSync', minimal.base],
    ['lianxin serve (whole app)', ours.base],
    ['lianxin serve, site port', `http://127.0.0.1:${sitePort}`],
  ];
  try {
    // the same bytes from each, or the comparison means nothing
    for (const path of paths) {
      const bodies = await Promise.all(targets.map(async ([name, base]) => {
        const res = await fetch(base + path);
        if (res.status !== 200) throw new Error(`${name} ${path}: ${res.status}`);
        return Buffer.from(await res.arrayBuffer());
      }));
      if (!bodies.every((b) => b.equals(bodies[0]!))) throw new Error(`${path}: the servers answer different bytes`);
    }
    const samples = new Map<string, { rps: number[]; p99: number[] }>();
    for (const [, base] of targets) for (const path of paths) await shoot(base + path, 1, connections); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const path of paths) {
        for (const [name, base] of targets) {
          const result = await shoot(base + path, seconds, connections);
          if (result.non2xx || result.errors) throw new Error(`${name} ${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
          const key = `${name}\0${path}`;
          const s = samples.get(key) ?? { rps: [], p99: [] };
          s.rps.push(result.requests.average);
          s.p99.push(result.latency.p99);
          samples.set(key, s);
        }
      }
    }
    return [...samples].map(([key, s]) => {
      const [target, path] = key.split('\0') as [string, string];
      return { target, path, rps: percentile(s.rps, 50), p99: percentile(s.p99, 50), rounds: s.rps };
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
      target: s === base ? '' : '≥ 0.9×',
      rounds: s.rounds.map((r) => Math.round(r)).join(' / '),
    };
  });
}
