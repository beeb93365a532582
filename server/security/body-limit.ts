import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { PayloadTooLargeError } from '../errors.ts';
import { MEDIA_MAX_BYTES } from '../media/schema.ts';
import { AUDIO_MAX_BYTES } from '../media/audio-schema.ts';
import { MAX_IMPORT_FILE, REACH_IMPORT_MAX_BYTES } from '../http/upload.ts';

/** Multipart framing on top of the file itself. */
const MULTIPART_SLACK = 64 * 1024;
export const CONCERN_IMPORT_MAX_BYTES = 10_000_000;
const LOGIN_MAX_BYTES = 16 * 1024;

/**
 * Routes that take a file: the largest file each takes. Their handlers stream it to a temp file with
 * that cap (server/http/spool.ts); the body limit here adds the multipart framing. `raw`: the file
 * may also come as the whole body.
 */
const UPLOADS: Record<string, { max: number; raw: boolean }> = {
  '/api/media': { max: MEDIA_MAX_BYTES, raw: false },
  '/api/media/audio': { max: AUDIO_MAX_BYTES, raw: false },
  '/api/concerns/import': { max: CONCERN_IMPORT_MAX_BYTES, raw: false },
  '/workbench/concerns/import': { max: CONCERN_IMPORT_MAX_BYTES, raw: false },
  '/api/quiz-bank/import': { max: MAX_IMPORT_FILE, raw: true },
  '/workbench/quiz-bank/import': { max: MAX_IMPORT_FILE, raw: false },
  '/api/reach/import': { max: REACH_IMPORT_MAX_BYTES, raw: true },
  '/workbench/reach/import': { max: REACH_IMPORT_MAX_BYTES, raw: false },
};

/** The largest body a route takes (bytes), decided from method, path and content type alone, before anything is read. */
export function bodyLimitFor(path: string, contentType: string, fallback: number): number {
  const multipart = contentType.startsWith('multipart/form-data');
  if (path === '/api/session' || path === '/workbench/login' || path === '/workbench/logout') return LOGIN_MAX_BYTES;
  const upload = UPLOADS[path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path];
  if (upload && multipart) return upload.max + MULTIPART_SLACK;
  if (upload?.raw) return upload.max;
  return fallback;
}

const tooLarge = (max: number, path: string) =>
  max > 2_000_000
    ? new PayloadTooLargeError(`file: 文件超过 ${Math.floor(max / 1024 / 1024)} MB 上限（${path}）`)
    : new PayloadTooLargeError(`body: 请求体超过 ${Math.round(max / 1000)} KB 上限`);

/**
 * Every request body is limited by route before anything reads it: a Content-Length over the limit
 * is refused at once (the body is never read), and a body without one is passed through a counter
 * that fails the read as soon as the limit is crossed, so nothing is buffered beyond the limit.
 */
export const limitBodies: MiddlewareHandler<AppEnv> = async (c, next) => {
  const raw = c.req.raw;
  if (!raw.body || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const max = bodyLimitFor(c.req.path, c.req.header('content-type') ?? '', c.var.deps.config.bodyLimit);
  const length = c.req.header('content-length');
  if (length !== undefined && !c.req.header('transfer-encoding')) {
    if (!/^\d+$/.test(length) || Number(length) > max) {
      // refuse without reading; the connection is closed so the client stops sending
      c.header('connection', 'close');
      throw tooLarge(max, c.req.path);
    }
    return next();
  }
  let seen = 0;
  const reader = raw.body.getReader();
  const counted = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > max) {
        await reader.cancel().catch(() => undefined);
        return controller.error(tooLarge(max, c.req.path));
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
  c.req.raw = new Request(raw, { body: counted, duplex: 'half' } as RequestInit);
  try {
    await next();
  } catch (error) {
    throw seen > max ? tooLarge(max, c.req.path) : error;
  }
  if (seen > max && c.res.status !== 413) c.res = c.json(tooLarge(max, c.req.path).toJSON(), 413);
};
