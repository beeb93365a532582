import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, linkSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MediaError } from '../errors.ts';
import { ffmpegPath, ffprobePath } from '../video/ffmpeg.ts';
import { AUDIO_BITRATE, AUDIO_MAX_BYTES, AUDIO_MAX_SECONDS, MediaAudioSchema, type MediaAudio } from './audio-schema.ts';
import { sniffAudioFormat } from './audio-sniff.ts';
import { acceptUpload, hashKey, readManifest, type UploadSource } from './service.ts';
import { mediaStorage } from './storage.ts';

const run = promisify(execFile);
const LABEL = 'MP3、AAC/M4A、WAV 或 OGG/Opus';
const TIMEOUT_MS = 120_000;

interface Probed {
  streams: { codec_type?: string; codec_name?: string; duration?: string; disposition?: { attached_pic?: number } }[];
  format: { duration?: string };
}

async function probeFile(file: string): Promise<Probed> {
  const { stdout } = await run(ffprobePath(), ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file], { maxBuffer: 8 << 20, timeout: TIMEOUT_MS });
  const parsed = JSON.parse(stdout) as Partial<Probed>;
  return { streams: parsed.streams ?? [], format: parsed.format ?? {} };
}

/**
 * Stores an uploaded voice-over or music file once by the SHA-256 of its bytes. The container is
 * sniffed from the bytes (415 otherwise), ffprobe must find an audio stream of at most 10 minutes,
 * and the whole file is decoded while it is transcoded to AAC in MP4 (.m4a): a file that decodes to
 * much less than its header claims is corrupt (422). The renderer could mix any of the formats, the
 * transcode gives one format every browser previews, drops tags (ID3 names, cover art) and shrinks WAV.
 * Work happens in a temp dir; the media dir only sees the finished file, then the manifest. A spooled
 * upload (`file`) is hashed as a stream and handed to ffmpeg by path: it is never read into memory.
 */
export async function storeAudio({ dataDir, fileName = 'file', now = new Date(), ...source }: UploadSource & { dataDir: string; fileName?: string; now?: Date }): Promise<{ audio: MediaAudio; created: boolean }> {
  const { format, sha256, size } = await acceptUpload({ source, fileName, maxBytes: AUDIO_MAX_BYTES, noun: '音频', formats: LABEL, sniff: sniffAudioFormat });
  const storage = mediaStorage(dataDir);
  const manifest = hashKey(sha256, '.audio.json');
  const stored = await readManifest(storage, manifest);
  if (stored !== undefined) return { audio: MediaAudioSchema.parse(stored), created: false };

  const work = mkdtempSync(join(tmpdir(), 'lianxin-audio-'));
  // ffmpeg writes into the storage's scratch dir, from where the finished file is moved in (one rename)
  const output = join(await storage.scratch('audio'), `${sha256}.${process.pid}.${randomBytes(4).toString('hex')}.m4a`);
  try {
    const input = join(work, `in.${format}`);
    if (source.data) writeFileSync(input, source.data);
    else placeFile(source.file, input);
    const broken = (detail: string, cause?: unknown) => new MediaError(422, `file: “${fileName}”看起来是 ${format.toUpperCase()}，但${detail}`, cause === undefined ? {} : { cause });

    let info: Probed;
    try {
      info = await probeFile(input);
    } catch (cause) {
      throw broken('内容损坏或无法解码', cause);
    }
    const stream = info.streams.find((s) => s.codec_type === 'audio');
    if (!stream) throw broken('里面没有音频');
    if (info.streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)) throw new MediaError(415, `file: “${fileName}”是视频，不是音频（只收 ${LABEL}）`);
    const claimed = Number(stream.duration ?? info.format.duration ?? 0);
    if (claimed > AUDIO_MAX_SECONDS) throw new MediaError(422, `file: 音频长 ${Math.round(claimed)} 秒，超过 ${AUDIO_MAX_SECONDS / 60} 分钟上限`);

    // One pass decodes everything (errors surface here) and writes the AAC copy; -progress reports how much decoded.
    let decoded = 0;
    try {
      const { stdout } = await run(
        ffmpegPath(),
        ['-v', 'error', '-nostdin', '-i', input, '-map', '0:a:0', '-vn', '-map_metadata', '-1', '-c:a', 'aac', '-b:a', AUDIO_BITRATE, '-movflags', '+faststart', '-f', 'mp4', '-y', output, '-progress', 'pipe:1'],
        { maxBuffer: 16 << 20, timeout: TIMEOUT_MS },
      );
      const times = [...stdout.matchAll(/out_time_ms=(\d+)/g)];
      decoded = Number(times.at(-1)?.[1] ?? 0) / 1e6;
    } catch (cause) {
      throw broken('内容损坏或无法解码', cause);
    }
    if (decoded < 0.1 || (claimed > 0 && decoded < claimed * 0.9)) throw broken(`内容不完整或已损坏（声称 ${claimed.toFixed(1)} 秒，只能解出 ${decoded.toFixed(1)} 秒）`);
    if (decoded > AUDIO_MAX_SECONDS + 1) throw new MediaError(422, `file: 音频长 ${Math.round(decoded)} 秒，超过 ${AUDIO_MAX_SECONDS / 60} 分钟上限`);

    const out = await probeFile(output).catch((cause: unknown) => {
      throw broken('转码失败', cause);
    });
    const duration = Number(out.streams.find((s) => s.codec_type === 'audio')?.duration ?? out.format.duration ?? decoded);
    const rel = `media/${sha256.slice(0, 2)}/${sha256}.m4a`;
    const audio: MediaAudio = {
      sha256,
      src: `/${rel}`,
      path: rel,
      duration: Math.round(duration * 1000) / 1000,
      codec: 'aac',
      source: { format, codec: stream.codec_name ?? 'unknown', bytes: size },
      bytes: statSync(output).size,
      createdAt: now.toISOString(),
    };
    try {
      await storage.putFile(hashKey(sha256, '.m4a'), output);
      await storage.put(manifest, Buffer.from(JSON.stringify(audio, null, 2)));
    } catch (cause) {
      throw new MediaError(422, 'file: 保存音频失败', { cause });
    }
    return { audio, created: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(output, { force: true });
  }
}

/** The upload under the name ffmpeg is given (its extension names the container): a hard link, or a kernel-side copy across volumes. */
function placeFile(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
