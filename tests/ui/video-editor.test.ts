import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, type TestEnv } from '../helpers.ts';
import { itemsOf } from '../../server/content/service.ts';
import type { Item } from '../../server/content/schema.ts';

type VideoItem = Extract<Item, { kind: 'video' }>;

let env: TestEnv;
let demo: VideoItem;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  // the school-bus video (the demo also has the 大丰人好呢 series, whose videos belong to 大丰区)
  demo = (await itemsOf(env.deps).list((i) => i.kind === 'video' && i.title === '校车安全，我们这样做'))[0] as VideoItem;
}, 120_000);
afterAll(async () => {
  await env?.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const page = async (path: string, cookie: string) => {
  const res = await env.app.request(path, { headers: { cookie } });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
};

describe('the video editor pages', () => {
  test('the item list offers a new video, and the new-video page renders the storyboard form', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    expect((await page('/workbench/items', chen.cookie)).html).toContain('href="/workbench/items/new?kind=video"');
    const { status, html } = await page('/workbench/items/new?kind=video', chen.cookie);
    expect(status).toBe(200);
    expect(html).toContain('<h1>新建微视频</h1>');
    expect(html).toContain('action="/workbench/items/new?kind=video"');
    for (const name of ['title', 'format', 'transition', 'sceneText', 'sceneSeconds', 'endCardOrgName', 'endCardDate']) expect(html).toContain(`name="${name}"`);
    expect(html).toContain('竖屏 9:16');
    expect(html).toContain('横屏 16:9');
    // the end card defaults to the editor's org
    expect(html).toMatch(/name="endCardOrgName" value="亭湖区[^"]*"/);
  });

  test('posting the new-video form creates a video draft with a storyboard and opens its storyboard editor', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const res = await env.app.request('/workbench/items/new?kind=video', {
      method: 'POST',
      headers: { cookie: chen.cookie },
      body: form({ _csrf: chen.csrf, kind: 'video', title: '表单创建的微视频', format: '16:9', transition: 'cut', sceneText: '第一句字幕', sceneSeconds: '2', endCardOrgName: '亭湖区团委', endCardDate: '2025年12月' }),
    });
    expect(res.status).toBe(303);
    const id = /items\/(it_[0-9a-f]+)\/edit/.exec(res.headers.get('location') ?? '')?.[1];
    expect(id).toBeDefined();
    const item = (await itemsOf(env.deps).get(id!)) as VideoItem;
    expect(item.kind).toBe('video');
    expect(item.storyboard).toMatchObject({ format: '16:9', transition: 'cut', titleCard: { title: '表单创建的微视频' }, scenes: [{ text: '第一句字幕', seconds: 2 }], endCard: { orgName: '亭湖区团委', date: '2025年12月' } });

    const { html } = await page(`/workbench/items/${id}/edit`, chen.cookie);
    expect(html).toContain('data-storyboard');
    expect(html).toMatch(/<option value="16:9" selected/);
    expect(html).toMatch(/<option value="cut" selected/);
    expect(html).toContain('第一句字幕');
    // every scene field has a slot for the server's error on it
    expect(html).toContain('data-error-for="scenes.0.seconds"');
    expect(html).toContain('data-error-for="scenes.0.text"');
    expect(html).toContain('data-scene-add');
    expect(html).toContain('生成视频');
    expect(html).toContain('还没有成片');
    expect(html).not.toContain('<video');
    // 2 + 2 + 3 seconds against the limit
    expect(html).toMatch(/data-total-seconds="true">7\.0<\/strong> \/ 180 秒/);
  });

  test('a storyboard that cannot be saved gets the field-named 400 the editor places next to the field', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const draft = (await itemsOf(env.deps).list((i) => i.kind === 'video' && i.status === 'draft'))[0] as VideoItem;
    const res = await chen.request('PATCH', `/api/items/${draft.id}`, { version: draft.version, storyboard: { ...draft.storyboard, scenes: [{ text: '太短', seconds: 0.5 }] } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { issues: { path: string }[] } };
    expect(body.error.issues.map((i) => i.path)).toContain('storyboard.scenes.0.seconds');
  });

  test('the editor page of the demo video shows its scenes and its render', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const { status, html } = await page(`/workbench/items/${demo.id}/edit`, chen.cookie);
    expect(status).toBe(200);
    for (const scene of demo.storyboard.scenes) expect(html).toContain(scene.text);
    expect(html).toContain(`src="/${demo.render!.file}"`);
    expect(html).toContain(`poster="/${demo.render!.poster}"`);
    expect(html).toContain('时长 16.0 秒');
    expect(html).toMatch(/1080×1920 · \d+(\.\d)? (KB|MB)/);
    // published: the storyboard is shown read-only, no render button, and the render is current
    expect(html).not.toContain('data-render-start');
    expect(html).toMatch(/data-render-stale="true" role="status" hidden=""/);
  });

  test('a render made from an older storyboard is flagged stale in the editor and on the review page', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const draft = (await itemsOf(env.deps).list((i) => i.kind === 'video' && i.status === 'draft'))[0] as VideoItem;
    await itemsOf(env.deps).update(draft.id, undefined, (current) => ({ ...current, render: { ...demo.render!, storyboardSha: '0'.repeat(64) } }) as Item);
    const editor = await page(`/workbench/items/${draft.id}/edit`, chen.cookie);
    expect(editor.html).toMatch(/data-render-stale="true" role="status">/);
    expect(editor.html).toContain('成片已过期');
    const review = await page(`/workbench/review/${draft.id}`, chen.cookie);
    expect(review.html).toContain('成片与当前分镜不一致');
  });

  test('the review page of a video shows the rendered video and the storyboard', async () => {
    const zhao = await loginAs(env.app, 'zhao.reviewer');
    const { status, html } = await page(`/workbench/review/${demo.id}`, zhao.cookie);
    expect(status).toBe(200);
    expect(html).toMatch(new RegExp(`<video controls="" preload="metadata" src="/${demo.render!.file}" poster="/${demo.render!.poster}" width="1080" height="1920"`));
    expect(html).toContain('分镜（竖屏 9:16，淡入淡出，共 16.0 秒）');
    expect(html).toContain(demo.storyboard.scenes[0]!.text);
    expect(html).not.toContain('成片与当前分镜不一致');
    // the video file itself is served
    const video = await env.app.request(`/${demo.render!.file}`);
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toContain('video/mp4');
  });
  test('the storyboard editor offers voice-over upload per scene and a background-music section with a volume slider', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const draft = (await itemsOf(env.deps).list((i) => i.kind === 'video' && i.status === 'draft'))[0] as VideoItem;
    const bare = await page(`/workbench/items/${draft.id}/edit`, chen.cookie);
    expect(bare.html).not.toContain('暂不支持上传配音');
    expect(bare.html).toContain('上传配音');
    expect(bare.html).toContain('data-error-for="scenes.0.voiceover"');
    expect(bare.html).toContain('<legend>背景音乐</legend>');
    expect(bare.html).toContain('上传背景音乐');
    expect(bare.html).toMatch(/<input id="sb-music-volume" name="musicVolume" type="range" min="0" max="100" step="5" value="60"/);
    // the scene template carries the voice-over controls for scenes added in the page
    expect(bare.html).toMatch(/<template id="scene-template">[\s\S]*data-audio-upload[\s\S]*<\/template>/);

    const voice = 'media/ab/voice-test.m4a';
    const music = 'media/cd/music-test.m4a';
    await itemsOf(env.deps).update(draft.id, undefined, (current) => ({ ...current, storyboard: { ...(current as VideoItem).storyboard, scenes: (current as VideoItem).storyboard.scenes.map((sc, i) => (i === 0 ? { ...sc, voiceover: voice } : sc)), music: { file: music, volume: 0.35 } } }) as Item);
    const { html } = await page(`/workbench/items/${draft.id}/edit`, chen.cookie);
    expect(html).toContain(`name="sceneVoiceover" value="${voice}"`);
    expect(html).toMatch(new RegExp(`<audio controls="" preload="metadata" src="/${voice}" aria-label="镜头 1 的配音"`));
    expect(html).toContain('去掉配音');
    expect(html).toContain(`name="musicFile" value="${music}"`);
    expect(html).toMatch(new RegExp(`<audio controls="" preload="metadata" src="/${music}" aria-label="背景音乐"`));
    expect(html).toMatch(/name="musicVolume" type="range"[^>]* value="35"/);
    expect(html).toContain('去掉背景音乐');
    // the client bundle uploads to the audio endpoint
    const scripts = [...html.matchAll(/<script[^>]+src="(\/workbench\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    const bundles = await Promise.all(scripts.map(async (src) => (await env.app.request(src, { headers: { cookie: chen.cookie } })).text()));
    expect(bundles.some((js) => js.includes('/api/media/audio'))).toBe(true);
  });
});
