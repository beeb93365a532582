import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sharp } from 'sharp';
import { loadSharp } from './sharp.ts';
import { MediaError, PayloadTooLargeError } from '../errors.ts';
import { MEDIA_MAX_BYTES, MEDIA_WIDTHS, MediaImageSchema, type ImageFormat, type MediaImage } from './schema.ts';
import { sniffImageFormat } from './sniff.ts';

const EXT: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'webp', gif: 'gif' };
const LABEL = 'JPEG、PNG、WebP、AVIF 或 GIF';

export const mediaDir = (dataDir: string, sha: string) => join(dataDir, 'media', sha.slice(0, 2));

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
  const sharp = await loadSharp();
  const { format, sha256 } = acceptUpload({ data, fileName, maxBytes: MEDIA_MAX_BYTES, noun: '图片', formats: LABEL, sniff: sniffImageFormat });
  const dir = mediaDir(dataDir, sha256);
  const manifest = join(dir, `${sha256}.json`);
  if (existsSync(manifest)) return { image: MediaImageSchema.parse(JSON.parse(readFileSync(manifest, 'utf8'))), created: false };

  const input = Buffer.from(data);
  const files = new Map<string, Buffer>();
  let width: number;
  let height: number;
  try {
    // rotate() applies the EXIF orientation; sharp writes no EXIF/GPS/XMP unless asked to.
    const base = () => sharp(input, { animated: format === 'gif', failOn: 'error' }).rotate();
    const full = await encode(base(), format).toBuffer({ resolveWithObject: true });
    width = full.info.width;
    height = full.info.pageHeight ?? full.info.height;
    files.set(`${sha256}.${EXT[format]}`, full.data);
    const widths = [...new Set(MEDIA_WIDTHS.map((w) => Math.min(w, width)))];
    for (const w of widths) {
      const still = () => sharp(input, { failOn: 'error' }).rotate().resize({ width: w, withoutEnlargement: true });
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
      height: Math.round((height * w) / width),
      webp: `/media/${sha256.slice(0, 2)}/${sha256}-w${w}.webp`,
      jpeg: `/media/${sha256.slice(0, 2)}/${sha256}-w${w}.jpg`,
    })),
    createdAt: now.toISOString(),
  };
  writeAll(dir, files, manifest, JSON.stringify(image, null, 2));
  return { image, created: true };
}

function encode(pipeline: Sharp, format: ImageFormat): Sharp {
  if (format === 'jpeg') return pipeline.jpeg({ quality: 88, mozjpeg: true });
  if (format === 'png') return pipeline.png();
  if (format === 'gif') return pipeline.gif();
  return pipeline.webp({ quality: 85 });
}

/** Writes the files through temp names, the manifest last: a reader sees all of it or none. */
function writeAll(dir: string, files: Map<string, Buffer>, manifest: string, json: string): void {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  try {
    for (const [name, buf] of files) {
      const tmp = join(dir, `.${name}.${process.pid}.tmp`);
      writeFileSync(tmp, buf);
      renameSync(tmp, join(dir, name));
      written.push(join(dir, name));
    }
    writeFileSync(`${manifest}.tmp`, json);
    renameSync(`${manifest}.tmp`, manifest);
  } catch (cause) {
    for (const f of written) rmSync(f, { force: true });
    throw new MediaError(422, 'file: 保存图片失败', { cause });
  }
}
