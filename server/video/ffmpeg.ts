import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type Ffmpeg from 'fluent-ffmpeg';
import { AppError } from '../errors.ts';

const require = createRequire(import.meta.url);
const run = promisify(execFile);

/** The ffmpeg binary: FFMPEG_PATH, else the static build from @ffmpeg-installer/ffmpeg. */
export function ffmpegPath(): string {
  return process.env.FFMPEG_PATH || (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

/** The ffprobe binary: FFPROBE_PATH, else @ffprobe-installer/ffprobe. */
export function ffprobePath(): string {
  return process.env.FFPROBE_PATH || (require('@ffprobe-installer/ffprobe') as { path: string }).path;
}

/** 500 with the last lines of ffmpeg's stderr kept for the job record. */
export class FfmpegError extends AppError {
  readonly tail: string;
  constructor(message: string, tail: string, options: { cause?: unknown } = {}) {
    super(500, 'ffmpeg_failed', message, { ...options, data: { tail } });
    this.tail = tail;
  }
}

/** Thrown when a render is cancelled through its AbortSignal. */
export class CancelledError extends AppError {
  constructor(message = '已取消') {
    super(409, 'cancelled', message);
  }
}

export interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
}
export interface ProbeResult {
  streams: ProbeStream[];
  format: { duration?: string; format_name?: string };
}

/** Runs ffprobe on a file and returns its streams and container format. */
export async function probe(file: string): Promise<ProbeResult> {
  const { stdout } = await run(ffprobePath(), ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file], { maxBuffer: 8 << 20 });
  const parsed = JSON.parse(stdout) as Partial<ProbeResult>;
  return { streams: parsed.streams ?? [], format: parsed.format ?? {} };
}

export interface FfmpegInput {
  file: string;
  options?: string[];
}

export interface FfmpegJob {
  inputs: FfmpegInput[];
  filter: string;
  outputOptions: string[];
  output: string;
  /** Output length in seconds, for the progress percentage. */
  duration: number;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
  /** Called with the child's pid once it runs (the bench samples its memory). */
  onSpawn?: (pid: number) => void;
}

const TAIL_LINES = 30;

/** Parses `time=HH:MM:SS.xx` from an ffmpeg stats line; null when the line has none. */
export function parseTime(line: string): number | null {
  const m = /time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
  if (!m) return null;
  if (m[1]) return 0;
  return Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** One ffmpeg run through fluent-ffmpeg: progress from `time=`, cancel by SIGKILL, stderr tail on failure. */
export function runFfmpeg(job: FfmpegJob): Promise<void> {
  return new Promise((resolve, reject) => {
    if (job.signal?.aborted) return reject(new CancelledError());
    const tail: string[] = [];
    // fluent-ffmpeg is required on the first render, not at start-up
    const ffmpeg = require('fluent-ffmpeg') as typeof Ffmpeg;
    const command = ffmpeg().setFfmpegPath(ffmpegPath());
    for (const input of job.inputs) command.input(input.file).inputOptions(input.options ?? []);
    command.complexFilter(job.filter).outputOptions(job.outputOptions).output(job.output);
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      command.kill('SIGKILL');
    };
    job.signal?.addEventListener('abort', onAbort, { once: true });
    command
      .on('start', () => {
        const pid = (command as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid;
        if (pid) job.onSpawn?.(pid);
      })
      .on('stderr', (line: string) => {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        const t = parseTime(line);
        if (t !== null && job.duration > 0) job.onProgress?.(Math.min(99, (t / job.duration) * 100));
      })
      .on('error', (err: Error) => {
        job.signal?.removeEventListener('abort', onAbort);
        if (cancelled) return reject(new CancelledError());
        reject(new FfmpegError(`视频渲染失败：${err.message.split('\n')[0]}`, tail.join('\n'), { cause: err }));
      })
      .on('end', () => {
        job.signal?.removeEventListener('abort', onAbort);
        if (cancelled) return reject(new CancelledError());
        job.onProgress?.(100);
        resolve();
      })
      .run();
  });
}
