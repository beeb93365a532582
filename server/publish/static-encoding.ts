import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync, type BrotliOptions, type ZlibOptions } from 'node:zlib';

/** The content codings the site answers in, besides identity; br first when a client takes both alike. */
export type Coding = 'br' | 'gzip';
const CODINGS: readonly Coding[] = ['br', 'gzip'];

/**
 * Types worth compressing: text (HTML, CSS, JS, JSON, XML feeds and sitemaps, SVG). Images, video, audio
 * and fonts are compressed already (jpg, png, webp, mp4, woff2): a second pass only costs CPU.
 */
export const isCompressible = (contentType: string) => /^(?:text\/|application\/(?:json|xml|javascript)|image\/svg\+xml)/.test(contentType);

/** Smaller files go as they are: a few hundred bytes gain less than the Content-Encoding header costs. */
export const MIN_COMPRESS = 512;
/**
 * Larger files are never compressed (identity, streamed from disk). The site's big text files are its
 * search term files (up to a few hundred KB) and the sitemap (about a hundred bytes an item); past that it
 * is media.
 * Compressing once and keeping the result keeps Content-Length, ETag and 304s exact, which a streaming
 * compressor would give up (chunked, no length) while paying the CPU again on every request.
 */
export const MAX_COMPRESS = 2 * 1024 * 1024;
/** Up to this size a file is compressed in the request (≈1 ms at brotli 5); larger ones on zlib's thread pool. */
export const SYNC_COMPRESS = 64 * 1024;

// brotli 5 is the on-the-fly sweet spot: most of brotli's gain over gzip at about gzip 6's speed
const brotliOptions = (size: number): BrotliOptions => ({ params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: size, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } });
const gzipOptions: ZlibOptions = { level: 6 };
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** `body` in `coding`, compressed in this thread. */
export const compressSync = (body: Buffer, coding: Coding): Buffer => (coding === 'br' ? brotliCompressSync(body, brotliOptions(body.byteLength)) : gzipSync(body, gzipOptions));

/** `body` in `coding`, compressed on zlib's thread pool (the event loop keeps serving meanwhile). */
export const compressAsync = (body: Buffer, coding: Coding): Promise<Buffer> => (coding === 'br' ? brotliAsync(body, brotliOptions(body.byteLength)) : gzipAsync(body, gzipOptions));

/** The ETag of a file's `coding` representation: its identity tag with a suffix (different bytes, different tag). */
export const codedTag = (etag: string, coding: Coding) => `${etag.slice(0, -1)}-${coding}"`;

/** q-values of the codings a header names (`*` standing for the ones it does not), RFC 9110 §12.5.3. */
function weights(header: string): Record<Coding, number> {
  let star: number | undefined;
  const named: Partial<Record<Coding, number>> = {};
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
      if (m) q = Number(m[1]);
    }
    if (coding === '*') star = q;
    else if (coding === 'br') named.br = q;
    else if (coding === 'gzip' || coding === 'x-gzip') named.gzip = Math.max(named.gzip ?? 0, q);
  }
  return { br: named.br ?? star ?? 0, gzip: named.gzip ?? star ?? 0 };
}

// the few distinct Accept-Encoding values browsers send, each parsed once
const chosen = new Map<string, Coding | undefined>();

/**
 * The coding to answer in for an `Accept-Encoding` header: the acceptable one (q > 0) of highest q, br on a
 * tie; undefined (identity) without the header or when neither is acceptable (`br;q=0, gzip;q=0`).
 */
export function chooseCoding(header: string | undefined): Coding | undefined {
  if (!header) return undefined;
  if (chosen.has(header)) return chosen.get(header);
  const q = weights(header);
  let best: Coding | undefined;
  for (const coding of CODINGS) if (q[coding] > 0 && (best === undefined || q[coding] > q[best])) best = coding;
  if (chosen.size < 256) chosen.set(header, best);
  return best;
}
