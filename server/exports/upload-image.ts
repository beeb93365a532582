import type { Metadata } from 'sharp';
import { loadSharp } from '../media/sharp.ts';
import { MediaError } from '../errors.ts';

export const WECHAT_IMAGE_LIMIT = 1024 * 1024;

export interface UploadImage {
  data: Buffer;
  type: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

/**
 * Makes an image WeChat's uploadimg takes: JPEG or PNG under 1 MB, at most 1080 px wide. Files
 * that already qualify pass unchanged; others are re-encoded as JPEG at falling quality.
 */
export async function prepareUploadImage(input: Buffer, field: string): Promise<UploadImage> {
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (cause) {
    throw new MediaError(422, `${field}: 图片无法读取`, { cause });
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if ((meta.format === 'jpeg' || meta.format === 'png') && input.length < WECHAT_IMAGE_LIMIT && width <= 1080) {
    return { data: input, type: meta.format === 'png' ? 'image/png' : 'image/jpeg', width, height };
  }
  for (const quality of [82, 70, 58, 45]) {
    const { data, info } = await sharp(input, { animated: false })
      .rotate()
      .resize({ width: 1080, withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    if (data.length < WECHAT_IMAGE_LIMIT) return { data, type: 'image/jpeg', width: info.width, height: info.height };
  }
  throw new MediaError(422, `${field}: 图片压缩到 1 MB 以下失败`);
}
