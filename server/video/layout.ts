import { fonts } from '../media/fonts.ts';
import { ValidationError } from '../errors.ts';
import { loadFontMetrics } from './font-metrics.ts';
import { wrapText } from './line-break.ts';
import { FORMAT_SIZES, type Storyboard } from './schema.ts';

type Format = Storyboard['format'];

/**
 * Regions kept clear of the platforms' own overlays. 9:16: WeChat Channels / Douyin put the status
 * bar and tabs at the top, the description and comment bar in the bottom ~23 %, and the like/share
 * column on the right; captions stay centred between symmetric margins wide enough to clear it.
 * 16:9: the classic 90 % title-safe area.
 */
export const SAFE_AREAS = {
  '9:16': { top: 220, bottom: 440, side: 150 },
  '16:9': { top: 90, bottom: 90, side: 192 },
} as const;

export interface TextBlock {
  lines: string[];
  fontSize: number;
  lineHeight: number;
  width: number;
  height: number;
}

interface FitOptions {
  text: string;
  font: string;
  maxWidth: number;
  maxHeight: number;
  startSize: number;
  minSize: number;
  lineHeight?: number;
  /** Dotted field path for the error, e.g. `scenes.2.text`. */
  path: string;
}

/** Measures a string at `fontSize` px with the font's real advances. */
export function measureText(text: string, fontSize: number, font: string = fonts.medium): number {
  const metrics = loadFontMetrics(font);
  let em = 0;
  for (const ch of text) em += metrics.advance(ch);
  return em * fontSize;
}

/**
 * Wraps and shrinks text until it fits the box: from `startSize` down to `minSize` in 2 px steps.
 * Throws a ValidationError naming `path` when even the smallest size overflows.
 */
export function fitText(opts: FitOptions): TextBlock {
  const ratio = opts.lineHeight ?? 1.35;
  for (let size = opts.startSize; size >= opts.minSize; size -= 2) {
    // 2 % slack: the renderer may kern slightly differently from the advances we add up.
    const measure = (s: string) => measureText(s, size, opts.font) * 1.02;
    const lines = balanceLines(opts.text, opts.maxWidth, measure);
    const lineHeight = Math.round(size * ratio);
    const height = lines.length * lineHeight;
    const width = Math.max(0, ...lines.map(measure));
    if (height <= opts.maxHeight && width <= opts.maxWidth) return { lines, fontSize: size, lineHeight, width: Math.ceil(width), height };
  }
  const maxLines = Math.max(1, Math.floor(opts.maxHeight / Math.round(opts.minSize * ratio)));
  throw ValidationError.field(opts.path, `文字太长，最小字号 ${opts.minSize}px 下也放不进安全区（最多约 ${maxLines} 行），请缩短或拆成两个镜头`);
}

/** Lines that end at punctuation or at a space: natural breaks a balanced layout should not lose. */
function naturalBreaks(text: string, lines: string[]): number {
  let pos = 0;
  let count = 0;
  for (const line of lines.slice(0, -1)) {
    pos = text.indexOf(line, pos) + line.length;
    if (/[，。！？、；：…,.!?;:\s]$/.test(line) || /^\s/.test(text.slice(pos))) count++;
  }
  return count;
}

/**
 * Greedy wrapping, then the narrowest width that keeps the same number of lines and the same number
 * of natural breaks, so a title splits 5 + 5 instead of 9 + 1.
 */
export function balanceLines(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  let best = wrapText(text, maxWidth, measure);
  if (best.length < 2) return best;
  const natural = naturalBreaks(text, best);
  const step = Math.max(1, measure('中') / 4);
  for (let width = maxWidth - step; width > 0; width -= step) {
    const lines = wrapText(text, width, measure);
    if (lines.length !== best.length || naturalBreaks(text, lines) < natural || lines.some((l) => measure(l) > width + 0.01 && l.length > 1)) break;
    best = lines;
  }
  return best;
}

export interface CaptionLayout extends TextBlock {
  /** Position and size of the caption PNG (box with padding) in the output frame; all even. */
  x: number;
  y: number;
  boxWidth: number;
  boxHeight: number;
  padX: number;
  padY: number;
}

const CAPTION = {
  '9:16': { start: 64, min: 40, maxHeight: 380, padX: 32, padY: 20 },
  '16:9': { start: 56, min: 34, maxHeight: 260, padX: 28, padY: 16 },
} as const;

const even = (n: number) => Math.ceil(n / 2) * 2;

/** Lays out a scene caption in the lower safe band; null when the scene has no text. */
export function layoutCaption(text: string, format: Format, path: string): CaptionLayout | null {
  if (!text.trim()) return null;
  const { width: W, height: H } = FORMAT_SIZES[format];
  const safe = SAFE_AREAS[format];
  const c = CAPTION[format];
  const block = fitText({ text, font: fonts.medium, maxWidth: W - 2 * safe.side - 2 * c.padX, maxHeight: c.maxHeight - 2 * c.padY, startSize: c.start, minSize: c.min, path });
  const boxWidth = even(block.width + 2 * c.padX);
  const boxHeight = even(block.height + 2 * c.padY);
  const x = even((W - boxWidth) / 2);
  const y = even(H - safe.bottom - boxHeight);
  return { ...block, x, y, boxWidth, boxHeight, padX: c.padX, padY: c.padY };
}
