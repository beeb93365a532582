import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSharp } from '../media/sharp.ts';
import { MediaError, ValidationError } from '../errors.ts';
import { probe } from './ffmpeg.ts';
import type { Storyboard } from './schema.ts';
import { keyOf, mediaStorage } from '../media/storage.ts';

/** The file behind a `media/…` path (a record's media path) in the media storage; refuses anything else. */
export function resolveMediaPath(dataDir: string, path: string, field: string): string {
  const key = keyOf(path);
  const file = key && mediaStorage(dataDir).localPath(key);
  if (!file) throw ValidationError.field(field, '路径必须是媒体库内的文件（media/…）');
  return file;
}

async function mustExist(file: string, field: string, what: string): Promise<void> {
  try {
    await access(file);
  } catch (cause) {
    throw new ValidationError([{ path: field, message: `找不到${what}文件` }], { cause });
  }
}

/** Decodes the whole image (not just the header) so a truncated file fails here, not inside ffmpeg. */
export async function checkImage(file: string, field: string): Promise<void> {
  const sharp = await loadSharp();
  await mustExist(file, field, '图片');
  try {
    const meta = await sharp(file).metadata();
    if (!meta.width || !meta.height) throw new Error('no dimensions');
    await sharp(file, { failOn: 'error' }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch (cause) {
    throw new MediaError(422, `${field}: 图片已损坏或不是图片`, { cause, issues: [{ path: field, message: '图片已损坏或不是图片' }] });
  }
}

/** ffprobe must find an audio stream with a length; anything else is not audio. */
export async function checkAudio(file: string, field: string): Promise<number> {
  await mustExist(file, field, '音频');
  let duration = 0;
  try {
    const info = await probe(file);
    const stream = info.streams.find((s) => s.codec_type === 'audio');
    duration = Number(stream?.duration ?? info.format.duration ?? 0);
    if (!stream || !(duration > 0)) throw new Error('no audio stream');
  } catch (cause) {
    throw new MediaError(422, `${field}: 不是可用的音频文件`, { cause, issues: [{ path: field, message: '不是可用的音频文件' }] });
  }
  return duration;
}

export interface CheckedMedia {
  images: (string | undefined)[];
  voiceovers: (string | undefined)[];
  music?: string;
}

/** Checks every referenced file before ffmpeg starts; errors name the field (`scenes.2.image`). */
export async function checkMedia(board: Storyboard, dataDir: string): Promise<CheckedMedia> {
  const images: (string | undefined)[] = [];
  const voiceovers: (string | undefined)[] = [];
  for (const [i, scene] of board.scenes.entries()) {
    let image: string | undefined;
    if (scene.image) {
      image = resolveMediaPath(dataDir, scene.image, `scenes.${i}.image`);
      await checkImage(image, `scenes.${i}.image`);
    }
    images.push(image);
    let voice: string | undefined;
    if (scene.voiceover) {
      voice = resolveMediaPath(dataDir, scene.voiceover, `scenes.${i}.voiceover`);
      await checkAudio(voice, `scenes.${i}.voiceover`);
    }
    voiceovers.push(voice);
  }
  let music: string | undefined;
  if (board.music) {
    music = resolveMediaPath(dataDir, board.music.file, 'music.file');
    await checkAudio(music, 'music.file');
  }
  return music ? { images, voiceovers, music } : { images, voiceovers };
}

/** Scales an image once to the still the graph consumes (cover crop, EXIF-rotated, JPEG). */
export async function prepareStill(source: string, width: number, height: number, out: string): Promise<void> {
  const sharp = await loadSharp();
  await sharp(source).rotate().resize(width, height, { fit: 'cover', position: sharp.strategy.attention }).flatten({ background: '#000' }).jpeg({ quality: 92 }).toFile(out);
}

export const stillName = (dir: string, i: number) => join(dir, `still-${i}.jpg`);
