import { join } from 'node:path';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { afterAll, describe, expect, test } from 'vitest';
import { renderEndCard } from '../../server/video/text-frame.ts';
import { qrPng, qrSvg } from '../../server/reach/qr.ts';
import { parseStoryboard } from '../../server/video/validate.ts';
import { tempDir } from '../helpers.ts';

const { dir, cleanup } = tempDir('lianxin-qr-');
afterAll(() => cleanup());

/** Decodes the QR code in an image file or buffer (jsQR on the RGBA pixels). */
async function decode(input: string | Buffer): Promise<string | undefined> {
  const { data, info } = await sharp(input).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height)?.data;
}

const board = (format: '9:16' | '16:9', qrText?: string) =>
  parseStoryboard(
    {
      format,
      titleCard: { title: '校车安全，我们这样做', seconds: 2 },
      scenes: [{ text: '新增 12 辆校车', seconds: 3 }],
      endCard: { orgName: '共青团盐城市亭湖区委员会 · 亭湖区青年网络文明志愿者协会', date: '2026年11月24日', ...(qrText ? { qrText } : {}), seconds: 3 },
    },
    'storyboard',
  );

describe('QR codes of short links', () => {
  test('the SVG and PNG codes decode back to the link', async () => {
    const url = 'https://lianxin.example.cn/r/Kx7mQ2p';
    expect(await decode(await qrPng(url))).toBe(url);
    expect(await decode(await sharp(Buffer.from(await qrSvg(url))).resize(400).png().toBuffer())).toBe(url);
  });

  for (const format of ['9:16', '16:9'] as const) {
    test(`the ${format} end card carries a scannable QR code of the short link`, async () => {
      const url = `https://lianxin.example.cn/r/${format === '9:16' ? 'Pq3Rs8t' : 'Zz9Yx2w'}`;
      const file = join(dir, `end-${format.replace(':', 'x')}.jpg`);
      await renderEndCard(board(format, '扫码查看全文和更多回应'), file, url);
      const meta = await sharp(file).metadata();
      expect([meta.width, meta.height]).toEqual(format === '9:16' ? [1080, 1920] : [1920, 1080]);
      expect(await decode(file)).toBe(url);
    });
  }

  test('without qrText the end card has no code, as before', async () => {
    const file = join(dir, 'end-plain.jpg');
    await renderEndCard(board('9:16'), file, 'https://lianxin.example.cn/r/Aa2Bb3c');
    expect(await decode(file)).toBeUndefined();
  });
});
