import type { ImageFormat } from './schema.ts';

const ascii = (buf: Uint8Array, at: number, len: number) => String.fromCharCode(...buf.subarray(at, at + len));

/** The image format the bytes really are (magic numbers), whatever the file is called. */
export function sniffImageFormat(buf: Uint8Array): ImageFormat | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf[0] === 0x89 && ascii(buf, 1, 3) === 'PNG' && buf[4] === 0x0d && buf[5] === 0x0a && buf[6] === 0x1a && buf[7] === 0x0a) return 'png';
  if (buf.length >= 6 && (ascii(buf, 0, 6) === 'GIF87a' || ascii(buf, 0, 6) === 'GIF89a')) return 'gif';
  if (buf.length >= 12 && ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 4) === 'WEBP') return 'webp';
  if (buf.length >= 16 && ascii(buf, 4, 4) === 'ftyp') {
    // ISO-BMFF: the major brand and the compatible brands up to the box size.
    const size = Math.min(buf.length, (buf[0]! << 24) | (buf[1]! << 16) | (buf[2]! << 8) | buf[3]!);
    for (let at = 8; at + 4 <= size; at += 4) {
      if (at === 12) continue; // minor version
      const brand = ascii(buf, at, 4);
      if (brand === 'avif' || brand === 'avis') return 'avif';
    }
  }
  return undefined;
}
