import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSharp } from './sharp.ts';
import { ensureFontconfig, fonts } from './fonts.ts';
import { MediaError } from '../errors.ts';
import { stripXmlInvalid } from '../security/text.ts';
import { drawRuns, type TextRun } from './card-glyphs.ts';
import type Sharp from 'sharp';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
// not bumped for the glyph renderer: same font, places and colours, so cached cards stay valid
const CARD_VERSION = 1;

export interface CardText {
  title: string;
  column: string;
  org: string;
  date: string;
}

const esc = (s: string) => stripXmlInvalid(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Breaks a title into lines of at most `width` em (CJK 1, ASCII ~0.55), `maxLines` at most. */
export function wrapTitle(title: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const ch of title.replace(/\s+/g, ' ').trim()) {
    const w = ch.codePointAt(0)! < 0x2e80 ? 0.55 : 1;
    if (used + w > width) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += ch;
    used += w;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${[...kept[maxLines - 1]!].slice(0, -1).join('')}…`;
    return kept;
  }
  return lines;
}

/** The card's text lines with their places (the SVG and the glyph renderer draw the same runs). */
export function cardRuns(text: CardText): TextRun[] {
  const lines = wrapTitle(stripXmlInvalid(text.title), 17, 3);
  const size = 60;
  const top = 250 - ((lines.length - 1) * size * 1.35) / 2;
  const clean = (s: string) => stripXmlInvalid(s).replace(/\s+/g, ' ');
  return [
    { text: clean(text.column), x: 100, y: 110, size: 32, bold: true, color: '#ffffff' },
    ...lines.map((l, i) => ({ text: l, x: 80, y: Math.round(top + i * size * 1.35 + size), size, bold: true, color: '#1f2328' })),
    { text: clean(text.org), x: 80, y: 575, size: 30, bold: false, color: '#5c6570' },
    { text: clean(`${text.date} · 连心`), x: 1120, y: 575, size: 30, bold: false, color: '#5c6570', anchor: 'end' as const },
  ];
}

/** The card's background and shapes, without text (the column label's box grows with the column name). */
function cardBackgroundSvg(text: CardText): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}">
<rect width="100%" height="100%" fill="#fffaf5"/>
<rect width="100%" height="14" fill="#c8102e"/>
<rect x="80" y="70" width="${Math.max(4, [...text.column].length) * 34 + 40}" height="56" rx="8" fill="#c8102e"/>
<rect x="80" y="520" width="1040" height="2" fill="#e3e6ea"/>
`;
}

/** The card as SVG; `blank` leaves out every text, for tests that compare glyph areas. */
export function shareCardSvg(text: CardText, { blank = false } = {}): string {
  const runs = blank ? [] : cardRuns(text);
  const el = (r: TextRun) => `<text x="${r.x}" y="${r.y}"${r.anchor === 'end' ? ' text-anchor="end"' : ''} font-family="${fonts.family}"${r.bold ? ' font-weight="bold"' : ''} font-size="${r.size}" fill="${r.color}">${esc(r.text)}</text>`;
  return `${cardBackgroundSvg(text)}${runs.map(el).join('\n')}\n</svg>`;
}

const backgrounds = new Map<string, Promise<Buffer>>();

/**
 * Card-sized RGB rasters to draw on, reused: a fresh 2.2 MB buffer a card cost ~2 ms in page faults (a
 * quarter of a card), and a first build draws 10k of them. A raster goes back once sharp has encoded it.
 */
const rasters: Buffer[] = [];
const MAX_SPARE_RASTERS = 4;

async function withRaster<T>(background: Buffer, use: (pixels: Buffer) => Promise<T>): Promise<T> {
  const pixels = rasters.pop() ?? Buffer.allocUnsafeSlow(background.length);
  background.copy(pixels);
  try {
    return await use(pixels);
  } finally {
    if (rasters.length < MAX_SPARE_RASTERS) rasters.push(pixels);
  }
}

/** The text-free card as RGB pixels, rendered once per column label width. */
function cardBackground(sharp: typeof Sharp, text: CardText): Promise<Buffer> {
  const svg = `${cardBackgroundSvg(text)}</svg>`;
  let hit = backgrounds.get(svg);
  if (!hit) {
    hit = sharp(Buffer.from(svg)).flatten({ background: '#fffaf5' }).removeAlpha().raw().toBuffer();
    backgrounds.set(svg, hit);
    hit.catch(() => backgrounds.delete(svg));
  }
  return hit;
}

/**
 * Renders the 1200×630 JPEG share card in Noto Sans SC. The text is drawn from glyph masks that librsvg
 * rasterised once each (cardRuns places them by the font's advance widths) onto a cached background, and
 * only the JPEG encoding is per card: a first build of 10k cards is dominated by this (it was 94% of one).
 * A character the font lacks sends the card through the whole-SVG path, where fontconfig falls back to
 * another font. libjpeg's default encoder without the optimised Huffman pass: mozjpeg took 82 ms a card.
 */
export async function renderShareCard(text: CardText, options: { blank?: boolean } = {}): Promise<Buffer> {
  const sharp = await loadSharp();
  ensureFontconfig();
  try {
    if (!options.blank) {
      const drawn = await withRaster(await cardBackground(sharp, text), async (pixels) => {
        if (!(await drawRuns(sharp, pixels, CARD_WIDTH, CARD_HEIGHT, cardRuns(text)))) return undefined;
        return await sharp(pixels, { raw: { width: CARD_WIDTH, height: CARD_HEIGHT, channels: 3 } }).jpeg({ quality: 86, optimiseCoding: false }).toBuffer();
      });
      if (drawn) return drawn;
    }
    return await sharp(Buffer.from(shareCardSvg(text, options))).jpeg({ quality: 86, optimiseCoding: false }).toBuffer();
  } catch (cause) {
    throw new MediaError(422, `share card: 渲染分享图失败`, { cause });
  }
}

/** Card file cached by its text under `<dataDir>/cache/cards/`; rendered only when the text changes. */
export async function ensureShareCard({ dataDir, text }: { dataDir: string; text: CardText }): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify([CARD_VERSION, text])).digest('hex').slice(0, 32);
  const dir = join(dataDir, 'cache', 'cards');
  const file = join(dir, `${key}.jpg`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, await renderShareCard(text));
  renameSync(tmp, file);
  return file;
}
