import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkitten';
import type Sharp from 'sharp';
import { fonts } from './fonts.ts';

/** One line of card text: drawn from its baseline at (x, y), or ending at x when `anchor` is end. */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  size: number;
  bold: boolean;
  /** #rrggbb */
  color: string;
  anchor?: 'start' | 'end';
}

/**
 * A glyph's coverage, rasterised once by librsvg (the same renderer as the SVG card) and reused; kept as its
 * covered pixels only (about a third of the box), so drawing a card visits no empty pixel.
 */
interface GlyphMask {
  /** the covered pixels' places in the mask and their coverage (1–255) */
  xs: Uint16Array;
  ys: Uint16Array;
  alphas: Uint8Array;
  width: number;
  height: number;
  /** where the pen (baseline origin) sits inside the mask */
  originX: number;
  originY: number;
}

const PAD = 8;
/** About 3,000 distinct characters in three styles cover a year of Chinese titles; past this the cache starts over (≤ ~60 MB). */
const MAX_MASKS = 9_000;
const faces = new Map<boolean, Font>();
const masks = new Map<string, Promise<GlyphMask>>();

function face(bold: boolean): Font {
  let font = faces.get(bold);
  if (!font) {
    font = create(readFileSync(bold ? fonts.bold : fonts.regular)) as Font;
    faces.set(bold, font);
  }
  return font;
}

const escapeXml = (ch: string) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch;

/** Advance widths in px of each character, or undefined when the font lacks one (librsvg would fall back to another font). */
function advances(run: TextRun): number[] | undefined {
  const font = face(run.bold);
  const out: number[] = [];
  for (const ch of run.text) {
    const cp = ch.codePointAt(0)!;
    if (!font.hasGlyphForCodePoint(cp)) return undefined;
    out.push((font.glyphForCodePoint(cp).advanceWidth * run.size) / font.unitsPerEm);
  }
  return out;
}

function mask(sharp: typeof Sharp, ch: string, run: TextRun, advance: number): Promise<GlyphMask> {
  const key = `${run.size}|${run.bold ? 'b' : 'r'}|${ch}`;
  let hit = masks.get(key);
  if (!hit) {
    if (masks.size >= MAX_MASKS) masks.clear();
    const width = Math.ceil(advance) + 2 * PAD;
    const height = Math.ceil(run.size * 1.6);
    const originY = Math.ceil(run.size * 1.2);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><text x="${PAD}" y="${originY}" font-family="${fonts.family}"${run.bold ? ' font-weight="bold"' : ''} font-size="${run.size}" fill="#000000">${escapeXml(ch)}</text></svg>`;
    hit = sharp(Buffer.from(svg))
      .ensureAlpha()
      .extractChannel(3)
      .raw()
      .toBuffer()
      .then((alpha) => ({ ...covered(alpha, width), width, height, originX: PAD, originY }));
    masks.set(key, hit);
    hit.catch(() => masks.delete(key));
  }
  return hit;
}

/** The covered pixels of a width-wide alpha raster. */
function covered(alpha: Uint8Array, width: number): Pick<GlyphMask, 'xs' | 'ys' | 'alphas'> {
  let n = 0;
  for (const a of alpha) if (a !== 0) n++;
  const xs = new Uint16Array(n);
  const ys = new Uint16Array(n);
  const alphas = new Uint8Array(n);
  for (let i = 0, k = 0; i < alpha.length; i++) {
    if (alpha[i] === 0) continue;
    xs[k] = i % width;
    ys[k] = Math.floor(i / width);
    alphas[k++] = alpha[i]!;
  }
  return { xs, ys, alphas };
}

/** Draws one glyph's covered pixels in colour (r, g, b) with its mask's top-left corner at (left, top). */
function blend(target: Uint8Array, width: number, height: number, m: GlyphMask, left: number, top: number, r: number, g: number, b: number): void {
  const { xs, ys, alphas } = m;
  for (let k = 0; k < alphas.length; k++) {
    const ty = top + ys[k]!;
    const tx = left + xs[k]!;
    if (ty < 0 || ty >= height || tx < 0 || tx >= width) continue;
    const a = alphas[k]!;
    const o = (ty * width + tx) * 3;
    if (a === 255) {
      // a glyph's inside (most of it): the colour itself, as the blend below gives it
      target[o] = r;
      target[o + 1] = g;
      target[o + 2] = b;
      continue;
    }
    target[o] = target[o]! + ((r - target[o]!) * a) / 255;
    target[o + 1] = target[o + 1]! + ((g - target[o + 1]!) * a) / 255;
    target[o + 2] = target[o + 2]! + ((b - target[o + 2]!) * a) / 255;
  }
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/**
 * Draws text runs onto an RGB raster from cached glyph masks, placed by the font's advance widths.
 * Returns false (nothing drawn) when a character is missing from Noto Sans SC: the caller renders
 * the whole card as SVG then, where fontconfig finds a fallback font for it.
 */
export async function drawRuns(sharp: typeof Sharp, target: Buffer, width: number, height: number, runs: TextRun[]): Promise<boolean> {
  const laid = runs.map((run) => ({ run, widths: advances(run) }));
  if (laid.some((l) => !l.widths)) return false;
  for (const { run, widths } of laid) {
    const [r, g, b] = rgb(run.color);
    let pen = run.anchor === 'end' ? run.x - widths!.reduce((a, w) => a + w, 0) : run.x;
    let i = 0;
    for (const ch of run.text) {
      const advance = widths![i++]!;
      if (ch.trim()) {
        const m = await mask(sharp, ch, run, advance);
        const left = Math.round(pen) - m.originX;
        const top = Math.round(run.y) - m.originY;
        blend(target, width, height, m, left, top, r, g, b);
      }
      pen += advance;
    }
  }
  return true;
}
