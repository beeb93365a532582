import { createHash } from 'node:crypto';
import { z } from 'zod';
import { XML_SAFE_MESSAGE, xmlSafe } from '../security/fields.ts';

export const FPS = 30;
export const MAX_TOTAL_SECONDS = 180;
export const MIN_SCENE_SECONDS = 1;

/** Output sizes per format: WeChat Channels / Weibo vertical, and the site's landscape. */
export const FORMAT_SIZES = {
  '9:16': { width: 1080, height: 1920 },
  '16:9': { width: 1920, height: 1080 },
} as const;

/** A media path relative to the data dir (`media/ab/<sha256>.jpg`); never absolute, never `..`. */
export const MediaPathSchema = z
  .string()
  .min(1, '路径不能为空')
  .refine((p) => p.startsWith('media/') && !p.split(/[\\/]/).includes('..') && !p.includes('\0') && !p.includes('\\'), '必须是数据目录内的媒体路径（media/…）');

const seconds = (fallback: number) =>
  z.number({ error: '必须是秒数' }).min(MIN_SCENE_SECONDS, `每段至少 ${MIN_SCENE_SECONDS} 秒`).max(60, '每段最多 60 秒').default(fallback);

export const SceneSchema = z.object({
  text: z.string().trim().max(120, '字幕最多 120 字').refine(xmlSafe, XML_SAFE_MESSAGE).default(''),
  image: MediaPathSchema.optional(),
  seconds: z.number({ error: '必须是秒数' }).min(MIN_SCENE_SECONDS, `每个镜头至少 ${MIN_SCENE_SECONDS} 秒`).max(60, '每个镜头最多 60 秒'),
  voiceover: MediaPathSchema.optional(),
});

export const TitleCardSchema = z.object({
  title: z.string().trim().min(1, '标题卡需要标题').max(40, '标题卡最多 40 字').refine(xmlSafe, XML_SAFE_MESSAGE),
  subtitle: z.string().trim().max(60, '副标题最多 60 字').refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
  seconds: seconds(2),
});

export const EndCardSchema = z.object({
  orgName: z.string().trim().min(1, '片尾需要单位名称').max(40, '单位名称最多 40 字').refine(xmlSafe, XML_SAFE_MESSAGE),
  date: z.string().trim().min(1, '片尾需要日期').max(20, '日期最多 20 字').refine(xmlSafe, XML_SAFE_MESSAGE),
  qrText: z.string().trim().max(80, '二维码/链接文字最多 80 字').refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
  seconds: seconds(3),
});

export const MusicSchema = z.object({
  file: MediaPathSchema,
  volume: z.number().min(0, '音量不能为负').max(2, '音量最大 2').default(0.6),
});

export const StoryboardSchema = z
  .object({
    format: z.enum(['9:16', '16:9'], { error: '画幅只能是 9:16 或 16:9' }).default('9:16'),
    scenes: z.array(SceneSchema).min(1, '至少需要一个镜头').max(40, '最多 40 个镜头'),
    titleCard: TitleCardSchema,
    endCard: EndCardSchema,
    music: MusicSchema.optional(),
    transition: z.enum(['cut', 'fade'], { error: '转场只能是 cut 或 fade' }).default('fade'),
    /** Slow zoom on stills (default), a slow pan, or none. */
    motion: z.enum(['zoom', 'pan', 'none']).default('zoom'),
  })
  .superRefine((board, ctx) => {
    const total = totalSeconds(board);
    if (total > MAX_TOTAL_SECONDS) {
      ctx.addIssue({ code: 'custom', path: ['scenes'], message: `总时长 ${total.toFixed(1)} 秒，超过上限 ${MAX_TOTAL_SECONDS} 秒` });
    }
  });

export type Storyboard = z.infer<typeof StoryboardSchema>;
export type StoryboardInput = z.input<typeof StoryboardSchema>;
export type Scene = z.infer<typeof SceneSchema>;

/** Frames of one segment: durations snap to whole frames so the output length is exact. */
export function framesOf(seconds: number): number {
  return Math.max(1, Math.round(seconds * FPS));
}

/** Total length in seconds, title and end cards included, snapped to frames. */
export function totalSeconds(board: Pick<Storyboard, 'scenes' | 'titleCard' | 'endCard'>): number {
  const frames = [board.titleCard.seconds, ...board.scenes.map((s) => s.seconds), board.endCard.seconds].reduce((sum, s) => sum + framesOf(s), 0);
  return frames / FPS;
}

/** What a finished render records on the item (paths relative to the data dir). */
export const RenderSchema = z.object({
  file: MediaPathSchema,
  poster: MediaPathSchema,
  duration: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  renderedAt: z.string(),
  /** sha256 of the storyboard it was rendered from: the render is current while this matches. */
  storyboardSha: z.string().optional(),
});
export type Render = z.infer<typeof RenderSchema>;

/** Stable hash of a storyboard, to tell whether a render still matches it. */
export function storyboardSha(board: Storyboard): string {
  return createHash('sha256').update(JSON.stringify(board)).digest('hex');
}
