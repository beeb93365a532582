import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { renderVideo } from '../../server/video/render.ts';
import { parseStoryboard } from '../../server/video/validate.ts';
import { makeDataDir } from './fixtures.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await makeDataDir();
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const cards = { titleCard: { title: '校车安全', seconds: 1 }, endCard: { orgName: '亭湖区团委', date: '2025年6月', seconds: 1 } };
const scene = { text: '早上七点发车', image: 'media/in/photo-0.jpg', seconds: 2 };

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('storyboard validation', () => {
  test('refuses a storyboard without scenes', () => {
    const err = caught(() => parseStoryboard({ ...cards, scenes: [] }));
    expect(err.status).toBe(400);
    expect(err.message).toBe('scenes: 至少需要一个镜头');
  });

  test('names the scene whose length is under one second', () => {
    const err = caught(() => parseStoryboard({ ...cards, scenes: [scene, scene, { ...scene, seconds: 0.5 }] }));
    expect(err.message).toBe('scenes.2.seconds: 每个镜头至少 1 秒');
    expect(err.issues[0]?.path).toBe('scenes.2.seconds');
  });

  test('refuses a total over 180 seconds, cards included', () => {
    const err = caught(() => parseStoryboard({ ...cards, scenes: [1, 2, 3].map(() => ({ ...scene, seconds: 59.5 })) }));
    expect(err.message).toMatch(/^scenes: 总时长 180\.5 秒，超过上限 180 秒$/);
    expect(() => parseStoryboard({ ...cards, scenes: [1, 2, 3].map(() => ({ ...scene, seconds: 59 })) })).not.toThrow();
  });

  test('refuses media paths that leave the data dir', () => {
    const err = caught(() => parseStoryboard({ ...cards, scenes: [{ ...scene, image: '../etc/passwd' }] }));
    expect(err.message).toMatch(/^scenes\.0\.image: /);
  });
});

describe('renderVideo refuses bad media before ffmpeg starts', () => {
  const cases: [string, object, number, RegExp][] = [
    ['a missing image', { scenes: [{ ...scene, image: 'media/in/nope.jpg' }] }, 400, /^scenes\.0\.image: 找不到图片文件$/],
    ['a truncated image', { scenes: [scene, { ...scene, image: 'media/in/truncated.jpg' }] }, 422, /^scenes\.1\.image: 图片已损坏或不是图片$/],
    ['music that is not audio', { scenes: [scene], music: { file: 'media/in/not-audio.mp3' } }, 422, /^music\.file: 不是可用的音频文件$/],
    ['an image given as voice-over', { scenes: [{ ...scene, voiceover: 'media/in/photo-1.jpg' }] }, 422, /^scenes\.0\.voiceover: 不是可用的音频文件$/],
    ['a caption too long to fit the safe area', { scenes: [scene, { ...scene, text: '字'.repeat(119) }] }, 400, /^scenes\.1\.text: 文字太长/],
  ];
  test.each(cases)('%s', async (_name, patch, status, message) => {
    const onSpawn = vi.fn();
    const storyboard = parseStoryboard({ ...cards, ...patch });
    const err = (await renderVideo({ storyboard, dataDir, onSpawn }).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.status).toBe(status);
    expect(err.message).toMatch(message);
    expect(onSpawn).not.toHaveBeenCalled();
    const media = await readdir(join(dataDir, 'media'));
    expect(media.filter((d) => d !== 'in' && d !== '.tmp')).toEqual([]);
  });
});
