import type QRCodeModule from 'qrcode';

let loading: Promise<typeof QRCodeModule> | undefined;
/** qrcode is loaded on first use, not at server start-up. */
const loadQr = () => (loading ??= import('qrcode').then((m) => (m as { default?: typeof QRCodeModule }).default ?? (m as typeof QRCodeModule)));

/** A QR code of `text` as a standalone SVG (dark modules as one path; quiet zone included). */
export async function qrSvg(text: string, { margin = 2, dark = '#000000', light = '#ffffff' } = {}): Promise<string> {
  return (await loadQr()).toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin, color: { dark, light } });
}

/** A QR code of `text` as a PNG of about `size` pixels. */
export async function qrPng(text: string, size = 480): Promise<Buffer> {
  return (await loadQr()).toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: size });
}
