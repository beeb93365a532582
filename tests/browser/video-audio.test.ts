import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { attrOf, describeBrowser, loginAs, POLL, startHarness, textOf, type Harness } from './harness.ts';
import { itemsOf } from '../../server/content/service.ts';
import type { Item } from '../../server/content/schema.ts';
import { ffmpegPath } from '../../server/video/ffmpeg.ts';

const run = promisify(execFile);
type VideoItem = Extract<Item, { kind: 'video' }>;

describeBrowser('voice-over and music in the video editor', () => {
  let h: Harness;
  let voice: string;
  let music: string;
  beforeAll(async () => {
    h = await startHarness();
    voice = join(h.dataDir, 'voice-2-5s.mp3');
    music = join(h.dataDir, 'music.wav');
    await run(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2.5', voice]);
    await run(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=220:duration=3', music]);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  test('an editor uploads a voice-over longer than its scene, sees the hint, adds music at 30 %, saves, then removes the voice-over', async () => {
    const { context, page } = await loginAs(h, 'chen.editor');
    await page.goto('/workbench/items/new?kind=video');
    await page.getByLabel('标题').fill('浏览器测试：配音和背景音乐');
    await page.getByLabel('第一个镜头的字幕').fill('第一镜：配音测试');
    await page.getByRole('button', { name: '创建并开始编辑' }).click();
    await page.waitForURL(/\/workbench\/items\/it_[0-9a-f]+\/edit$/);
    const draft = { id: /items\/(it_[0-9a-f]+)\/edit/.exec(page.url())![1]! };
    const scene = page.locator('[data-scene]').first();
    await scene.getByLabel('时长（秒）').fill('1');
    await scene.locator('[data-audio-file]').setInputFiles(voice);
    await expect.poll(attrOf(scene.locator('[data-audio-preview]'), 'src'), POLL).toMatch(/^\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.m4a$/);
    await expect.poll(textOf(scene.locator('[data-audio-duration]')), POLL).toMatch(/时长 2\.[45] 秒/);
    await expect.poll(textOf(scene.locator('[data-voice-long]')), POLL).toMatch(/比镜头长 1\.[45] 秒/);
    // the preview plays in Chromium
    await expect.poll(() => scene.locator('[data-audio-preview]').evaluate((a: HTMLAudioElement) => a.duration), { timeout: 10_000 }).toBeGreaterThan(2.4);
    // lengthening the scene clears the hint
    await scene.getByLabel('时长（秒）').fill('3');
    await expect.poll(() => scene.locator('[data-voice-long]').isHidden(), POLL).toBe(true);

    const box = page.locator('[data-music]');
    await box.locator('[data-audio-file]').setInputFiles(music);
    await expect.poll(attrOf(box.locator('[data-audio-preview]'), 'src'), POLL).toMatch(/\.m4a$/);
    await box.getByLabel('音乐音量').fill('30');
    await expect.poll(textOf(box.locator('[data-music-volume-out]')), POLL).toBe('30%');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(page.locator('#save-status')), POLL).toContain('已保存');
    let saved = (await itemsOf(h.deps).get(draft.id)) as VideoItem;
    expect(saved.storyboard.scenes[0]).toMatchObject({ seconds: 3, voiceover: expect.stringMatching(/^media\/[0-9a-f]{2}\/[0-9a-f]{64}\.m4a$/) });
    expect(saved.storyboard.music).toMatchObject({ file: expect.stringMatching(/\.m4a$/), volume: 0.3 });

    // after a reload the saved voice-over shows its length from the file itself
    await page.reload();
    await expect.poll(textOf(page.locator('[data-scene]').first().locator('[data-audio-duration]')), POLL).toMatch(/时长 2\.[45] 秒/);
    await page.getByRole('button', { name: '去掉配音（镜头 1）' }).click();
    await page.getByRole('button', { name: '去掉背景音乐' }).click();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(textOf(page.locator('#save-status')), POLL).toContain('已保存');
    saved = (await itemsOf(h.deps).get(draft.id)) as VideoItem;
    expect(saved.storyboard.scenes[0]!.voiceover).toBeUndefined();
    expect(saved.storyboard.music).toBeUndefined();
    await context.close();
  }, 120_000);
});
