import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { Context } from 'hono';
import { PayloadTooLargeError, ValidationError } from '../errors.ts';

/** Prefix of every upload spool directory under the OS temp dir (tests look for leftovers by it). */
export const SPOOL_PREFIX = 'lianxin-upload-';

/** An upload written to a temp file; `dispose` deletes it (always call it, `withUpload` does). */
export interface SpooledUpload {
  path: string;
  /** the client's file name (multipart) or '' (raw body) */
  name: string;
  /** the file part's declared content type (multipart) or the request's (raw body) */
  type: string;
  size: number;
  /** the other (small) fields of a multipart form */
  fields: Record<string, string>;
  read: () => Promise<Uint8Array>;
  dispose: () => void;
}

export interface SpoolOptions {
  /** the multipart field that carries the file (also named in every error) */
  field: string;
  /** the largest file taken; one byte more is refused with 413 at once */
  maxBytes: number;
  /** what the file is, for the messages ('图片', 'CSV 或 XLSX 文件') */
  noun: string;
  /** take a raw (non-multipart) body as the file too */
  allowRaw?: boolean;
}

const tooLarge = (field: string, noun: string, maxBytes: number) =>
  new PayloadTooLargeError(`${field}: ${noun}超过 ${+(maxBytes / 1024 / 1024).toFixed(1)} MB 上限`);

function spoolDir() {
  const dir = mkdtempSync(join(tmpdir(), SPOOL_PREFIX));
  return { dir, path: join(dir, 'upload'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A pass-through that fails the stream as soon as more than `max` bytes went by. */
function byteCap(max: number, error: () => Error, count: (n: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      count(seen);
      if (seen > max) return done(error());
      done(null, chunk);
    },
  });
}

/**
 * Streams the upload of a request to a temp file with a byte cap, never holding the body in memory:
 * the `field` part of a multipart form (other file parts are skipped, other fields kept up to 64 KB
 * each), or the raw body when `allowRaw`. Past `maxBytes` the read stops at once with 413 naming the
 * field, and the temp file is deleted; so it is when anything else fails. Auth and CSRF run before
 * (server/app.ts), and the per-route body limit (security/body-limit.ts) still bounds the whole body.
 */
export async function spoolUpload(c: Context, options: SpoolOptions): Promise<SpooledUpload> {
  const { field, maxBytes, noun } = options;
  const type = c.req.header('content-type') ?? '';
  const body = c.req.raw.body;
  const multipart = type.startsWith('multipart/form-data');
  if (!multipart && !options.allowRaw) throw ValidationError.field(field, `请用 multipart/form-data 上传，字段名 ${field}`);
  if (!body) throw ValidationError.field(field, multipart ? `缺少${noun}（字段名 ${field}）` : '文件为空');
  const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>, { highWaterMark: 64 * 1024 });
  const spool = spoolDir();
  let size = 0;
  const done = (name: string, fields: Record<string, string>, fileType = type): SpooledUpload => ({
    path: spool.path,
    name,
    type: fileType,
    size,
    fields,
    read: async () => new Uint8Array(await readFile(spool.path)),
    dispose: spool.remove,
  });
  try {
    if (!multipart) {
      await pipeline(source, byteCap(maxBytes, () => tooLarge(field, noun, maxBytes), (n) => (size = n)), createWriteStream(spool.path));
      return done('', {});
    }
    return await new Promise<SpooledUpload>((resolve, reject) => {
      let settled = false;
      let writing: Promise<void> | undefined;
      let name = '';
      let fileType = '';
      const fields: Record<string, string> = {};
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        source.unpipe();
        reject(error);
      };
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: { 'content-type': type }, defParamCharset: 'utf8', limits: { fileSize: maxBytes, fieldSize: 64 * 1024, fields: 100, files: 10, parts: 200 } });
      } catch (cause) {
        throw ValidationError.field(field, `multipart 请求格式不对（${(cause as Error).message}）`);
      }
      parser.on('file', (partName, stream, info) => {
        if (partName !== field || writing) return void stream.resume();
        name = info.filename ?? '';
        fileType = info.mimeType ?? '';
        stream.on('limit', () => fail(tooLarge(field, noun, maxBytes)));
        writing = pipeline(stream, byteCap(maxBytes, () => tooLarge(field, noun, maxBytes), (n) => (size = n)), createWriteStream(spool.path));
        writing.catch(fail);
      });
      parser.on('field', (key, value) => {
        fields[key] = value;
      });
      parser.on('error', (cause: Error) => fail(ValidationError.field(field, `multipart 请求格式不对（${cause.message}）`)));
      parser.on('close', () => {
        if (!writing) return fail(ValidationError.field(field, `缺少${noun}（字段名 ${field}）`));
        writing.then(() => {
          if (settled) return;
          settled = true;
          resolve(done(name, fields, fileType));
        }, fail);
      });
      source.on('error', fail);
      source.pipe(parser);
    });
  } catch (error) {
    spool.remove();
    throw error;
  }
}

/** Spools the upload, runs `use` on it and deletes the temp file whatever happens. */
export async function withUpload<T>(c: Context, options: SpoolOptions, use: (upload: SpooledUpload) => Promise<T>): Promise<T> {
  const upload = await spoolUpload(c, options);
  try {
    return await use(upload);
  } finally {
    upload.dispose();
  }
}
