import { existsSync, readFileSync } from 'node:fs';
import { mkdir, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';
import { probe } from '../../server/video/ffmpeg.ts';
import { makeDataDir } from './fixtures.ts';

let env: TestEnv;
let editor: Client;
let reviewer: Client;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  const fixtures = await makeDataDir();
  await mkdir(join(env.dir, 'media', 'in'), { recursive: true });
  for (const f of ['photo-0.jpg', 'not-audio.mp3']) await copyFile(join(fixtures, 'media', 'in', f), join(env.dir, 'media', 'in', f));
  editor = await loginAs(env.app, 'chen.editor');
  reviewer = await loginAs(env.app, 'zhao.reviewer');
});
afterAll(() => env.close());

const storyboard = (patch: object = {}) => ({
  titleCard: { title: '校车安全', seconds: 1 },
  endCard: { orgName: '亭湖区团委', date: '2025年6月', seconds: 1 },
  scenes: [{ text: '早上七点发车', image: 'media/in/photo-0.jpg', seconds: 1 }],
  transition: 'cut',
  ...patch,
});

async function createVideo(patch: object = {}): Promise<{ id: string }> {
  const res = await editor.request('POST', '/api/items', { kind: 'video', title: `校车安全视频 ${Math.random()}`, body: doc('视频说明'), storyboard: storyboard(patch) });
  expect(res.status).toBe(201);
  return res.json();
}

async function finished(jobId: string) {
  for (;;) {
    const job = await (await editor.request('GET', `/api/jobs/${jobId}`)).json();
    if (!['queued', 'running'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('video items through the API', () => {
  test('refuses approval without a render (409), renders as a job, then review and publish use the render', async () => {
    const item = await createVideo();
    expect((await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' })).status).toBe(200);
    const early = await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' });
    expect(early.status).toBe(409);
    expect((await early.json()).error.message).toMatch(/^render: /);
    expect((await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'draft' })).status).toBe(200);

    const started = await editor.request('POST', `/api/items/${item.id}/render`);
    expect(started.status).toBe(202);
    const job = await started.json();
    expect(job).toMatchObject({ kind: 'render', target: item.id });
    const done = await finished(job.id);
    expect(done).toMatchObject({ status: 'succeeded', progress: 100 });

    const { item: rendered } = await (await editor.request('GET', `/api/items/${item.id}`)).json();
    expect(rendered.render).toMatchObject({ duration: 3, width: 1080, height: 1920, file: done.result.file });
    for (const [to, who] of [['in-review', editor], ['approved', reviewer], ['published', reviewer]] as const) {
      expect((await who.request('POST', `/api/items/${item.id}/transitions`, { to })).status).toBe(200);
    }
    const snapshot = JSON.parse(readFileSync(join(env.dir, 'published', 'items', `${item.id}.json`), 'utf8'));
    expect(snapshot.url).toMatch(/^\/videos\//);
    expect(snapshot.render).toMatchObject({ duration: 3, width: 1080, height: 1920 });
    expect(existsSync(join(env.dir, snapshot.render.file))).toBe(true);
    expect(existsSync(join(env.dir, snapshot.render.poster))).toBe(true);
    const info = await probe(join(env.dir, snapshot.render.file));
    expect(info.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1080, height: 1920 });
  });

  test('a changed storyboard makes the render stale again', async () => {
    const item = await createVideo();
    const done = await finished((await (await editor.request('POST', `/api/items/${item.id}/render`)).json()).id);
    expect(done.status).toBe('succeeded');
    const { item: current } = await (await editor.request('GET', `/api/items/${item.id}`)).json();
    expect((await editor.request('PATCH', `/api/items/${item.id}`, { version: current.version, storyboard: storyboard({ transition: 'fade' }) })).status).toBe(200);
    expect((await editor.request('POST', `/api/items/${item.id}/transitions`, { to: 'in-review' })).status).toBe(200);
    const res = await reviewer.request('POST', `/api/items/${item.id}/transitions`, { to: 'approved' });
    expect(res.status).toBe(409);
  });

  test('bad input: wrong media before any job, a notice, an unknown job, a finished job', async () => {
    const badMusic = await createVideo({ music: { file: 'media/in/not-audio.mp3' } });
    const res = await editor.request('POST', `/api/items/${badMusic.id}/render`);
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toBe('music.file: 不是可用的音频文件');

    const shortScene = await editor.request('POST', '/api/items', { kind: 'video', title: '太短', body: doc('x'), storyboard: storyboard({ scenes: [{ text: 'x', seconds: 0.5 }] }) });
    expect(shortScene.status).toBe(400);
    expect((await shortScene.json()).error.message).toBe('storyboard.scenes.0.seconds: 每个镜头至少 1 秒');

    const notice = await (await editor.request('POST', '/api/items', { kind: 'notice', title: '通知', body: doc('x') })).json();
    expect((await editor.request('POST', `/api/items/${notice.id}/render`)).status).toBe(409);
    expect((await editor.request('GET', '/api/jobs/job_nothere')).status).toBe(404);

    const ok = await createVideo();
    const job = await finished((await (await editor.request('POST', `/api/items/${ok.id}/render`)).json()).id);
    expect((await editor.request('DELETE', `/api/jobs/${job.id}`)).status).toBe(409);
    expect((await reviewer.request('POST', `/api/items/${ok.id}/render`)).status).toBe(403);
  });
});
