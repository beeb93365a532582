import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, normalize, sep } from 'node:path';
import { mediaRootDir } from '../media/storage.ts';
import { ifRangeHolds, parseRange, type ByteRange } from './byte-range.ts';
import { isPrivateIndexFile, SEARCH_DIR } from './search-index.ts';
import { createFileCache, type CachedFile } from './static-cache.ts';
import { chooseCoding, codedTag, compressAsync, compressSync, isCompressible, MAX_COMPRESS, MIN_COMPRESS, SYNC_COMPRESS, type Coding } from './static-encoding.ts';
import { cacheControl, contentTypeOf, etagMatches, type RangeRequest, type SiteAnswer, type SiteFiles } from './static-headers.ts';

/** Files up to this size are answered from memory; larger ones (video, big media) stream from disk. */
const SMALL_FILE = 256 * 1024;
/** Memory for the bodies of small files and the compressed copies of text files, least recently used first out. */
const CACHE_BYTES = 32 * 1024 * 1024;
/** Files remembered (about 1 KB of headers each); the least recently used are forgotten first. */
const MAX_ENTRIES = 5_000;
/** The cache key of the site's 404 page (no URL path starts with a NUL). */
const NOT_FOUND_PAGE = '\u0000404';
const NOT_BUILT = '页面未找到（站点尚未构建：运行 lianxin build）';

/** One representation of a file in a content coding, its answers prepared once. */
interface Coded {
  ok: SiteAnswer;
  head: SiteAnswer;
}

/** A file the site answered once, with everything needed to answer it again after a single stat. */
interface Entry extends CachedFile {
  key: string;
  status: 200 | 404;
  /** the identity representation's headers without its length (and ranges): what a coded one starts from */
  headers: Record<string, string>;
  etag: string;
  lastModified: string;
  body: Buffer | undefined;
  ok: SiteAnswer;
  head: SiteAnswer;
  notModified: SiteAnswer | undefined;
  /** a text file of a size worth compressing: answered in br or gzip to clients that take them */
  compressible: boolean;
  /** each coding's representation once made; null: not smaller than the file, sent as it is */
  coded: Partial<Record<Coding, Coded | null | Promise<Coded | null>>>;
  /** each coding's 304, ready before the coding's bytes are (a revalidation needs only the tag) */
  codedNotModified: Partial<Record<Coding, SiteAnswer>>;
}

const within = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The built site under `siteDir` and media from the media storage's directory. A file answered once is
 * kept with its headers (and, when small, its bytes, up to 32 MB in all); each later request costs one
 * stat, and a file replaced or rewritten (new size, mtime or inode: the publisher writes temp + rename) is
 * read again at once, so a fresh publish is never served stale. ETags of small files are their content's
 * hash, so a rebuild that leaves a page unchanged keeps readers' caches valid. Text files go in br or gzip
 * to clients that take them, compressed on first demand and kept with the entry, in the same 32 MB.
 */
export function createSiteFiles({ siteDir, dataDir, extraHeaders = {} }: { siteDir: () => string; dataDir: string; /** added to `wire` (node:http answers) */ extraHeaders?: Record<string, string> }): SiteFiles {
  const cache = createFileCache<Entry>({ maxBytes: CACHE_BYTES, maxEntries: MAX_ENTRIES });
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

  const codedNotModified = ({ 'accept-ranges': _, ...headers }: Record<string, string>, coding: Coding) => answerOf(304, { ...headers, etag: codedTag(headers.etag!, coding) }, null);

  /** Reads the file (bytes and stat from one open file, so they agree) and remembers its answers. */
  const load = (key: string, file: string, status: 200 | 404, cacheRule: string): Entry | undefined => {
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
    const type = contentTypeOf(file);
    const headers: Record<string, string> = {
      'content-type': type,
      'cache-control': cacheRule,
      etag,
      'last-modified': lastModified,
      'x-content-type-options': 'nosniff',
    };
    // every answer of a text file depends on Accept-Encoding, also the identity ones (a shared cache must not
    // hand a gzip body to a client that sent none)
    const text = isCompressible(type);
    if (text) headers.vary = 'Accept-Encoding';
    const compressible = text && stat.size >= MIN_COMPRESS && stat.size <= MAX_COMPRESS;
    // only files answered with 200 take ranges (not the 404 page)
    if (status === 200) headers['accept-ranges'] = 'bytes';
    const ok = answerOf(status, { ...headers, 'content-length': String(size) }, body ?? null, body ? undefined : file);
    const entry: Entry = {
      key,
      status,
      headers: { ...headers },
      file,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      ino: stat.ino,
      bytes: body ? body.byteLength : 0,
      etag,
      lastModified,
      body,
      ok,
      head: { status, headers: ok.headers, body: null, wire: ok.wire },
      // a 404 page is never "not modified": its status must reach the client
      notModified: status === 200 ? answerOf(304, headers, null) : undefined,
      compressible,
      coded: {},
      codedNotModified: compressible && status === 200 ? { br: codedNotModified(headers, 'br'), gzip: codedNotModified(headers, 'gzip') } : {},
    };
    cache.put(key, entry);
    return entry;
  };

  /** The coded representation (made now, or on zlib's thread pool for a large file), or null: identity. */
  const codedOf = (entry: Entry, coding: Coding): Coded | null | Promise<Coded | null> => {
    const known = entry.coded[coding];
    if (known !== undefined) return known;
    if (entry.body && entry.body.byteLength <= SYNC_COMPRESS) return keep(entry, coding, compressSync(entry.body, coding));
    const pending = bodyOf(entry)
      .then((body) => compressAsync(body, coding))
      .then(
        (bytes) => keep(entry, coding, bytes),
        () => {
          // the file changed or went meanwhile: identity this time (the next request looks again)
          delete entry.coded[coding];
          return null;
        },
      );
    entry.coded[coding] = pending;
    return pending;
  };

  /** Remembers a coding's bytes with the entry (counted in the cache's budget), unless they save nothing. */
  const keep = (entry: Entry, coding: Coding, bytes: Buffer): Coded | null => {
    if (bytes.byteLength >= entry.size) return (entry.coded[coding] = null);
    // no Accept-Ranges: a Range request is answered from the identity bytes, never these
    const { 'accept-ranges': _, ...identity } = entry.headers;
    const headers = { ...identity, etag: codedTag(entry.etag, coding), 'content-encoding': coding, 'content-length': String(bytes.byteLength) };
    const ok = answerOf(entry.status, headers, bytes);
    const coded: Coded = { ok, head: { status: entry.status, headers, body: null, wire: ok.wire } };
    entry.coded[coding] = coded;
    cache.grow(entry.key, entry, bytes.byteLength);
    return coded;
  };

  /** The bytes of an entry: in memory, or read again (a large file), checked to be the file the entry describes. */
  const bodyOf = async (entry: Entry): Promise<Buffer> => {
    if (entry.body) return entry.body;
    const handle = await open(entry.file, 'r');
    try {
      const stat = await handle.stat();
      if (stat.size !== entry.size || stat.mtimeMs !== entry.mtimeMs || stat.ino !== entry.ino) throw new Error(`${entry.file}: changed`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  };

  const reply = (entry: Entry, ifNoneMatch: string | undefined, head: boolean, ranged?: RangeRequest, coding?: Coding): SiteAnswer | Promise<SiteAnswer> => {
    // a Range request is answered from the identity bytes (offsets into a compressed body help nobody)
    if (coding && entry.compressible && ranged?.range === undefined && entry.coded[coding] !== null) {
      const revalidated = entry.codedNotModified[coding];
      if (revalidated && etagMatches(ifNoneMatch, codedTag(entry.etag, coding))) return revalidated;
      const coded = codedOf(entry, coding);
      if (coded instanceof Promise) return coded.then((made) => (made ? (head ? made.head : made.ok) : reply(entry, ifNoneMatch, head, ranged) as SiteAnswer));
      if (coded) return head ? coded.head : coded.ok;
    }
    // If-None-Match comes before Range and If-Range (RFC 9110 §13.2.2)
    if (entry.notModified && etagMatches(ifNoneMatch, entry.etag)) return entry.notModified;
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

  const notFound = (root: string, ifNoneMatch: string | undefined, head: boolean, coding: Coding | undefined): SiteAnswer | Promise<SiteAnswer> => {
    const page = cache.fresh(NOT_FOUND_PAGE) ?? (resolve(root, '/404.html') && load(NOT_FOUND_PAGE, join(root, '404.html'), 404, 'no-cache'));
    if (page) return reply(page, ifNoneMatch, head, undefined, coding);
    const body = Buffer.from(NOT_BUILT);
    return answerOf(404, { 'content-type': 'text/plain; charset=UTF-8', 'content-length': String(body.byteLength) }, head ? null : body);
  };

  return {
    answer(path, ifNoneMatch, head, range, acceptEncoding) {
      const dir = siteDir();
      if (dir !== lastDir) {
        // another site folder (tests, a changed setting): nothing remembered holds
        cache.clear();
        lastDir = dir;
        root = normalize(dir);
      }
      const coding = range?.range === undefined ? chooseCoding(acceptEncoding) : undefined;
      const known = cache.fresh(path);
      if (known) return reply(known, ifNoneMatch, head, range, coding);
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
        // the search index's item id map is for its updates only (public/search.js never reads it)
        if (found && dirname(found.file) === join(root, SEARCH_DIR) && isPrivateIndexFile(basename(found.file))) found = undefined;
      }
      if (!found) return notFound(root, ifNoneMatch, head, coding);
      let decoded = path;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        // resolve() refused it already
      }
      const entry = load(path, found.file, 200, cacheControl(decoded));
      return entry ? reply(entry, ifNoneMatch, head, range, coding) : notFound(root, ifNoneMatch, head, coding);
    },
  };
}
