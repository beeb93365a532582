import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../scripts/seed/demo.ts';

// Real `lianxin` processes for the multi-instance tests: started in their own process group (a kill
// reaches ffmpeg too, as when a machine dies), their output kept for assertions.
const BIN = join(import.meta.dirname, '..', '..', 'scripts', 'lianxin.mjs');

export interface Proc {
  child: ChildProcess;
  out: string[];
  url?: string;
}

export function startProc(procs: Proc[], args: string[], ready: RegExp, env: NodeJS.ProcessEnv): Promise<Proc> {
  const child = spawn(process.execPath, [BIN, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env } });
  const proc: Proc = { child, out: [] };
  procs.push(proc);
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        proc.out.push(line);
        const m = ready.exec(line);
        if (m) {
          proc.url = m[1];
          resolve(proc);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${proc.out.join('\n')}`)));
  });
}

export const SERVE_READY = /连心已启动：工作台 (http:\/\/[^/]+)\/workbench/;

export function killProc(proc: Proc, signal: NodeJS.Signals = 'SIGTERM') {
  try {
    process.kill(-proc.child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Stops every process: a clean stop first; whatever still runs after a few seconds (open keep-alive sockets) is killed. */
export async function stopAll(procs: Proc[]): Promise<void> {
  for (const p of procs) killProc(p);
  await Promise.all(
    procs.map((p) =>
      p.child.exitCode === null && p.child.signalCode === null
        ? new Promise((r) => {
            const timer = setTimeout(() => killProc(p, 'SIGKILL'), 5000);
            p.child.once('exit', () => r(clearTimeout(timer)));
          })
        : undefined,
    ),
  );
}

export async function login(base: string, username: string) {
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (url: string, method = 'GET', body?: unknown) =>
    fetch(url, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 240_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
