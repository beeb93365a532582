/** Audio containers we take, told apart by their magic numbers (never by the file name). */
export const AUDIO_FORMATS = ['mp3', 'aac', 'm4a', 'wav', 'ogg'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

const ascii = (buf: Uint8Array, at: number, len: number) => String.fromCharCode(...buf.subarray(at, at + len));

/** ISO-BMFF brands of audio-only MP4 files (and the generic ones phones write for voice memos). */
const M4A_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'mp41', 'mp42', 'isom', 'iso2', 'dash', '3gp4', '3gp5', '3gp6', '3g2a', 'qt  ']);

/** The audio format the bytes really are, or undefined (images, video, text, anything else). */
export function sniffAudioFormat(buf: Uint8Array): AudioFormat | undefined {
  if (buf.length < 12) return undefined;
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 4) === 'WAVE') return 'wav';
  if (ascii(buf, 0, 4) === 'OggS') return 'ogg';
  if (ascii(buf, 0, 3) === 'ID3') return 'mp3';
  if (ascii(buf, 4, 4) === 'ftyp') {
    const size = Math.min(buf.length, ((buf[0]! << 24) | (buf[1]! << 16) | (buf[2]! << 8) | buf[3]!) >>> 0);
    for (let at = 8; at + 4 <= size; at += 4) {
      if (at === 12) continue; // minor version
      if (M4A_BRANDS.has(ascii(buf, at, 4))) return 'm4a';
    }
    return undefined;
  }
  // MPEG audio frame sync: 11 set bits; layer bits 00 means an ADTS (AAC) header instead.
  if (buf[0] === 0xff && (buf[1]! & 0xe0) === 0xe0) {
    const layer = (buf[1]! >> 1) & 3;
    if (layer !== 0) return 'mp3';
    if ((buf[1]! & 0xf6) === 0xf0) return 'aac';
  }
  return undefined;
}
