import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildGraph, MOTION_SCALE, type Motion, type PlanSegment } from './graph.ts';
import { runFfmpeg } from './ffmpeg.ts';
import { checkMedia, prepareStill, stillName } from './inputs.ts';
import { layoutCaption } from './layout.ts';
import { FORMAT_SIZES, framesOf, type Render, type Storyboard } from './schema.ts';
import { renderBackground, renderCaptionPng, renderEndCard, renderTitleCard } from './text-frame.ts';
import { mediaStorage } from '../media/storage.ts';

export interface RenderArgs {
  storyboard: Storyboard;
  dataDir: string;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
  onSpawn?: (pid: number) => void;
  now?: () => Date;
  /** The item's tracked short link: the end card shows it as a QR code (when the board has `endCard.qrText`). */
  qrUrl?: string | undefined;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Moves a finished temp file into the media storage as `<2 hex>/<sha256>.<ext>` (a rename on the same disk); returns its `media/…` path. */
async function storeByHash(dataDir: string, tmp: string, ext: string): Promise<{ path: string; sha256: string }> {
  const sha256 = await sha256File(tmp);
  const key = `${sha256.slice(0, 2)}/${sha256}.${ext}`;
  await mediaStorage(dataDir).putFile(key, tmp);
  return { path: `media/${key}`, sha256 };
}

const motionFor = (board: Storyboard, i: number): Motion => {
  if (board.motion === 'none') return 'none';
  if (board.motion === 'pan') return i % 2 ? 'pan-left' : 'pan-right';
  return i % 2 ? 'zoom-out' : 'zoom-in';
};

/**
 * Renders a storyboard to an H.264/AAC MP4 and a poster JPEG, both stored by content hash under
 * the media storage. All checks and text layout run before ffmpeg starts; ffmpeg writes into a
 * private temp dir, so a crash or cancel never replaces a good file with a partial one.
 */
export async function renderVideo(args: RenderArgs): Promise<Render> {
  const { storyboard: board, dataDir } = args;
  const { width, height } = FORMAT_SIZES[board.format];

  // Phase 1: inputs and text layout. Bad input fails here with the field's path.
  const media = await checkMedia(board, dataDir);
  const captions = board.scenes.map((s, i) => layoutCaption(s.text, board.format, `scenes.${i}.text`));

  // scratch space on the media storage's own volume, so the finished files move in by rename
  const work = await mediaStorage(dataDir).scratch(`render-${Date.now()}-${randomBytes(4).toString('hex')}`);
  try {
    // Phase 2: stills and text frames (sharp), in parallel.
    const moving = board.motion !== 'none';
    const sw = moving ? Math.round((width * MOTION_SCALE) / 2) * 2 : width;
    const sh = moving ? Math.round((height * MOTION_SCALE) / 2) * 2 : height;
    const titleFile = join(work, 'title.jpg');
    const endFile = join(work, 'end.jpg');
    const blank = join(work, 'blank.jpg');
    const needsBlank = media.images.some((img) => !img);
    await Promise.all([
      renderTitleCard(board, titleFile),
      renderEndCard(board, endFile, args.qrUrl),
      needsBlank ? renderBackground(board.format, blank, sw / width) : Promise.resolve(),
      ...media.images.map((img, i) => (img ? prepareStill(img, sw, sh, stillName(work, i)) : Promise.resolve())),
      ...captions.map((c, i) => (c ? renderCaptionPng(c, join(work, `caption-${i}.png`)) : Promise.resolve())),
    ]);
    if (args.signal?.aborted) throw args.signal.reason;

    const segments: PlanSegment[] = [
      { still: titleFile, frames: framesOf(board.titleCard.seconds), motion: 'none' },
      ...board.scenes.map((scene, i): PlanSegment => {
        const caption = captions[i];
        const voiceover = media.voiceovers[i];
        return {
          still: media.images[i] ? stillName(work, i) : blank,
          frames: framesOf(scene.seconds),
          motion: motionFor(board, i),
          ...(caption ? { caption: { file: join(work, `caption-${i}.png`), x: caption.x, y: caption.y } } : {}),
          ...(voiceover ? { voiceover } : {}),
        };
      }),
      { still: endFile, frames: framesOf(board.endCard.seconds), motion: 'none' },
    ];
    const graph = buildGraph({ width, height, segments, fade: board.transition === 'fade', ...(media.music && board.music ? { music: { file: media.music, volume: board.music.volume } } : {}) });

    // Phase 3: one ffmpeg run into the temp dir.
    const out = join(work, 'out.mp4');
    await runFfmpeg({ ...graph, output: out, ...(args.signal ? { signal: args.signal } : {}), ...(args.onProgress ? { onProgress: args.onProgress } : {}), ...(args.onSpawn ? { onSpawn: args.onSpawn } : {}) });
    if ((await stat(out)).size === 0) throw new Error('ffmpeg wrote an empty file');

    // Phase 4: store by content hash; the title card doubles as the poster (it is the first frame).
    const video = await storeByHash(dataDir, out, 'mp4');
    const poster = await storeByHash(dataDir, titleFile, 'jpg');
    return { file: video.path, poster: poster.path, duration: graph.duration, width, height, sha256: video.sha256, renderedAt: (args.now ?? (() => new Date()))().toISOString() };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
