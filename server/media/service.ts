import { createHash, randomBytes } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metadata, Sharp } from 'sharp';
import { loadSharp } from './sharp.ts';
import { MediaError, PayloadTooLargeError, ServiceBusyError } from '../errors.ts';
import { MEDIA_MAX_BYTES, MEDIA_WIDTHS, MediaImageSchema, type ImageFormat, type MediaImage } from './schema.ts';
import { sniffImageFormat } from './sniff.ts';
import { mediaStorage, type MediaStorage } from './storage.ts';

const EXT: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'webp', gif: 'gif' };
const LABEL = 'JPEG、PNG、WebP、AVIF 或 GIF';

/** Storage key of a file stored by content hash: `ab/<sha256><suffix>`. */
export const hashKey = (sha: string, suffix: string) => `${sha.slice(0, 2)}/${sha}${suffix}`;

/** A stored JSON manifest, or undefined when there is none. */
export async function readManifest(storage: MediaStorage, key: string): Promise<unknown> {
  const json = await storage.read(key);
  return json === undefined ? undefined : JSON.parse(json.toString('utf8'));
}

/** An upload: bytes in memory, or a file on disk (a spooled upload) that is read as a stream, never whole. */
export type UploadSource = { data: Uint8Array; file?: undefined } | { file: string; data?: undefined };

/** Bytes read from the start of a file to tell its format (magic numbers, an ISO-BMFF ftyp box). */
const HEAD_BYTES = 4096;
/** One buffer, reused, hashes a file of any size. */
const HASH_CHUNK = 1024 * 1024;

/** Size, first bytes and SHA-256 of an upload; a file is read through one reused 1 MB buffer. */
async function inspectUpload(source: UploadSource): Promise<{ size: number; head: Uint8Array; sha256: () => Promise<string> }> {
  if (source.data) {
    const data = source.data;
    return { size: data.length, head: data.subarray(0, HEAD_BYTES), sha256: async () => createHash('sha256').update(data).digest('hex') };
  }
  const file = source.file;
  const size = (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    return { size, head, sha256: () => hashFile(file) };
  } finally {
    await handle.close();
  }
}

/** SHA-256 of a file, streamed through one reused buffer (memory stays flat whatever the size). */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(HASH_CHUNK);
  const handle = await open(file, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * The checks every upload starts with, before any decoding: size (413), emptiness (422), the real
 * format sniffed from the bytes, not the name (415); returns the format, the size and the content
 * hash the file is stored under.
 */
export async function acceptUpload<F>({ source, fileName, maxBytes, noun, formats, sniff }: { source: UploadSource; fileName: string; maxBytes: number; noun: string; formats: string; sniff: (data: Uint8Array) => F | undefined }): Promise<{ format: F; sha256: string; size: number }> {
  const { size, head, sha256 } = await inspectUpload(source);
  if (size > maxBytes) throw new PayloadTooLargeError(`file: ${noun}超过 ${maxBytes / 1024 / 1024} MB 上限`);
  if (size === 0) throw new MediaError(422, 'file: 文件是空的');
  const format = sniff(head);
  if (!format) throw new MediaError(415, `file: “${fileName}”不是受支持的${noun}（只收 ${formats}；按文件内容判断，不看扩展名）`);
  return { format, sha256: await sha256(), size };
}

/**
 * Stores an uploaded image once by the SHA-256 of its bytes: a metadata-free full-size copy plus
 * WebP and JPEG variants at MEDIA_WIDTHS. A spooled upload (`file`) is decoded by sharp from its
 * path and never read into memory; the outputs are encoded to files in the storage's scratch dir
 * and moved in only when all succeeded, so a file that fails anywhere leaves nothing in the media
 * dir. Returns `created: false` when it was stored before.
 */
export async function storeImage({ dataDir, fileName = 'file', now = new Date(), ...source }: UploadSource & { dataDir: string; fileName?: string; now?: Date }): Promise<{ image: MediaImage; created: boolean }> {
  const { format, sha256, size } = await acceptUpload({ source, fileName, maxBytes: MEDIA_MAX_BYTES, noun: '图片', formats: LABEL, sniff: sniffImageFormat });
  const storage = mediaStorage(dataDir);
  const manifest = hashKey(sha256, '.json');
  const stored = await readManifest(storage, manifest);
  if (stored !== undefined) return { image: MediaImageSchema.parse(stored), created: false };

  // sharp reads a path itself; bytes in memory are wrapped, not copied
  const input = source.file ?? Buffer.from(source.data.buffer, source.data.byteOffset, source.data.byteLength);
  await assertPixelBudget(input, format, fileName);
  return withImageSlot(() => encodeAndStore({ size, input, format, sha256, fileName, now, storage, manifest }));
}

/** Largest decoded image: 50 megapixels (all frames of an animation together). */
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * Decompression bombs (a 31 KB PNG of 16000×16000) are refused from the header alone, before any
 * pixel is decoded; every decode is capped by sharp's limitInputPixels as well.
 */
async function assertPixelBudget(input: Buffer | string, format: ImageFormat, fileName: string): Promise<void> {
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(input, { animated: format === 'gif', limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new MediaError(422, `file: “${fileName}”看起来是 ${format.toUpperCase()},但内容损坏或无法解码`, { cause });
  }
  const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0) * (meta.pages ?? 1);
  if (!meta.width || !meta.height) throw new MediaError(422, `file: “${fileName}”没有有效的尺寸`);
  if (pixels > MAX_INPUT_PIXELS) throw new MediaError(422, `file: 图片 ${meta.width}×${meta.pageHeight ?? meta.height}${(meta.pages ?? 1) > 1 ? `×${meta.pages} 帧` : ''} 像素过多（上限 ${MAX_INPUT_PIXELS / 1_000_000} 百万像素）`);
}

/** At most two images are decoded at once (each may hold up to 50 MP in memory); the rest wait their turn. */
export const IMAGE_SLOTS = 2;
/** Uploads that may wait for a slot; past that the server is busy (503, Retry-After) rather than piling up work. */
export const IMAGE_QUEUE = 8;
let busy = 0;
const waiting: Array<() => void> = [];
async function withImageSlot<T>(run: () => Promise<T>): Promise<T> {
  if (busy >= IMAGE_SLOTS) {
    if (waiting.length >= IMAGE_QUEUE) throw new ServiceBusyError(`file: 图片处理繁忙（${IMAGE_SLOTS} 张在处理，${waiting.length} 张在排队），请稍后重试`, 5);
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  busy++;
  try {
    return await run();
  } finally {
    busy--;
    waiting.shift()?.();
  }
}

async function encodeAndStore({ size, input, format, sha256, fileName, now, storage, manifest }: { size: number; input: Buffer | string; format: ImageFormat; sha256: string; fileName: string; now: Date; storage: MediaStorage; manifest: string }): Promise<{ image: MediaImage; created: boolean }> {
  const scratch = await storage.scratch(`image-${sha256.slice(0, 16)}-${randomBytes(4).toString('hex')}`);
  try {
    const files: string[] = [];
    let width: number;
    let height: number;
    const limitInputPixels = MAX_INPUT_PIXELS;
    const sharp = await loadSharp();
    try {
      // rotate() applies the EXIF orientation; sharp writes no EXIF/GPS/XMP unless asked to.
      const base = () => sharp(input, { animated: format === 'gif', failOn: 'error', limitInputPixels }).rotate();
      const full = `${sha256}.${EXT[format]}`;
      const info = await encode(base(), format).toFile(join(scratch, full));
      width = info.width;
      height = (info as { pageHeight?: number }).pageHeight ?? info.height;
      files.push(full);
      for (const w of new Set(MEDIA_WIDTHS.map((w) => Math.min(w, width)))) {
        // a very wide image must not get variants 0 px high
        const h = variantHeight(width, height, w);
        const still = () => sharp(input, { failOn: 'error', limitInputPixels }).rotate().resize({ width: w, height: h, fit: 'fill', withoutEnlargement: true });
        await still().webp({ quality: 78 }).toFile(join(scratch, `${sha256}-w${w}.webp`));
        await still().flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true }).toFile(join(scratch, `${sha256}-w${w}.jpg`));
        files.push(`${sha256}-w${w}.webp`, `${sha256}-w${w}.jpg`);
      }
    } catch (cause) {
      throw new MediaError(422, `file: “${fileName}”看起来是 ${format.toUpperCase()},但内容损坏或无法解码`, { cause });
    }
    const image: MediaImage = {
      sha256,
      format,
      width,
      height,
      bytes: size,
      src: `/media/${sha256.slice(0, 2)}/${sha256}.${EXT[format]}`,
      variants: [...new Set(MEDIA_WIDTHS.map((w) => Math.min(w, width)))].map((w) => ({
        width: w,
        height: variantHeight(width, height, w),
        webp: `/media/${sha256.slice(0, 2)}/${sha256}-w${w}.webp`,
        jpeg: `/media/${sha256.slice(0, 2)}/${sha256}-w${w}.jpg`,
      })),
      createdAt: now.toISOString(),
    };
    await moveAll(storage, sha256, scratch, files, manifest, JSON.stringify(image, null, 2));
    return { image, created: true };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const variantHeight = (width: number, height: number, w: number) => Math.max(1, Math.round((height * w) / width));

function encode(pipeline: Sharp, format: ImageFormat): Sharp {
  if (format === 'jpeg') return pipeline.jpeg({ quality: 88, mozjpeg: true });
  if (format === 'png') return pipeline.png();
  if (format === 'gif') return pipeline.gif();
  return pipeline.webp({ quality: 85 });
}

/** Moves the encoded files in (each atomically), the manifest last: a reader sees all of it or none. */
async function moveAll(storage: MediaStorage, sha256: string, scratch: string, files: string[], manifest: string, json: string): Promise<void> {
  const written: string[] = [];
  try {
    for (const name of files) {
      const key = `${sha256.slice(0, 2)}/${name}`;
      await storage.putFile(key, join(scratch, name));
      written.push(key);
    }
    await storage.put(manifest, Buffer.from(json));
  } catch (cause) {
    for (const key of written) await storage.delete(key).catch(() => undefined);
    throw new MediaError(422, 'file: 保存图片失败', { cause });
  }
}
