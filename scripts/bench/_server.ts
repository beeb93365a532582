import { spawn } from 'node:child_process';

/**
 * `lianxin serve` over a data dir in a child process, signed in as admin; `stop` ends it. `env` adds
 * settings (a PostgreSQL database for the scale bench); `output` collects what it prints.
 */
export async function startBenchServer(dir: string, env: NodeJS.ProcessEnv = {}): Promise<{ base: string; cookie: string; pid: number; output: string[]; stop: () => Promise<void> }> {
  const port = 39_000 + Math.floor(Math.random() * 2000);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', '--data', dir, 'serve', '--no-demo', '--port', String(port)], {
    env: { ...process.env, LIANXIN_ADMIN_PASSWORD: 'bench-password', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  const output: string[] = [];
  child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('已启动') && resolve());
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-password' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    return { base, cookie, pid: child.pid!, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
