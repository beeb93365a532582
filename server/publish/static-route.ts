import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { rawPath, type SiteFiles } from './static-headers.ts';
import { createSiteFiles } from './static-files.ts';

/**
 * Serves the built site from `siteDir` and media from the media storage's directory (GET/HEAD), with content
 * types, ETags and cache headers; unknown paths get the site's 404 page. `files`: share the cache with
 * the node:http fast path (server/http/site-fast-path.ts).
 */
export function serveSite({ siteDir, dataDir, files = createSiteFiles({ siteDir, dataDir }) }: { siteDir: () => string; dataDir: string; files?: SiteFiles }) {
  return (c: Context) => {
    const found = files.answer(rawPath(c.req.url), c.req.header('if-none-match'), c.req.method === 'HEAD', { range: c.req.header('range'), ifRange: c.req.header('if-range') });
    const body = found.body ? new Uint8Array(found.body.buffer, found.body.byteOffset, found.body.byteLength) : found.file ? (Readable.toWeb(createReadStream(found.file, found.range)) as ReadableStream) : null;
    return new Response(body as BodyInit | null, { status: found.status, headers: { ...found.headers } });
  };
}
