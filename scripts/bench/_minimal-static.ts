// A minimal Node static file server (node:http + readFileSync), the baseline for serving the same built
// files: run as its own process, like `lianxin serve`, so neither shares a thread with the load generator.
// `node --import tsx scripts/bench/_minimal-static.ts ROOT` prints `port N` once it listens.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const root = process.argv[2]!;
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.xml': 'application/xml', '.json': 'application/json', '.jpg': 'image/jpeg' };
const server = createServer((req, res) => {
  let path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
  if (path.endsWith('/')) path += 'index.html';
  const file = join(root, path);
  if (!file.startsWith(root) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as { port: number }).port}`));
