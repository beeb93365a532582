import { extname } from 'node:path';
import type { ByteRange } from './byte-range.ts';

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
};

/** The Content-Type of a file by its extension (unknown ones are plain bytes). */
export const contentTypeOf = (file: string): string => TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

/** Cache policy by path: hashed or content-addressed files forever, HTML revalidated every time. */
export function cacheControl(path: string): string {
  if (path.startsWith('/_astro/') || path.startsWith('/media/') || path.startsWith('/live/assets/') || /^\/search-index\/[a-z]+\d*\.[0-9a-f]{12}\.json$/.test(path)) return 'public, max-age=31536000, immutable';
  if (path.endsWith('.html') || path.endsWith('/') || path === '/search-index/manifest.json') return 'no-cache';
  if (path.startsWith('/feeds/') || path.endsWith('.xml')) return 'public, max-age=60';
  return 'public, max-age=300';
}

/** The path part of a request URL, still percent-encoded (what the client sent, before any decoding). */
export function rawPath(url: string): string {
  let start = 0;
  if (url.charCodeAt(0) !== 47) {
    const scheme = url.indexOf('://');
    start = url.indexOf('/', scheme === -1 ? 0 : scheme + 3);
    if (start === -1) return '/';
  }
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const ch = url.charCodeAt(i);
    if (ch === 63 || ch === 35) {
      end = i;
      break;
    }
  }
  return url.slice(start, end);
}

/** Whether an `If-None-Match` header names `etag` (weak comparison, RFC 9110 §13.1.2). */
export const etagMatches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined && (ifNoneMatch === etag || ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || (tag.startsWith('W/') ? tag.slice(2) : `W/${tag}`) === etag;
  }));

/** One answer of the static site, independent of the HTTP layer (Hono or node:http). */
export interface SiteAnswer {
  status: 200 | 206 | 301 | 304 | 404 | 416;
  headers: Record<string, string>;
  /** the bytes to send; null with `file` set: stream that file; null without: no body (HEAD, 304, 301, 416) */
  body: Buffer | null;
  file?: string;
  /** with `file`: stream only these bytes (a 206) */
  range?: ByteRange;
  /** the same headers with the extra headers the site files were created with (security headers), for node:http */
  wire: Record<string, string>;
}

/** The request's `Range` and `If-Range` headers. */
export interface RangeRequest {
  range: string | undefined;
  ifRange: string | undefined;
}

export interface SiteFiles {
  /**
   * The answer for a GET (or HEAD) of `path` (the raw, percent-encoded URL path): the file (whole, or the
   * byte range asked for: 206, 416), a 304, a redirect to the directory's slash, or the site's 404 page;
   * text files in br or gzip when `acceptEncoding` takes them. A promise only while a large file is being
   * compressed for the first time.
   */
  answer(path: string, ifNoneMatch: string | undefined, head: boolean, range?: RangeRequest, acceptEncoding?: string): SiteAnswer | Promise<SiteAnswer>;
}
