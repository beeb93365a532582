import { request } from 'node:http';

/** An answer as node:http received it. */
export interface Raw {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A raw HTTP request: the path is sent as written (no client normalisation of `//`, `..` or escapes). */
export function rawRequest(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// what node:http adds on its own; everything else must match Hono's answer
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** Headers without the transport ones, sorted: the fast path's and Hono's answers compare equal. */
export const comparable = (headers: Record<string, string> | Headers) =>
  Object.fromEntries([...(headers instanceof Headers ? headers.entries() : Object.entries(headers))].filter(([k]) => !TRANSPORT.has(k)).sort(([a], [b]) => a.localeCompare(b)));
