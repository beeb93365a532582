import { execFile } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers.ts';
import { ffmpegPath } from '../../server/video/ffmpeg.ts';
import { MEDIA_MAX_BYTES } from '../../server/media/schema.ts';
import { AUDIO_MAX_BYTES } from '../../server/media/audio-schema.ts';

// storeImage / storeAudio take the spooled upload by path and never read it into memory (sharp and
// ffmpeg read the file, the hash streams it): each store runs in a fresh process whose peak RSS is
// compared with the same store given the bytes in memory, the way the routes used to call it
// (`upload.read()`: the file read whole, then copied).
const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const MB = 1024 * 1024;
const work = tempDir('lianxin-store-memory-');

interface Measured {
  growth: number;
  created: boolean;
}

async function measure(kind: 'image' | 'audio', mode: 'file' | 'data', file: string, warm = ''): Promise<Measured> {
  const dataDir = tempDir('lianxin-store-memory-data-');
  try {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'store-memory-child.ts'), kind, mode, file, dataDir.dir, warm], { cwd: ROOT, timeout: 180_000 });
    return JSON.parse(stdout) as Measured;
  } finally {
    dataDir.cleanup();
  }
}

let png = '';
let wav = '';
let warmWav = '';
beforeAll(async () => {
  // noise does not compress: a PNG near the 10 MB cap; 16-bit stereo noise: a WAV near the 20 MB cap
  const side = 1780;
  const noise = Buffer.alloc(side * side * 3);
  for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((Math.imul(i, 2654435761) ^ (i >>> 7)) >>> 0, i);
  png = join(work.dir, 'noise.png');
  writeFileSync(png, await sharp(noise, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer());
  wav = join(work.dir, 'noise.wav');
  warmWav = join(work.dir, 'warm.wav');
  await run(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=duration=115:sample_rate=44100:amplitude=0.3', '-ac', '2', '-c:a', 'pcm_s16le', wav]);
  await run(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=1', warmWav]);
}, 180_000);
afterAll(() => work.cleanup());

describe('stores read a spooled upload from disk, not into memory', () => {
  test('a near-10 MB image: from the path, peak RSS stays well below the same store from bytes', async () => {
    const size = statSync(png).size;
    expect(size).toBeGreaterThan(8 * MB);
    expect(size).toBeLessThanOrEqual(MEDIA_MAX_BYTES);
    const fromFile = await measure('image', 'file', png);
    const fromBytes = await measure('image', 'data', png);
    console.log(`image ${(size / MB).toFixed(1)} MB: peak RSS +${(fromFile.growth / MB).toFixed(1)} MB from the path, +${(fromBytes.growth / MB).toFixed(1)} MB from bytes`);
    expect(fromFile.created).toBe(true);
    // decoding dominates either way (libvips: ≈ 75 MB here); the bytes cost comes on top of it. The routes
    // read the spooled file as the bytes-case does here (a copy), and the old store copied it once more.
    expect(fromBytes.growth - fromFile.growth).toBeGreaterThan(size / 2);
    expect(fromFile.growth).toBeLessThan(256 * MB);
  }, 300_000);

  test('a near-20 MB WAV: peak RSS rises by well under its size from the path, by more than it from bytes', async () => {
    const size = statSync(wav).size;
    expect(size).toBeGreaterThan(16 * MB);
    expect(size).toBeLessThanOrEqual(AUDIO_MAX_BYTES);
    const fromFile = await measure('audio', 'file', wav, warmWav);
    const fromBytes = await measure('audio', 'data', wav, warmWav);
    console.log(`audio ${(size / MB).toFixed(1)} MB: peak RSS +${(fromFile.growth / MB).toFixed(1)} MB from the path, +${(fromBytes.growth / MB).toFixed(1)} MB from bytes`);
    expect(fromFile.created).toBe(true);
    expect(fromFile.growth).toBeLessThan(size / 4);
    expect(fromBytes.growth).toBeGreaterThan(size / 2);
  }, 300_000);
});
