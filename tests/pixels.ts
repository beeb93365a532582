import sharp from 'sharp';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Mean absolute difference (0–255) of the grey pixels of two images inside a box: how much a render changed there. */
export async function greyDiff(a: Buffer, b: Buffer, box: Box): Promise<number> {
  const grey = (buf: Buffer) => sharp(buf).extract(box).greyscale().raw().toBuffer();
  const [x, y] = await Promise.all([grey(a), grey(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}
