import { loadSharp } from '../media/sharp.ts';
import { ensureFontconfig, fonts } from '../media/fonts.ts';
import { fitText, SAFE_AREAS, type CaptionLayout, type TextBlock } from './layout.ts';
import { FORMAT_SIZES, type Storyboard } from './schema.ts';
import { qrSvg } from '../reach/qr.ts';

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Centre of CJK glyphs sits about 0.38 em above the baseline in Noto Sans SC. */
const BASELINE_SHIFT = 0.38;

function textLines(block: TextBlock, cx: number, top: number, weight: number, fill: string): string {
  return block.lines
    .map((line, i) => {
      const baseline = top + i * block.lineHeight + block.lineHeight / 2 + block.fontSize * BASELINE_SHIFT;
      return `<text x="${cx}" y="${baseline.toFixed(1)}" font-size="${block.fontSize}" font-weight="${weight}" fill="${fill}" text-anchor="middle" xml:space="preserve">${escapeXml(line)}</text>`;
    })
    .join('');
}

const svgOpen = (w: number, h: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="${fonts.family}, sans-serif">`;

/** Renders a caption box (white text on a translucent dark box) to a PNG with a transparent outside. */
export async function renderCaptionPng(layout: CaptionLayout, file: string): Promise<void> {
  const sharp = await loadSharp();
  ensureFontconfig();
  const { boxWidth: w, boxHeight: h } = layout;
  const svg =
    svgOpen(w, h) +
    `<rect x="0" y="0" width="${w}" height="${h}" rx="18" fill="#000" fill-opacity="0.58"/>` +
    textLines(layout, w / 2, layout.padY, 500, '#fff') +
    '</svg>';
  await sharp(Buffer.from(svg)).png({ compressionLevel: 3 }).toFile(file);
}

/** Brand background shared by the cards and by scenes without an image. */
export function backgroundSvg(w: number, h: number): string {
  return (
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="0.6" y2="1"><stop offset="0" stop-color="#b3261e"/><stop offset="1" stop-color="#5c0f0b"/></linearGradient></defs>` +
    `<rect width="${w}" height="${h}" fill="url(#bg)"/>` +
    `<circle cx="${w * 0.85}" cy="${h * 0.12}" r="${w * 0.35}" fill="#fff" fill-opacity="0.05"/>` +
    `<circle cx="${w * 0.1}" cy="${h * 0.9}" r="${w * 0.45}" fill="#fff" fill-opacity="0.04"/>`
  );
}

/** A plain brand background still (for scenes without an image). */
export async function renderBackground(format: Storyboard['format'], file: string, scale = 1): Promise<void> {
  const sharp = await loadSharp();
  const { width, height } = FORMAT_SIZES[format];
  const w = Math.round((width * scale) / 2) * 2;
  const h = Math.round((height * scale) / 2) * 2;
  await sharp(Buffer.from(svgOpen(w, h) + backgroundSvg(w, h) + '</svg>')).jpeg({ quality: 92 }).toFile(file);
}

/** Title card: big bold title, optional subtitle, centred in the safe area. Throws naming the field when it cannot fit. */
export async function renderTitleCard(board: Storyboard, file: string): Promise<void> {
  const sharp = await loadSharp();
  ensureFontconfig();
  const { width: W, height: H } = FORMAT_SIZES[board.format];
  const safe = SAFE_AREAS[board.format];
  const portrait = board.format === '9:16';
  const maxWidth = W - 2 * safe.side;
  const title = fitText({ text: board.titleCard.title, font: fonts.bold, maxWidth, maxHeight: portrait ? 560 : 420, startSize: portrait ? 112 : 96, minSize: portrait ? 60 : 52, lineHeight: 1.25, path: 'titleCard.title' });
  const subtitle = board.titleCard.subtitle
    ? fitText({ text: board.titleCard.subtitle, font: fonts.medium, maxWidth, maxHeight: portrait ? 260 : 180, startSize: portrait ? 52 : 44, minSize: 32, path: 'titleCard.subtitle' })
    : null;
  const gap = subtitle ? Math.round(title.fontSize * 0.6) : 0;
  const total = title.height + gap + (subtitle?.height ?? 0);
  const top = safe.top + (H - safe.top - safe.bottom - total) / 2;
  const ruleY = top + title.height + gap / 2;
  const svg =
    svgOpen(W, H) +
    backgroundSvg(W, H) +
    textLines(title, W / 2, top, 700, '#fff') +
    (subtitle ? `<rect x="${W / 2 - 60}" y="${ruleY - 3}" width="120" height="6" rx="3" fill="#f6c344"/>` + textLines(subtitle, W / 2, top + title.height + gap, 500, '#fde9c8') : '') +
    '</svg>';
  await sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toFile(file);
}

/**
 * End card: organisation, date and, when `qrText` is set, a light box with a real QR code of the item's tracked
 * short link (`qrUrl`) above the text (without a link, the text alone, as before).
 */
export async function renderEndCard(board: Storyboard, file: string, qrUrl?: string): Promise<void> {
  const sharp = await loadSharp();
  ensureFontconfig();
  const { width: W, height: H } = FORMAT_SIZES[board.format];
  const safe = SAFE_AREAS[board.format];
  const portrait = board.format === '9:16';
  const maxWidth = W - 2 * safe.side;
  const { orgName, date, qrText } = board.endCard;
  const withCode = Boolean(qrText && qrUrl);
  const org = fitText({ text: orgName, font: fonts.bold, maxWidth, maxHeight: portrait ? 300 : withCode ? 150 : 220, startSize: portrait ? 76 : 68, minSize: 44, lineHeight: 1.3, path: 'endCard.orgName' });
  const when = fitText({ text: date, font: fonts.medium, maxWidth, maxHeight: 90, startSize: portrait ? 48 : 42, minSize: 32, path: 'endCard.date' });
  const qrPad = 28;
  const codeSize = withCode ? (portrait ? 420 : 300) : 0;
  const qr = qrText ? fitText({ text: qrText, font: fonts.medium, maxWidth: maxWidth - 2 * qrPad, maxHeight: withCode ? (portrait ? 130 : 60) : portrait ? 240 : 160, startSize: portrait ? 42 : 36, minSize: withCode && !portrait ? 24 : 28, path: 'endCard.qrText' }) : null;
  const gap = withCode && !portrait ? 32 : 48;
  const innerGap = withCode ? 16 : 0;
  const qrBoxH = qr ? codeSize + innerGap + qr.height + 2 * qrPad : 0;
  const total = org.height + gap / 2 + when.height + (qr ? gap + qrBoxH : 0);
  const top = safe.top + (H - safe.top - safe.bottom - total) / 2;
  const whenTop = top + org.height + gap / 2;
  const qrTop = whenTop + when.height + gap;
  const qrBoxW = qr ? Math.max(qr.width, codeSize) + 2 * qrPad : 0;
  const code = withCode ? await qrSvg(qrUrl!, { margin: 1, dark: '#000000', light: '#ffffff' }) : '';
  // the QR's own <svg> nested at its place: its viewBox scales the modules to codeSize pixels
  const codeSvg = withCode ? code.replace(/^<svg /, `<svg x="${(W - codeSize) / 2}" y="${qrTop + qrPad}" width="${codeSize}" height="${codeSize}" `) : '';
  const svg =
    svgOpen(W, H) +
    backgroundSvg(W, H) +
    textLines(org, W / 2, top, 700, '#fff') +
    textLines(when, W / 2, whenTop, 500, '#fde9c8') +
    (qr ? `<rect x="${(W - qrBoxW) / 2}" y="${qrTop}" width="${qrBoxW}" height="${qrBoxH}" rx="16" fill="#fff" fill-opacity="${withCode ? 1 : 0.92}"/>` + codeSvg + textLines(qr, W / 2, qrTop + qrPad + codeSize + innerGap, 500, '#5c0f0b') : '') +
    '</svg>';
  await sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toFile(file);
}
