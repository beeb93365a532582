import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { rawPath, type SiteAnswer, type SiteFiles } from './static-headers.ts';
import { createSiteFiles } from './static-files.ts';

/** A site answer as a fetch Response (headers copied: Hono's middleware adds to them). */
function responseOf(found: SiteAnswer): Response {
  const body = found.body ? new Uint8Array(found.body.buffer, found.body.byteOffset, found.body.byteLength) : found.file ? (Readable.toWeb(createReadStream(found.file, found.range)) as ReadableStream) : null;
  return new Response(body as BodyInit | null, { status: found.status, headers: { ...found.headers } });
}

/**
 * Serves the built site from `siteDir` and media from the media storage's directory (GET/HEAD), with content
 * types, ETags and cache headers; unknown paths get the site's 404 page. `files`: share the cache with
 * the node:http fast path (server/http/site-fast-path.ts).
 */
export function serveSite({ siteDir, dataDir, files = createSiteFiles({ siteDir, dataDir }) }: { siteDir: () => string; dataDir: string; files?: SiteFiles }) {
  return (c: Context) => {
    const found = files.answer(rawPath(c.req.url), c.req.header('if-none-match'), c.req.method === 'HEAD', { range: c.req.header('range'), ifRange: c.req.header('if-range') }, c.req.header('accept-encoding'));
    return found instanceof Promise ? found.then(responseOf) : responseOf(found);
  };
}
