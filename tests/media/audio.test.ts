import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, doc, loginAs, type Client, type TestEnv } from '../helpers.ts';
import { ffmpegPath, probe } from '../../server/video/ffmpeg.ts';
import { sniffAudioFormat } from '../../server/media/audio-sniff.ts';
import { AUDIO_MAX_BYTES } from '../../server/media/audio-schema.ts';

const run = promisify(execFile);

let env: TestEnv;
let editor: Client;
let work: string;
const tones: Record<string, Buffer> = {};

/** A sine tone encoded by the npm ffmpeg into the container the file name says. */
async function tone(name: string, freq: number, seconds: number, codec: string[] = []): Promise<Buffer> {
  const out = join(work, name);
  await run(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${freq}:duration=${seconds}:sample_rate=44100`, ...codec, out]);
  return readFileSync(out);
}

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  editor = await loginAs(env.app, 'chen.editor');
  work = await mkdtemp(join(tmpdir(), 'lianxin-audio-test-'));
  [tones.mp3, tones.wav, tones.ogg, tones.music] = await Promise.all([tone('voice.mp3', 440, 2), tone('voice.wav', 330, 2), tone('voice.ogg', 550, 1.5, ['-c:a', 'libopus']), tone('music.mp3', 220, 3)]);
}, 120_000);
afterAll(() => env?.close());

const upload = (data: Uint8Array, name: string, client: Client | null = editor) => {
  const form = new FormData();
  form.append('file', new File([data as Uint8Array<ArrayBuffer>], name));
  return env.app.request('/api/media/audio', { method: 'POST', headers: client ? { cookie: client.cookie, 'x-csrf-token': client.csrf } : {}, body: form });
};
const audioFiles = () => (existsSync(join(env.dir, 'media')) ? (readdirSync(join(env.dir, 'media'), { recursive: true }) as string[]).filter((f) => /\.(m4a|audio\.json|tmp)$/.test(f)) : []);

interface Stored {
  src: string;
  path: string;
  duration: number;
  codec: string;
  source: { format: string; codec: string };
}

describe('POST /api/media/audio', () => {
  test('stores an MP3 once by content hash as AAC .m4a with its duration; the second upload answers 200 with the same path', async () => {
    const first = await upload(tones.mp3!, 'voice.mp3');
    expect(first.status).toBe(201);
    const stored = (await first.json()) as Stored;
    expect(stored.path).toMatch(/^media\/([0-9a-f]{2})\/\1[0-9a-f]{62}\.m4a$/);
    expect(stored.src).toBe(`/${stored.path}`);
    expect(stored).toMatchObject({ codec: 'aac', source: { format: 'mp3', codec: 'mp3' } });
    expect(Math.abs(stored.duration - 2)).toBeLessThan(0.1);
    const info = await probe(join(env.dir, stored.path));
    expect(info.streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name)).toEqual(['aac']);
    expect(info.streams.some((s) => s.codec_type === 'video')).toBe(false);

    const before = audioFiles().length;
    const again = await upload(tones.mp3!, 'same-tone-renamed.mp3');
    expect(again.status).toBe(200);
    expect(((await again.json()) as Stored).path).toBe(stored.path);
    expect(audioFiles().length).toBe(before);
    // served with an audio type for the editor's <audio> preview
    const served = await env.app.request(stored.src);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('audio/mp4');
  });

  test('takes WAV and OGG/Opus too, told apart by their bytes whatever the name', async () => {
    const wav = await upload(tones.wav!, 'recording.mp3');
    expect(wav.status).toBe(201);
    expect(await wav.json()).toMatchObject({ codec: 'aac', source: { format: 'wav', codec: 'pcm_s16le' } });
    const ogg = await upload(tones.ogg!, 'memo');
    expect(ogg.status).toBe(201);
    const body = (await ogg.json()) as Stored;
    expect(body.source).toMatchObject({ format: 'ogg', codec: 'opus' });
    expect(Math.abs(body.duration - 1.5)).toBeLessThan(0.1);
  });

  test('a PNG named .mp3 is refused with 415 naming the file field, and nothing is stored', async () => {
    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#336699' } }).png().toBuffer();
    expect(sniffAudioFormat(png)).toBeUndefined();
    const before = audioFiles();
    const res = await upload(png, 'song.mp3');
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^file: “song\.mp3”不是受支持的音频/);
    expect(audioFiles()).toEqual(before);
  });

  test('an MP3 header over garbage, and an MP3 cut short, are refused with 422 and nothing is stored', async () => {
    const before = audioFiles();
    const garbage = Buffer.concat([tones.mp3!.subarray(0, 10), Buffer.from(Array.from({ length: 30_000 }, (_, i) => (i * 7919) % 251))]);
    expect(sniffAudioFormat(garbage)).toBe('mp3');
    const bad = await upload(garbage, 'broken.mp3');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^file: “broken\.mp3”看起来是 MP3，但/);
    const cut = await upload(tones.mp3!.subarray(0, 600), 'cut.mp3');
    expect(cut.status).toBe(422);
    expect(((await cut.json()) as { error: { message: string } }).error.message).toMatch(/^file: .*不完整或已损坏|^file: .*损坏/);
    expect(audioFiles()).toEqual(before);
  });

  test('over 20 MB gets 413; no file, no login or an empty file get clear 4xx answers', async () => {
    const big = new Uint8Array(AUDIO_MAX_BYTES + 1024);
    big.set(tones.wav!.subarray(0, 44));
    const res = await upload(big, 'huge.wav');
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^file: 音频超过 20 MB/);
    expect((await upload(tones.mp3!, 'voice.mp3', null)).status).toBe(401);
    expect((await upload(new Uint8Array(0), 'empty.mp3')).status).toBe(422);
    const form = new FormData();
    form.append('other', 'x');
    const none = await env.app.request('/api/media/audio', { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf }, body: form });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/^file: /);
  });
});

describe('a video rendered with an uploaded voice-over and music', () => {
  test('has an AAC audio stream and the storyboard length (2 scenes × 1–2 s, cut)', async () => {
    const voice = (await (await upload(tones.wav!, 'voice.wav')).json()) as Stored;
    const music = (await (await upload(tones.music!, 'music.mp3')).json()) as Stored;
    const storyboard = {
      titleCard: { title: '配音测试', seconds: 1 },
      endCard: { orgName: '亭湖区团委', date: '2025年6月', seconds: 1 },
      scenes: [
        { text: '第一句配音', seconds: 2, voiceover: voice.path },
        { text: '第二句没有配音', seconds: 1.5 },
      ],
      music: { file: music.path, volume: 0.4 },
      transition: 'cut',
      motion: 'none',
    };
    const created = await editor.request('POST', '/api/items', { kind: 'video', title: '配音测试视频', body: doc('说明'), storyboard });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const started = await editor.request('POST', `/api/items/${id}/render`);
    expect(started.status).toBe(202);
    let job = (await started.json()) as { id: string; status: string; result?: { file: string; duration: number }; error?: unknown };
    while (job.status === 'queued' || job.status === 'running') {
      await new Promise((r) => setTimeout(r, 150));
      job = (await (await editor.request('GET', `/api/jobs/${job.id}`)).json()) as typeof job;
    }
    expect(job.error).toBeUndefined();
    expect(job.status).toBe('succeeded');
    const info = await probe(join(env.dir, job.result!.file));
    const audio = info.streams.find((s) => s.codec_type === 'audio');
    expect(audio?.codec_name).toBe('aac');
    const video = info.streams.find((s) => s.codec_type === 'video');
    // video and container within one frame; the AAC track's reported length includes encoder priming and padding (measured 5.582 s)
    expect(Math.abs(Number(video?.duration) - 5.5)).toBeLessThanOrEqual(1 / 30);
    expect(Math.abs(Number(info.format.duration) - 5.5)).toBeLessThanOrEqual(1 / 30);
    expect(Math.abs(Number(audio?.duration) - 5.5)).toBeLessThanOrEqual(0.1);
    expect(job.result!.duration).toBe(5.5);
  }, 120_000);
});
