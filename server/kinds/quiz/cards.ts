import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { MediaError } from '../../errors.ts';
import { ensureFontconfig, fonts } from '../../media/fonts.ts';
import { CARD_HEIGHT, CARD_WIDTH, wrapTitle } from '../../media/share-card.ts';
import type { Band } from './questions.ts';
import { keyOf, mediaStorage } from '../../media/storage.ts';

const CARD_VERSION = 1;

export interface BandCardText {
  quizTitle: string;
  band: Pick<Band, 'min' | 'max' | 'title' | 'text'>;
  org: string;
}

const esc = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Cards are named by a hash of their text: a corrected band gets a new URL, so the immutable media cache never serves an old card. */
const cardKey = (text: BandCardText) => createHash('sha256').update(JSON.stringify(['quiz-band', CARD_VERSION, text.quizTitle, text.band.min, text.band.max, text.band.title, text.band.text, text.org])).digest('hex').slice(0, 24);

/** Site path of a band's share card (served from `<dataDir>/media`, like uploads). */
export const bandCardPath = (text: BandCardText) => `/media/quiz-cards/${cardKey(text)}.jpg`;

/** Every band card of a quiz, in band order. */
export const bandCardTexts = (quiz: { title: string; orgName: string; bands: BandCardText['band'][] }): BandCardText[] => quiz.bands.map((band) => ({ quizTitle: quiz.title, band: { min: band.min, max: band.max, title: band.title, text: band.text }, org: quiz.orgName }));

/** The result card as SVG: the quiz, the band's title big, its score range and text. */
export function bandCardSvg({ quizTitle, band, org }: BandCardText): string {
  const title = wrapTitle(quizTitle, 30, 1)[0] ?? '';
  const lines = wrapTitle(band.text, 26, 2);
  const f = fonts.family;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}">
<rect width="100%" height="100%" fill="#fffaf5"/>
<rect width="100%" height="14" fill="#c8102e"/>
<text x="80" y="105" font-family="${f}" font-size="34" fill="#5c6570">${esc(title)}</text>
<text x="80" y="235" font-family="${f}" font-weight="bold" font-size="96" fill="#c8102e">${esc(band.title)}</text>
<rect x="80" y="270" width="300" height="60" rx="30" fill="#c8102e"/>
<text x="230" y="312" text-anchor="middle" font-family="${f}" font-weight="bold" font-size="32" fill="#ffffff">${esc(`得分 ${band.min}–${band.max}`)}</text>
${lines.map((l, i) => `<text x="80" y="${400 + i * 56}" font-family="${f}" font-size="40" fill="#1f2328">${esc(l)}</text>`).join('\n')}
<rect x="80" y="520" width="1040" height="2" fill="#e3e6ea"/>
<text x="80" y="575" font-family="${f}" font-size="30" fill="#5c6570">${esc(org)}</text>
<text x="1120" y="575" text-anchor="end" font-family="${f}" font-weight="bold" font-size="30" fill="#c8102e">一起来答题 · 连心</text>
</svg>`;
}

/** Renders a band's 1200×630 JPEG card (Noto Sans SC through fontconfig, so Chinese shows as glyphs). */
export async function renderBandCard(text: BandCardText): Promise<Buffer> {
  ensureFontconfig();
  try {
    return await sharp(Buffer.from(bandCardSvg(text))).jpeg({ quality: 86, mozjpeg: true }).toBuffer();
  } catch (cause) {
    throw new MediaError(422, 'bands: 渲染结果分享图失败', { cause });
  }
}

/** Renders the card into the media storage (`quiz-cards/`) unless it is there; returns its site path. */
export async function ensureBandCard({ dataDir, text }: { dataDir: string; text: BandCardText }): Promise<string> {
  const path = bandCardPath(text);
  const storage = mediaStorage(dataDir);
  const key = keyOf(path)!;
  if (await storage.stat(key)) return path;
  await storage.put(key, await renderBandCard(text));
  return path;
}
