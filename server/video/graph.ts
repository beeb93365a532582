import type { FfmpegInput } from './ffmpeg.ts';
import { FPS } from './schema.ts';

export type Motion = 'zoom-in' | 'zoom-out' | 'pan-left' | 'pan-right' | 'none';

export interface PlanSegment {
  /** Pre-scaled still: exactly the output size, or ZOOM/PAN_SCALE times it for moving stills. */
  still: string;
  frames: number;
  motion: Motion;
  caption?: { file: string; x: number; y: number };
  voiceover?: string;
}

export interface RenderPlan {
  width: number;
  height: number;
  segments: PlanSegment[];
  fade: boolean;
  music?: { file: string; volume: number };
}

/** Stills for zoom/pan are prepared this much larger so the motion never upsamples. */
export const MOTION_SCALE = 1.08;
const FADE_FRAMES = 9; // 0.3 s dip through black at each cut
const SAMPLE_RATE = 48_000;
const SAMPLES_PER_FRAME = SAMPLE_RATE / FPS;

/** x264 settings shared by the render and the bench floor, so the comparison is fair. */
export const X264_PRESET = 'superfast';
/**
 * Fixed B-frame pattern, no scene-cut detection: with both off x264 skips its per-frame lookahead
 * analysis (about a quarter of the encoder's CPU here). Stills, slow zooms and dips through black
 * gain nothing from adaptive B-frames; a hard cut becomes a mostly intra-coded P frame, and keyint
 * still places an IDR every 250 frames. CABAC and 8×8 DCT stay on: the stream is genuinely High.
 */
export const X264_PARAMS = 'b-adapt=0:scenecut=0';
export const VIDEO_OUTPUT_OPTIONS = ['-c:v', 'libx264', '-preset', X264_PRESET, '-crf', '23', '-profile:v', 'high', '-x264-params', X264_PARAMS, '-pix_fmt', 'yuv420p', '-r', String(FPS), '-movflags', '+faststart'];

function motionFilter(seg: PlanSegment, width: number, height: number): string {
  const last = Math.max(1, seg.frames - 1);
  const zoom = MOTION_SCALE.toFixed(4);
  switch (seg.motion) {
    case 'zoom-in':
    case 'zoom-out': {
      // zoompan crops iw/zoom × ih/zoom around the centre and scales to the output: 1 output frame per input frame.
      const z = seg.motion === 'zoom-in' ? `1+(${zoom}-1)*on/${last}` : `${zoom}-(${zoom}-1)*on/${last}`;
      return `zoompan=z='${z}':d=1:x='(iw-iw/zoom)/2':y='(ih-ih/zoom)/2':s=${width}x${height}:fps=${FPS}`;
    }
    case 'pan-left':
    case 'pan-right': {
      // A crop window sliding across the larger still: no scaling per frame at all.
      const x = seg.motion === 'pan-right' ? `(iw-ow)*n/${last}` : `(iw-ow)*(1-n/${last})`;
      return `crop=${width}:${height}:x='${x}':y='(ih-oh)/2'`;
    }
    case 'none':
      return 'null';
  }
}

/**
 * The whole video as one filter graph. Each segment decodes its still once (loop filter repeats the
 * frame in memory), moves it, overlays its caption PNG, dips through black at the cuts when fading,
 * then all segments concat. Audio: voice-overs padded to their scene, music looped with fades and
 * ducked under the voice by a sidechain compressor, or silence, always exactly the video's length.
 */
export function buildGraph(plan: RenderPlan): { inputs: FfmpegInput[]; filter: string; outputOptions: string[]; duration: number } {
  const inputs: FfmpegInput[] = [];
  const chains: string[] = [];
  const add = (input: FfmpegInput) => inputs.push(input) - 1;
  const totalFrames = plan.segments.reduce((sum, s) => sum + s.frames, 0);
  const duration = totalFrames / FPS;
  const last = plan.segments.length - 1;

  plan.segments.forEach((seg, i) => {
    // -framerate: the image demuxer's time base becomes 1/FPS (default 1/25), so setpts=N/FPS/TB is exact
    // and no frame of a card shares a timestamp with its neighbour (vsync would drop and duplicate them).
    const still = add({ file: seg.still, options: ['-framerate', String(FPS)] });
    const steps = [`[${still}:v]format=yuv420p`, `loop=loop=${seg.frames - 1}:size=1:start=0`, `setpts=N/${FPS}/TB`, motionFilter(seg, plan.width, plan.height), 'setsar=1'];
    let label = `m${i}`;
    chains.push(`${steps.join(',')}[${label}]`);
    if (seg.caption) {
      const cap = add({ file: seg.caption.file });
      chains.push(`[${label}][${cap}:v]overlay=x=${seg.caption.x}:y=${seg.caption.y}:format=yuv420:eof_action=repeat[c${i}]`);
      label = `c${i}`;
    }
    const fades: string[] = [];
    const n = Math.min(FADE_FRAMES, Math.floor(seg.frames / 3));
    if (plan.fade && i > 0 && n > 0) fades.push(`fade=t=in:s=0:n=${n}`);
    if (plan.fade && i < last && n > 0) fades.push(`fade=t=out:s=${seg.frames - n}:n=${n}`);
    chains.push(`[${label}]${[...fades, `trim=end_frame=${seg.frames}`, 'format=yuv420p'].join(',')}[s${i}]`);
  });
  chains.push(`${plan.segments.map((_, i) => `[s${i}]`).join('')}concat=n=${plan.segments.length}:v=1:a=0[vout]`);

  // Audio, sample-exact: 1600 samples per frame at 48 kHz.
  const fmt = `aformat=sample_fmts=fltp:sample_rates=${SAMPLE_RATE}:channel_layouts=stereo`;
  const totalSamples = totalFrames * SAMPLES_PER_FRAME;
  const hasVoice = plan.segments.some((s) => s.voiceover);
  if (hasVoice) {
    plan.segments.forEach((seg, i) => {
      const samples = seg.frames * SAMPLES_PER_FRAME;
      if (seg.voiceover) {
        const vo = add({ file: seg.voiceover });
        chains.push(`[${vo}:a]${fmt},apad,atrim=end_sample=${samples}[vo${i}]`);
      } else {
        chains.push(`anullsrc=r=${SAMPLE_RATE}:cl=stereo,${fmt},atrim=end_sample=${samples}[vo${i}]`);
      }
    });
    chains.push(`${plan.segments.map((_, i) => `[vo${i}]`).join('')}concat=n=${plan.segments.length}:v=0:a=1[voice]`);
  }
  if (plan.music) {
    const m = add({ file: plan.music.file, options: ['-stream_loop', '-1'] });
    const fadeIn = Math.min(1, duration / 4);
    const fadeOut = Math.min(2, duration / 4);
    chains.push(
      `[${m}:a]${fmt},volume=${plan.music.volume},atrim=end_sample=${totalSamples},asetpts=N/SR/TB,afade=t=in:st=0:d=${fadeIn},afade=t=out:st=${(duration - fadeOut).toFixed(3)}:d=${fadeOut}[music]`,
    );
  }
  if (hasVoice && plan.music) {
    chains.push('[voice]asplit[vkey][vmix]');
    chains.push('[music][vkey]sidechaincompress=threshold=0.02:ratio=12:attack=15:release=350[ducked]');
    // amix halves each input; volume=2 restores the voice-over level.
    chains.push(`[ducked][vmix]amix=inputs=2:duration=first:dropout_transition=0,volume=2,atrim=end_sample=${totalSamples}[aout]`);
  } else if (hasVoice) {
    chains.push(`[voice]anull[aout]`);
  } else if (plan.music) {
    chains.push(`[music]anull[aout]`);
  } else {
    // No audio asked for: a silent track anyway, because WeChat Channels and some players expect one.
    chains.push(`anullsrc=r=${SAMPLE_RATE}:cl=stereo,atrim=end_sample=${totalSamples}[aout]`);
  }

  const outputOptions = [
    '-map', '[vout]', '-map', '[aout]',
    ...VIDEO_OUTPUT_OPTIONS,
    '-c:a', 'aac', '-b:a', '128k', '-ar', String(SAMPLE_RATE), '-ac', '2',
    '-frames:v', String(totalFrames),
    '-t', duration.toFixed(4),
  ];
  return { inputs, filter: chains.join(';'), outputOptions, duration };
}
