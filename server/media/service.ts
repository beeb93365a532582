import { createHash } from 'node:crypto';
import type { Metadata, Sharp } from 'sharp';
import { loadSharp } from './sharp.ts';
import { MediaError, PayloadTooLargeError } from '../errors.ts';
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

/**
 * The checks every upload starts with, before any decoding: size (413), emptiness (422), the real
 * format sniffed from the bytes, not the name (415); returns the format and the content hash the
 * file is stored under.
 */
export function acceptUpload<F>({ data, fileName, maxBytes, noun, formats, sniff }: { data: Uint8Array; fileName: string; maxBytes: number; noun: string; formats: string; sniff: (data: Uint8Array) => F | undefined }): { format: F; sha256: string } {
  if (data.length > maxBytes) throw new PayloadTooLargeError(`file: ${noun}超过 ${maxBytes / 1024 / 1024} MB 上限`);
  if (data.length === 0) throw new MediaError(422, 'file: 文件是空的');
  const format = sniff(data);
  if (!format) throw new MediaError(415, `file: “${fileName}”不是受支持的${noun}（只收 ${formats}；按文件内容判断，不看扩展名）`);
  return { format, sha256: createHash('sha256').update(data).digest('hex') };
}

/**
 * Stores an uploaded image once by the SHA-256 of its bytes: a metadata-free full-size copy plus
 * WebP and JPEG variants at MEDIA_WIDTHS. Everything is encoded in memory first, so a file that
 * fails anywhere leaves nothing on disk. Returns `created: false` when it was stored before.
 */
export async function storeImage({ dataDir, data, fileName = 'file', now = new Date() }: { dataDir: string; data: Uint8Array; fileName?: string; now?: Date }): Promise<{ image: MediaImage; created: boolean }> {
  const { format, sha256 } = acceptUpload({ data, fileName, maxBytes: MEDIA_MAX_BYTES, noun: '图片', formats: LABEL, sniff: sniffImageFormat });
  const storage = mediaStorage(dataDir);
  const manifest = hashKey(sha256, '.json');
  const stored = await readManifest(storage, manifest);
  if (stored !== undefined) return { image: MediaImageSchema.parse(stored), created: false };

  const input = Buffer.from(data);
  await assertPixelBudget(input, format, fileName);
  return withImageSlot(() => encodeAndStore({ data, input, format, sha256, fileName, now, storage, manifest }));
}

/** Largest decoded image: 50 megapixels (all frames of an animation together). */
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * Decompression bombs (a 31 KB PNG of 16000×16000) are refused from the header alone, before any
 * pixel is decoded; every decode is capped by sharp's limitInputPixels as well.
 */
async function assertPixelBudget(input: Buffer, format: ImageFormat, fileName: string): Promise<void> {
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
const IMAGE_SLOTS = 2;
let busy = 0;
const waiting: Array<() => void> = [];
async function withImageSlot<T>(run: () => Promise<T>): Promise<T> {
  if (busy >= IMAGE_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  busy++;
  try {
    return await run();
  } finally {
    busy--;
    waiting.shift()?.();
  }
}

async function encodeAndStore({ data, input, format, sha256, fileName, now, storage, manifest }: { data: Uint8Array; input: Buffer; format: ImageFormat; sha256: string; fileName: string; now: Date; storage: MediaStorage; manifest: string }): Promise<{ image: MediaImage; created: boolean }> {
  const files = new Map<string, Buffer>();
  let width: number;
  let height: number;
  const limitInputPixels = MAX_INPUT_PIXELS;
  const sharp = await loadSharp();
  try {
    // rotate() applies the EXIF orientation; sharp writes no EXIF/GPS/XMP unless asked to.
    const base = () => sharp(input, { animated: format === 'gif', failOn: 'error', limitInputPixels }).rotate();
    const full = await encode(base(), format).toBuffer({ resolveWithObject: true });
    width = full.info.width;
    height = full.info.pageHeight ?? full.info.height;
    files.set(`${sha256}.${EXT[format]}`, full.data);
    const widths = [...new Set(MEDIA_WIDTHS.map((w) => Math.min(w, width)))];
    for (const w of widths) {
      // a very wide image must not get variants 0 px high
      const h = variantHeight(width, height, w);
      const still = () => sharp(input, { failOn: 'error', limitInputPixels }).rotate().resize({ width: w, height: h, fit: 'fill', withoutEnlargement: true });
      files.set(`${sha256}-w${w}.webp`, await still().webp({ quality: 78 }).toBuffer());
      files.set(`${sha256}-w${w}.jpg`, await still().flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true }).toBuffer());
    }
  } catch (cause) {
    throw new MediaError(422, `file: “${fileName}”看起来是 ${format.toUpperCase()},但内容损坏或无法解码`, { cause });
  }
  const image: MediaImage = {
    sha256,
    format,
    width,
    height,
    bytes: data.length,
    src: `/media/${sha256.slice(0, 2)}/${sha256}.${EXT[format]}`,
    variants: [...new Set(MEDIA_WIDTHS.map((w) => Math.min(w, width)))].map((w) => ({
      width: w,
      height: variantHeight(width, height, w),
      webp: `/media/${sha256.slice(0, 2)}/${sha256}-w${w}.webp`,
      jpeg: `/media/${sha256.slice(0, 2)}/${sha256}-w${w}.jpg`,
    })),
    createdAt: now.toISOString(),
  };
  await writeAll(storage, sha256, files, manifest, JSON.stringify(image, null, 2));
  return { image, created: true };
}

const variantHeight = (width: number, height: number, w: number) => Math.max(1, Math.round((height * w) / width));

function encode(pipeline: Sharp, format: ImageFormat): Sharp {
  if (format === 'jpeg') return pipeline.jpeg({ quality: 88, mozjpeg: true });
  if (format === 'png') return pipeline.png();
  if (format === 'gif') return pipeline.gif();
  return pipeline.webp({ quality: 85 });
}

/** Stores the files (each atomically), the manifest last: a reader sees all of it or none. */
async function writeAll(storage: MediaStorage, sha256: string, files: Map<string, Buffer>, manifest: string, json: string): Promise<void> {
  const written: string[] = [];
  try {
    for (const [name, buf] of files) {
      const key = `${sha256.slice(0, 2)}/${name}`;
      await storage.put(key, buf);
      written.push(key);
    }
    await storage.put(manifest, Buffer.from(json));
  } catch (cause) {
    for (const key of written) await storage.delete(key).catch(() => undefined);
    throw new MediaError(422, 'file: 保存图片失败', { cause });
  }
}
