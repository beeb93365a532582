import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { mediaRootDir } from '../media/storage.ts';
import { ifRangeHolds, parseRange, type ByteRange } from './byte-range.ts';

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

/** Cache policy by path: hashed or content-addressed files forever, HTML revalidated every time. */
export function cacheControl(path: string): string {
  if (path.startsWith('/_astro/') || path.startsWith('/media/') || path.startsWith('/live/assets/') || /^\/search-index\/[a-z]+\d*\.[0-9a-f]{12}\.json$/.test(path)) return 'public, max-age=31536000, immutable';
  if (path.endsWith('.html') || path.endsWith('/') || path === '/search-index/manifest.json') return 'no-cache';
  if (path.startsWith('/feeds/') || path.endsWith('.xml')) return 'public, max-age=60';
  return 'public, max-age=300';
}

/** Files up to this size are answered from memory; larger ones (video, big media) stream from disk. */
const SMALL_FILE = 256 * 1024;
/** Memory for the bodies of small files, least recently used first out. */
const CACHE_BYTES = 32 * 1024 * 1024;
/** Files remembered (about 1 KB of headers each); the least recently used are forgotten first. */
const MAX_ENTRIES = 5_000;
/** The cache key of the site's 404 page (no URL path starts with a NUL). */
const NOT_FOUND_PAGE = '\u0000404';
const NOT_BUILT = '页面未找到（站点尚未构建：运行 lianxin build）';

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

/** A file the site answered once, with everything needed to answer it again after a single stat. */
interface Entry {
  file: string;
  size: number;
  mtimeMs: number;
  ino: number;
  etag: string;
  lastModified: string;
  body: Buffer | undefined;
  ok: SiteAnswer;
  head: SiteAnswer;
  notModified: SiteAnswer | undefined;
}

const within = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

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

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined && (ifNoneMatch === etag || ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || (tag.startsWith('W/') ? tag.slice(2) : `W/${tag}`) === etag;
  }));

/** The request's `Range` and `If-Range` headers. */
export interface RangeRequest {
  range: string | undefined;
  ifRange: string | undefined;
}

export interface SiteFiles {
  /**
   * The answer for a GET (or HEAD) of `path` (the raw, percent-encoded URL path): the file (whole, or the
   * byte range asked for: 206, 416), a 304, a redirect to the directory's slash, or the site's 404 page.
   */
  answer(path: string, ifNoneMatch: string | undefined, head: boolean, range?: RangeRequest): SiteAnswer;
}

/**
 * The built site under `siteDir` and media from the media storage's directory. A file answered once is
 * kept with its headers (and, when small, its bytes, up to 32 MB in all); each later request costs one
 * stat, and a file replaced or rewritten (new size, mtime or inode: the publisher writes temp + rename) is
 * read again at once, so a fresh publish is never served stale. ETags of small files are their content's
 * hash, so a rebuild that leaves a page unchanged keeps readers' caches valid.
 */
export function createSiteFiles({ siteDir, dataDir, extraHeaders = {} }: { siteDir: () => string; dataDir: string; /** added to `wire` (node:http answers) */ extraHeaders?: Record<string, string> }): SiteFiles {
  const entries = new Map<string, Entry>();
  let bodyBytes = 0;
  let lastDir: string | undefined;
  let root = '';

  const answerOf = (status: SiteAnswer['status'], headers: Record<string, string>, body: Buffer | null, file?: string, range?: ByteRange): SiteAnswer => ({
    status,
    headers,
    body,
    ...(file ? { file } : {}),
    ...(range ? { range } : {}),
    wire: { ...extraHeaders, ...headers },
  });

  /** The file behind a URL path under `root`, or undefined (outside the root, missing, not a file, bad encoding). */
  const resolve = (root: string, urlPath: string): { file: string; directory: boolean } | undefined => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const path = normalize(join(root, decoded));
    if (!within(root, path)) return undefined;
    try {
      const stat = statSync(path);
      const directory = stat.isDirectory();
      const file = directory ? join(path, 'index.html') : path;
      // a symlink (e.g. media/x -> ../db from a tampered backup) must not lead out of the root (itself
      // possibly a symlink a deploy swaps: resolved on every look-up, never remembered)
      if (!within(realpathSync(root), realpathSync(file)) || !(directory ? statSync(file) : stat).isFile()) return undefined;
      return { file, directory };
    } catch {
      return undefined;
    }
  };

  const evict = () => {
    for (const [key, old] of entries) {
      if (bodyBytes <= CACHE_BYTES && entries.size <= MAX_ENTRIES) break;
      entries.delete(key);
      if (old.body) bodyBytes -= old.body.byteLength;
    }
  };

  /** Reads the file (bytes and stat from one open file, so they agree) and remembers its answers. */
  const load = (key: string, file: string, status: 200 | 404, cache: string): Entry | undefined => {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return undefined;
    }
    let stat: Stats;
    let body: Buffer | undefined;
    try {
      stat = fstatSync(fd);
      if (!stat.isFile()) return undefined;
      if (stat.size <= SMALL_FILE) body = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    const size = body ? body.byteLength : stat.size;
    // Large files: a strong tag from size, mtime and inode (as nginx does), so that If-Range, which compares
    // strongly, can resume a video; the bytes never change under the same three: the publisher and the media
    // storage write temp + rename (a new inode), and a file changed in place gets a new mtime.
    const etag = body ? `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"` : `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}-${stat.ino.toString(16)}"`;
    const lastModified = stat.mtime.toUTCString();
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': cache,
      etag,
      'last-modified': lastModified,
      'x-content-type-options': 'nosniff',
    };
    // only files answered with 200 take ranges (not the 404 page)
    if (status === 200) headers['accept-ranges'] = 'bytes';
    const ok = answerOf(status, { ...headers, 'content-length': String(size) }, body ?? null, body ? undefined : file);
    const entry: Entry = {
      file,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      ino: stat.ino,
      etag,
      lastModified,
      body,
      ok,
      head: { status, headers: ok.headers, body: null, wire: ok.wire },
      // a 404 page is never "not modified": its status must reach the client
      notModified: status === 200 ? answerOf(304, headers, null) : undefined,
    };
    const old = entries.get(key);
    if (old) {
      entries.delete(key);
      if (old.body) bodyBytes -= old.body.byteLength;
    }
    entries.set(key, entry);
    if (body) bodyBytes += body.byteLength;
    if (bodyBytes > CACHE_BYTES || entries.size > MAX_ENTRIES) evict();
    return entry;
  };

  /** The remembered entry if the file on disk is still the one it was read from. */
  const fresh = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    let stat: Stats | undefined;
    try {
      stat = statSync(entry.file, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    if (!stat || stat.size !== entry.size || stat.mtimeMs !== entry.mtimeMs || stat.ino !== entry.ino) {
      entries.delete(key);
      if (entry.body) bodyBytes -= entry.body.byteLength;
      return undefined;
    }
    // least recently used goes first when memory runs short
    entries.delete(key);
    entries.set(key, entry);
    return entry;
  };

  const reply = (entry: Entry, ifNoneMatch: string | undefined, head: boolean, ranged?: RangeRequest): SiteAnswer => {
    // If-None-Match comes before Range and If-Range (RFC 9110 §13.2.2)
    if (entry.notModified && matches(ifNoneMatch, entry.etag)) return entry.notModified;
    const asked = entry.ok.status === 200 && ranged?.range !== undefined;
    // a stale If-Range: the client's part is of another version, so it gets the whole file
    const range = asked && ifRangeHolds(ranged.ifRange, entry, Date.now()) ? parseRange(ranged.range, entry.size) : undefined;
    if (range === 'unsatisfiable') {
      return answerOf(416, { 'content-range': `bytes */${entry.size}`, 'content-length': '0', 'x-content-type-options': 'nosniff' }, null);
    }
    if (range) return partial(entry, range, head);
    return head ? entry.head : entry.ok;
  };

  /** A 206: the 200's headers (cache, validators) with the part's length and place. */
  const partial = (entry: Entry, range: ByteRange, head: boolean): SiteAnswer => {
    const headers = { ...entry.ok.headers, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${entry.size}` };
    if (head) return answerOf(206, headers, null);
    // small files are in memory; large ones stream just those bytes from disk
    return entry.body ? answerOf(206, headers, entry.body.subarray(range.start, range.end + 1)) : answerOf(206, headers, null, entry.file, range);
  };

  const notFound = (root: string, ifNoneMatch: string | undefined, head: boolean): SiteAnswer => {
    const page = fresh(NOT_FOUND_PAGE) ?? (resolve(root, '/404.html') && load(NOT_FOUND_PAGE, join(root, '404.html'), 404, 'no-cache'));
    if (page) return reply(page, ifNoneMatch, head);
    const body = Buffer.from(NOT_BUILT);
    return answerOf(404, { 'content-type': 'text/plain; charset=UTF-8', 'content-length': String(body.byteLength) }, head ? null : body);
  };

  return {
    answer(path, ifNoneMatch, head, range) {
      const dir = siteDir();
      if (dir !== lastDir) {
        // another site folder (tests, a changed setting): nothing remembered holds
        entries.clear();
        bodyBytes = 0;
        lastDir = dir;
        root = normalize(dir);
      }
      const known = fresh(path);
      if (known) return reply(known, ifNoneMatch, head, range);
      let found: { file: string; directory: boolean } | undefined;
      if (path.startsWith('/media/')) {
        // a filesystem media storage (the data dir's or a shared LIANXIN_MEDIA_DIR); an object store's CDN serves its own
        const mediaRoot = mediaRootDir(dataDir);
        // dot folders are the storage's own (`.tmp/`: renders and uploads in progress), never public
        const hidden = /\/(\.|%2e)/i.test(path.slice('/media'.length));
        found = mediaRoot && !hidden ? resolve(normalize(mediaRoot), path.slice('/media'.length)) : undefined;
        if (found?.directory) found = undefined;
      } else {
        found = resolve(root, path);
        // Directory URLs without the trailing slash redirect, so relative links keep working.
        // (one leading slash: "//host/dir" must not send the reader to another site)
        if (found?.directory && !path.endsWith('/')) return answerOf(301, { location: `/${path.replace(/^[/\\]+/, '')}/` }, null);
      }
      if (!found) return notFound(root, ifNoneMatch, head);
      let decoded = path;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        // resolve() refused it already
      }
      const entry = load(path, found.file, 200, cacheControl(decoded));
      return entry ? reply(entry, ifNoneMatch, head, range) : notFound(root, ifNoneMatch, head);
    },
  };
}

/**
 * Serves the built site from `siteDir` and media from the media storage's directory (GET/HEAD), with content
 * types, ETags and cache headers; unknown paths get the site's 404 page. `files`: share the cache with
 * the node:http fast path (server/http/fast-paths.ts).
 */
export function serveSite({ siteDir, dataDir, files = createSiteFiles({ siteDir, dataDir }) }: { siteDir: () => string; dataDir: string; files?: SiteFiles }) {
  return (c: Context) => {
    const found = files.answer(rawPath(c.req.url), c.req.header('if-none-match'), c.req.method === 'HEAD', { range: c.req.header('range'), ifRange: c.req.header('if-range') });
    const body = found.body ? new Uint8Array(found.body.buffer, found.body.byteOffset, found.body.byteLength) : found.file ? (Readable.toWeb(createReadStream(found.file, found.range)) as ReadableStream) : null;
    return new Response(body as BodyInit | null, { status: found.status, headers: { ...found.headers } });
  };
}
