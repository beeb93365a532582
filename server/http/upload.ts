import type { Context } from 'hono';
import { ValidationError } from '../errors.ts';
import { withUpload } from './spool.ts';

/** Largest import file a route reads (the per-route body limit refuses bigger requests before this). */
export const MAX_IMPORT_FILE = 10_000_000;
/** Largest platform statistics export (reach import). */
export const REACH_IMPORT_MAX_BYTES = 20_000_000;

/**
 * The file of an import request: the `file` field of a multipart form, or (unless `multipartOnly`)
 * the raw body, spooled to a temp file with a `maxBytes` cap (413 naming `file` as soon as it is
 * passed; the temp file is deleted either way) and read only once complete. Refuses a missing field
 * and an empty file, naming `file`; `what` says what to upload. `fields` are the form's other fields.
 */
export async function readImportFile(c: Context, what: string, maxBytes = MAX_IMPORT_FILE, options: { multipartOnly?: boolean } = {}): Promise<{ content: Uint8Array; name: string; type: string; fields: Record<string, string> }> {
  return withUpload(c, { field: 'file', maxBytes, noun: `${what} 文件`, allowRaw: !options.multipartOnly }, async (upload) => {
    if (upload.size === 0) throw ValidationError.field('file', `文件为空，请选择一个 ${what} 文件`);
    return { content: await upload.read(), name: upload.name, type: upload.type, fields: upload.fields };
  });
}
