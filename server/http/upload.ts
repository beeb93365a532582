import type { Context } from 'hono';
import { PayloadTooLargeError, ValidationError } from '../errors.ts';

/** Largest import file a route reads (the per-route body limit refuses bigger requests before this). */
export const MAX_IMPORT_FILE = 10_000_000;

/**
 * The file of an import request: the `file` field of a multipart form, or the raw body. Refuses a
 * missing field, an oversized file and an empty one, naming `file`; `what` says what to upload.
 */
export async function readImportFile(c: Context, what: string): Promise<{ content: Uint8Array; name: string }> {
  if ((c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File)) throw ValidationError.field('file', `请在 file 字段上传 ${what} 文件`);
    if (file.size > MAX_IMPORT_FILE) throw new PayloadTooLargeError(`file: 文件超过 ${MAX_IMPORT_FILE / 1e6} MB 上限`);
    const content = new Uint8Array(await file.arrayBuffer());
    if (content.byteLength === 0) throw ValidationError.field('file', '文件为空');
    return { content, name: file.name };
  }
  const content = new Uint8Array(await c.req.arrayBuffer());
  if (content.byteLength === 0) throw ValidationError.field('file', '文件为空');
  return { content, name: '' };
}
