import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { probe } from '../../server/video/ffmpeg.ts';
import { layoutCaption } from '../../server/video/layout.ts';
import { renderVideo } from '../../server/video/render.ts';
import type { Render } from '../../server/video/schema.ts';
import { parseStoryboard } from '../../server/video/validate.ts';
import { decodeErrors, grabFrame, makeDataDir, meanVolume, regionDiff } from './fixtures.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await makeDataDir();
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const cards = { titleCard: { title: '校车安全', seconds: 1 }, endCard: { orgName: '亭湖区团委', date: '2025年6月', seconds: 1 } };
const fps = (rate = '0/1') => {
  const [n, d] = rate.split('/').map(Number);
  return n! / d!;
};

describe('renderVideo (9:16, fades, zoom, music ducked under a voice-over)', () => {
  let render: Render;
  const board = parseStoryboard({
    ...cards,
    transition: 'fade',
    scenes: [
      { text: '早上七点发车，请提前十分钟到站。', image: 'media/in/photo-0.jpg', seconds: 1.5, voiceover: 'media/in/voice.m4a' },
      { text: '遇恶劣天气，以学校短信通知为准！', image: 'media/in/photo-1.jpg', seconds: 1.5 },
    ],
    music: { file: 'media/in/music.m4a', volume: 0.5 },
  });
  beforeAll(async () => {
    render = await renderVideo({ storyboard: board, dataDir });
  });

  test('writes a 1080×1920 H.264 High yuv420p 30 fps MP4 with AAC audio, exactly as long as the storyboard', async () => {
    const info = await probe(join(dataDir, render.file));
    const video = info.streams.find((s) => s.codec_type === 'video');
    const audio = info.streams.find((s) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', profile: 'High', pix_fmt: 'yuv420p', width: 1080, height: 1920 });
    expect(fps(video?.r_frame_rate)).toBe(30);
    expect(audio?.codec_name).toBe('aac');
    expect(Math.abs(Number(info.format.duration) - 5)).toBeLessThanOrEqual(1 / 30);
    expect(Math.abs(Number(video?.duration) - 5)).toBeLessThanOrEqual(1 / 30);
    expect(render).toMatchObject({ duration: 5, width: 1080, height: 1920 });
  });

  test('decodes from start to end without a single error', async () => {
    expect(await decodeErrors(join(dataDir, render.file))).toBe('');
  });

  test('stores the video and the poster by content hash under media/', async () => {
    expect(render.file).toMatch(/^media\/[0-9a-f]{2}\/[0-9a-f]{64}\.mp4$/);
    const bytes = readFileSync(join(dataDir, render.file));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(render.sha256);
    expect(render.file).toContain(render.sha256);
    const poster = await sharp(join(dataDir, render.poster)).metadata();
    expect(poster).toMatchObject({ format: 'jpeg', width: 1080, height: 1920 });
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // +faststart: the moov atom comes before mdat.
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
  });

  test('has audible audio: the voice-over and the music', async () => {
    expect(await meanVolume(join(dataDir, render.file))).toBeGreaterThan(-40);
  });

  test('leaves no temp files behind', async () => {
    expect(await readdir(join(dataDir, 'media', '.tmp'))).toEqual([]);
  });
});

describe('captions (16:9, cuts, no motion)', () => {
  const scene = { image: 'media/in/photo-1.jpg', seconds: 1 };
  const make = (text: string) => parseStoryboard({ ...cards, format: '16:9', transition: 'cut', motion: 'none', scenes: [{ ...scene, text }] });
  const text = '如遇暴雨、冰雹等恶劣天气，以学校短信通知为准。';

  test('a frame mid-scene shows the caption box where the layout put it, and nothing else changes', async () => {
    const [withCaption, without] = await Promise.all([renderVideo({ storyboard: make(text), dataDir }), renderVideo({ storyboard: make(''), dataDir })]);
    const mid = 1.5; // title card 0–1 s, the scene 1–2 s
    const a = await grabFrame(join(dataDir, withCaption.file), mid);
    const b = await grabFrame(join(dataDir, without.file), mid);
    expect([a.width, a.height]).toEqual([1920, 1080]);
    const box = layoutCaption(text, '16:9', 'scenes.0.text')!;
    const inside = regionDiff(a.data, b.data, a.width, { x: box.x, y: box.y, w: box.boxWidth, h: box.boxHeight });
    const above = regionDiff(a.data, b.data, a.width, { x: 0, y: 0, w: 1920, h: box.y - 20 });
    expect(inside).toBeGreaterThan(30);
    expect(above).toBeLessThan(3);
    // The silent track is there and silent.
    const info = await probe(join(dataDir, without.file));
    expect(info.streams.some((s) => s.codec_type === 'audio')).toBe(true);
    expect(await meanVolume(join(dataDir, without.file))).toBeLessThan(-80);
  });
});
