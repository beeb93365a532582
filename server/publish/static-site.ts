import { createReadStream, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { mediaRootDir } from '../media/storage.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

/** Cache policy by path: hashed or content-addressed files forever, HTML revalidated every time. */
export function cacheControl(path: string): string {
  if (path.startsWith('/_astro/') || path.startsWith('/media/') || path.startsWith('/live/assets/') || /^\/pagefind\/(fragment|index|filter)\//.test(path)) return 'public, max-age=31536000, immutable';
  if (path.endsWith('.html') || path.endsWith('/')) return 'no-cache';
  if (path.startsWith('/feeds/') || path.endsWith('.xml')) return 'public, max-age=60';
  return 'public, max-age=300';
}

function resolveFile(root: string, urlPath: string): { file: string; stat: Stats } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = normalize(join(root, decoded));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    const stat = statSync(file);
    const found = stat.isDirectory() ? { file: join(file, 'index.html'), stat: statSync(join(file, 'index.html')) } : { file, stat };
    // a symlink (e.g. media/x -> ../db from a tampered backup) must not lead out of the root
    const real = realpathSync(found.file);
    const realRoot = realpathSync(root);
    if (!real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep) || !found.stat.isFile()) return undefined;
    return found;
  } catch {
    return undefined;
  }
}

function send(c: Context, file: string, stat: Stats, status: 200 | 404, cache: string): Response {
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers = new Headers({
    'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': cache,
    etag,
    'last-modified': stat.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
  });
  if (status === 200 && c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers });
  headers.set('content-length', String(stat.size));
  if (c.req.method === 'HEAD') return new Response(null, { status, headers });
  // Pages, feeds and cards are small: answered from memory (a web stream per request costs more than
  // the read). Video and large media stream.
  if (stat.size <= SMALL_FILE) return new Response(smallFile(file, stat), { status, headers });
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, { status, headers });
}

const SMALL_FILE = 256 * 1024;
const CACHE_BYTES = 32 * 1024 * 1024;
const bodies = new Map<string, { stamp: string; body: Uint8Array<ArrayBuffer> }>();
let cachedBytes = 0;

/** The file's bytes, from a small LRU keyed by path and checked against size and mtime (a publish rewrites pages in place). */
function smallFile(file: string, stat: Stats): Uint8Array<ArrayBuffer> {
  const stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  const hit = bodies.get(file);
  if (hit && hit.stamp === stamp) {
    bodies.delete(file);
    bodies.set(file, hit);
    return hit.body;
  }
  const body = new Uint8Array(readFileSync(file));
  if (hit) {
    bodies.delete(file);
    cachedBytes -= hit.body.byteLength;
  }
  bodies.set(file, { stamp, body });
  cachedBytes += body.byteLength;
  for (const [key, old] of bodies) {
    if (cachedBytes <= CACHE_BYTES) break;
    bodies.delete(key);
    cachedBytes -= old.body.byteLength;
  }
  return body;
}

/**
 * Serves the built site from `siteDir` and media from the media storage's directory (GET/HEAD), with content
 * types, ETags and cache headers; unknown paths get the site's 404 page.
 */
export function serveSite({ siteDir, dataDir }: { siteDir: () => string; dataDir: string }) {
  return (c: Context) => {
    const path = c.req.path;
    const root = normalize(siteDir());
    if (path.startsWith('/media/')) {
      // a filesystem media storage (the data dir's or a shared LIANXIN_MEDIA_DIR); an object store's CDN serves its own
      const mediaRoot = mediaRootDir(dataDir);
      const hit = mediaRoot ? resolveFile(normalize(mediaRoot), path.slice('/media'.length)) : undefined;
      if (hit) return send(c, hit.file, hit.stat, 200, cacheControl(path));
    } else {
      const hit = resolveFile(root, path);
      if (hit) {
        // Directory URLs without the trailing slash redirect, so relative links keep working.
        if (hit.file.endsWith(`${sep}index.html`) && !path.endsWith('/') && !path.endsWith('.html')) return c.redirect(`${path}/`, 301);
        return send(c, hit.file, hit.stat, 200, cacheControl(path));
      }
    }
    const notFound = resolveFile(root, '/404.html');
    if (notFound) return send(c, notFound.file, notFound.stat, 404, 'no-cache');
    return c.text('页面未找到（站点尚未构建：运行 lianxin build）', 404);
  };
}
