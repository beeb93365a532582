import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createJobQueue } from '../../server/jobs/queue.ts';
import type { Job } from '../../server/jobs/schema.ts';
import { parseTime, runFfmpeg } from '../../server/video/ffmpeg.ts';
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

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('job queue', () => {
  test('runs one job at a time by default, in order, with progress moving forward only', async () => {
    const queue = createJobQueue();
    const order: string[] = [];
    const gate = deferred();
    const a = queue.enqueue({ kind: 'test', run: async (ctx) => { order.push('a start'); ctx.progress(50); ctx.progress(20); await gate.promise; order.push('a end'); return 'A'; } });
    const b = queue.enqueue({ kind: 'test', run: async () => { order.push('b start'); return 'B'; } });
    await new Promise((r) => setTimeout(r, 20));
    expect(queue.get(a.id)).toMatchObject({ status: 'running', progress: 50 });
    expect(queue.get(b.id).status).toBe('queued');
    gate.resolve();
    expect(await queue.wait(b.id)).toMatchObject({ status: 'succeeded', result: 'B', progress: 100 });
    expect(order).toEqual(['a start', 'a end', 'b start']);
    expect(queue.get(a.id)).toMatchObject({ status: 'succeeded', result: 'A' });
  });

  test('runs jobs side by side when concurrency allows', async () => {
    const queue = createJobQueue({ concurrency: 2 });
    const gate = deferred();
    const jobs = [1, 2].map(() => queue.enqueue({ kind: 'test', run: () => gate.promise }));
    await new Promise((r) => setTimeout(r, 20));
    expect(jobs.map((j) => queue.get(j.id).status)).toEqual(['running', 'running']);
    gate.resolve();
    await Promise.all(jobs.map((j) => queue.wait(j.id)));
  });

  test('cancels a queued job without running it, and refuses to cancel a finished one', async () => {
    const queue = createJobQueue();
    const gate = deferred();
    let ran = false;
    const first = queue.enqueue({ kind: 'test', run: () => gate.promise });
    const second = queue.enqueue({ kind: 'test', run: async () => { ran = true; } });
    expect(queue.cancel(second.id).status).toBe('cancelled');
    gate.resolve();
    await queue.wait(first.id);
    expect(ran).toBe(false);
    expect(() => queue.cancel(first.id)).toThrow(/无法取消/);
    expect(() => queue.get('job_missing')).toThrow(/不存在/);
  });

  test('a failed ffmpeg run keeps the tail of its stderr on the job', async () => {
    const queue = createJobQueue();
    const job = queue.enqueue({
      kind: 'render',
      run: (ctx) => runFfmpeg({ inputs: [{ file: join(dataDir, 'media/in/photo-0.jpg') }], filter: '[0:v]nosuchfilter=1[v]', outputOptions: ['-map', '[v]'], output: join(dataDir, 'x.mp4'), duration: 1, signal: ctx.signal }),
    });
    const done = await queue.wait(job.id);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('ffmpeg_failed');
    expect(done.error?.tail).toMatch(/No such filter: 'nosuchfilter'/);
  });

  test('parses ffmpeg time= stamps', () => {
    expect(parseTime('frame=  120 fps= 60 q=28.0 size=  512kB time=00:01:02.50 bitrate=')).toBe(62.5);
    expect(parseTime('Stream mapping:')).toBeNull();
  });
});

describe('render jobs', () => {
  test('cancelling a running render kills ffmpeg and leaves no partial file, and a good file stays as it was', async () => {
    const queue = createJobQueue();
    const cards = { titleCard: { title: '校车安全', seconds: 1 }, endCard: { orgName: '亭湖区团委', date: '2025年6月', seconds: 1 } };
    const good = await renderVideo({ storyboard: parseStoryboard({ ...cards, motion: 'none', scenes: [{ text: '先渲染一个好的', seconds: 1 }] }), dataDir });
    const before = await filesUnder(join(dataDir, 'media'));

    const long = parseStoryboard({ ...cards, scenes: [1, 2, 3, 4].map((i) => ({ text: `第${i}个镜头`, image: 'media/in/photo-0.jpg', seconds: 10 })) });
    const seen: Job[] = [];
    let pid = 0;
    const job = queue.enqueue({ kind: 'render', run: (ctx) => renderVideo({ storyboard: long, dataDir, signal: ctx.signal, onProgress: ctx.progress, onSpawn: (p) => (pid = p) }) });
    const running = new Promise<void>((resolve) => queue.watch(job.id, (j) => { seen.push(j); if (j.progress > 0) resolve(); }));
    await running;
    queue.cancel(job.id);
    const done = await queue.wait(job.id);

    expect(done.status).toBe('cancelled');
    expect(seen.some((j) => j.status === 'running')).toBe(true);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow(); // ffmpeg is gone
    expect(await filesUnder(join(dataDir, 'media'))).toEqual(before);
    expect(before).toContain(join(dataDir, good.file));
  });
});
