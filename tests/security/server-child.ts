import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { tempDir } from '../helpers.ts';

// A real `lianxin serve` child for the upload and memory tests: its memory is read from /proc, and it
// has its own TMPDIR so that temp files it leaves behind can be looked for.
const ROOT = join(import.meta.dirname, '..', '..');

export interface ServerChild {
  base: string;
  pid: number;
  cookie: string;
  csrf: string;
  /** current (VmRSS) or peak (VmHWM) resident memory of the server, bytes */
  memory: (field: 'VmRSS' | 'VmHWM') => number;
  /** resets the server's peak RSS (Linux clear_refs 5), so VmHWM measures what follows alone */
  resetPeak: () => void;
  /** upload spool dirs left in the server's TMPDIR */
  leftovers: () => string[];
  /** what the server printed */
  output: () => string;
  stop: () => void;
}

export async function startServer(password = 'child-admin-password'): Promise<ServerChild> {
  const data = tempDir();
  const tmp = tempDir('lianxin-child-tmp-');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'cli.ts'), 'serve', '--port', '0', '--no-demo'], {
    cwd: ROOT,
    env: { ...process.env, LIANXIN_DATA: data.dir, TMPDIR: tmp.dir, HOST: '127.0.0.1', LIANXIN_ADMIN_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => {
    child.kill('SIGKILL');
    data.cleanup();
    tmp.cleanup();
  };
  let out = '';
  child.once('exit', (code, signal) => (out += `\n[exited ${code ?? signal}]`));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /工作台 (http:\/\/[^/\s]+)\/workbench/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  }).catch((error: unknown) => {
    stop();
    throw error;
  });
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  const pid = child.pid!;
  return {
    base,
    pid,
    cookie,
    csrf,
    memory: (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024,
    resetPeak: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    output: () => out,
    leftovers: () => readdirSync(tmp.dir).filter((name) => name.startsWith('lianxin-upload-')),
    stop,
  };
}

export interface Sent {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** bytes of the file part written before the answer came */
  written: number;
}

/**
 * Streams a multipart form to the server, chunked and without a Content-Length: the `before` fields,
 * then a file part of `total` bytes (`fill`, 256 KB at a time), then the `after` fields; stops
 * writing as soon as the answer comes. `raw` sends the bytes alone as a text/csv body instead.
 */
export function sendForm(url: string, options: { total: number; before?: Record<string, string>; after?: Record<string, string>; headers?: Record<string, string>; fileName?: string; fill?: Buffer; raw?: boolean }): Promise<Sent> {
  const boundary = 'childboundary';
  const field = (name: string, value: string) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = options.raw
    ? Buffer.alloc(0)
    : Buffer.from(`${Object.entries(options.before ?? {}).map(([k, v]) => field(k, v)).join('')}--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${options.fileName ?? 'big.csv'}"\r\ncontent-type: text/csv\r\n\r\n`);
  const tail = options.raw ? '' : `\r\n${Object.entries(options.after ?? {}).map(([k, v]) => field(k, v)).join('')}--${boundary}--\r\n`;
  const chunk = options.fill ?? Buffer.alloc(256 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    let answered = false;
    let written = 0;
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': options.raw ? 'text/csv' : `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked', ...options.headers },
    });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, body, headers: res.headers, written });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && written < options.total) {
        const part = written + chunk.length > options.total ? chunk.subarray(0, options.total - written) : chunk;
        written += part.length;
        if (!req.write(part)) return void req.once('drain', pump);
      }
      if (!answered) req.end(tail || undefined);
    };
    req.write(head);
    pump();
  });
}
