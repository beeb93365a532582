import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { ffmpegPath } from '../../server/video/ffmpeg.ts';

const run = promisify(execFile);

/** A temp data dir with media/in/: two photo-like stills, a tone voice-over, music, and broken files. */
export async function makeDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lianxin-video-'));
  const media = join(dir, 'media', 'in');
  await mkdir(media, { recursive: true });
  for (const [i, hue] of [20, 200].entries()) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900"><rect width="100%" height="100%" fill="hsl(${hue},60%,45%)"/><circle cx="600" cy="300" r="220" fill="hsl(${hue + 120},70%,60%)"/></svg>`;
    await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(join(media, `photo-${i}.jpg`));
  }
  const full = await sharp(join(media, 'photo-0.jpg')).toBuffer();
  await writeFile(join(media, 'truncated.jpg'), full.subarray(0, Math.floor(full.length / 3)));
  await writeFile(join(media, 'not-audio.mp3'), 'this is plain text, not audio\n'.repeat(50));
  const tone = (freq: number, seconds: number, out: string) =>
    run(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${freq}:duration=${seconds}:sample_rate=44100`, '-c:a', 'aac', '-b:a', '96k', join(media, out)]);
  await Promise.all([tone(440, 1.2, 'voice.m4a'), tone(220, 2, 'music.m4a')]);
  return dir;
}

/** Mean volume in dB of a time range of a file's audio (ffmpeg volumedetect). */
export async function meanVolume(file: string, start = 0, duration = 1000): Promise<number> {
  const { stderr } = await run(ffmpegPath(), ['-hide_banner', '-ss', String(start), '-t', String(duration), '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-']);
  const m = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  return m && m[1] !== '-inf' ? Number(m[1]) : -Infinity;
}

/** Decodes the whole file; resolves with ffmpeg's error output (empty when clean). */
export async function decodeErrors(file: string): Promise<string> {
  const { stderr } = await run(ffmpegPath(), ['-v', 'error', '-i', file, '-f', 'null', '-'], { maxBuffer: 16 << 20 });
  return stderr.trim();
}

/** One frame at `time` as raw RGB pixels. */
export async function grabFrame(file: string, time: number): Promise<{ data: Buffer; width: number; height: number }> {
  const { stdout } = await run(ffmpegPath(), ['-v', 'error', '-ss', String(time), '-i', file, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  const { data, info } = await sharp(stdout).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean absolute difference per channel inside a rectangle of two same-size RGB frames. */
export function regionDiff(a: Buffer, b: Buffer, width: number, rect: { x: number; y: number; w: number; h: number }): number {
  let sum = 0;
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * width + x) * 3;
      sum += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
    }
  }
  return sum / (rect.w * rect.h * 3);
}
