import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSharp } from './sharp.ts';
import { ensureFontconfig, fonts } from './fonts.ts';
import { MediaError } from '../errors.ts';
import { stripXmlInvalid } from '../security/text.ts';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
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

/** The card as SVG; `blank` leaves out every text, for tests that compare glyph areas. */
export function shareCardSvg(text: CardText, { blank = false } = {}): string {
  const lines = wrapTitle(text.title, 17, 3);
  const size = 60;
  const top = 250 - ((lines.length - 1) * size * 1.35) / 2;
  const t = (s: string) => (blank ? '' : esc(s));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}">
<rect width="100%" height="100%" fill="#fffaf5"/>
<rect width="100%" height="14" fill="#c8102e"/>
<rect x="80" y="70" width="${Math.max(4, [...text.column].length) * 34 + 40}" height="56" rx="8" fill="#c8102e"/>
<text x="100" y="110" font-family="${fonts.family}" font-weight="bold" font-size="32" fill="#ffffff">${t(text.column)}</text>
${lines.map((l, i) => `<text x="80" y="${Math.round(top + i * size * 1.35 + size)}" font-family="${fonts.family}" font-weight="bold" font-size="${size}" fill="#1f2328">${t(l)}</text>`).join('\n')}
<rect x="80" y="520" width="1040" height="2" fill="#e3e6ea"/>
<text x="80" y="575" font-family="${fonts.family}" font-size="30" fill="#5c6570">${t(text.org)}</text>
<text x="1120" y="575" text-anchor="end" font-family="${fonts.family}" font-size="30" fill="#5c6570">${t(`${text.date} · 连心`)}</text>
</svg>`;
}

/**
 * Renders the 1200×630 JPEG share card (SVG text through fontconfig with Noto Sans SC). libjpeg's default
 * encoder, not mozjpeg (19 ms instead of 82 ms a card for a file about 10% larger), and without the
 * optimised Huffman pass: half the encoding time again for a few per cent of bytes, which decides a
 * first build of 10k items (cards were 94% of it, and still are its longest phase).
 */
export async function renderShareCard(text: CardText, options: { blank?: boolean } = {}): Promise<Buffer> {
  const sharp = await loadSharp();
  ensureFontconfig();
  try {
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
