import sharp from 'sharp';

/**
 * 1600×800: the left half red; the right half blue above y = 400 and green below. A crop of the
 * right half must never show red; WeChat's 2.35:1 window follows the focal point up or down.
 */
export async function colourRegions(): Promise<Buffer> {
  const half = (r: number, g: number, b: number, height: number) => ({ create: { width: 800, height, channels: 3 as const, background: { r, g, b } } });
  return sharp(half(220, 0, 0, 800))
    .resize(1600, 800, { fit: 'contain', position: 'left', background: '#000' })
    .composite([
      { input: await sharp(half(0, 0, 220, 400)).png().toBuffer(), left: 800, top: 0 },
      { input: await sharp(half(0, 200, 0, 400)).png().toBuffer(), left: 800, top: 400 },
    ])
    .png()
    .toBuffer();
}

type Rgb = [number, number, number];
export async function pixel(file: Buffer, x: number, y: number): Promise<Rgb> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (Math.round(y) * info.width + Math.round(x)) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}
export const isRed = ([r, g, b]: Rgb) => r > 150 && g < 80 && b < 80;
export const isBlue = ([r, g, b]: Rgb) => b > 150 && r < 80 && g < 80;
export const isGreen = ([r, g, b]: Rgb) => g > 140 && r < 80 && b < 80;

