/**
 * Cover crops and focal points. The editor stores a crop as data on the item (a rectangle in the
 * pixels of the uploaded image, an aspect preset and a focal point), never as a new file per drag;
 * sharp cuts the image when the site snapshot and the WeChat package are produced: `extract` the
 * rectangle, then, where a channel forces its own aspect (WeChat's 2.35:1 cover), the largest window
 * of that aspect inside the rectangle, centred on the focal point as far as the edges allow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.ts';
import { readMediaImage } from '../publish/pictures.ts';
import { loadSharp } from './sharp.ts';
import { storeImage } from './service.ts';
import type { MediaImage } from './schema.ts';
import { cropEdgeIssues, focusWindow, type CoverCropInput, type Rect } from './crop-rules.ts';

export { WECHAT_COVER } from './crop-rules.ts';

/**
 * The crop an edit leaves on an item: checked against the uploaded cover's stored size. A crop needs
 * a cover the media service stored (its pixels are known); 400 naming the field otherwise.
 */
export function checkCoverCrop(dataDir: string, cover: string | undefined, crop: CoverCropInput): CoverCropInput {
  const image = cover ? readMediaImage(dataDir, cover) : undefined;
  if (!image) throw ValidationError.field('coverCrop', '封面裁剪：只有上传的封面图才能裁剪，请先上传封面');
  const issues = cropEdgeIssues(crop, image);
  if (issues.length) throw new ValidationError(issues);
  return crop;
}

const rectOf = (crop: CoverCropInput | undefined, image: MediaImage): Rect =>
  crop ? { left: crop.x, top: crop.y, width: Math.min(crop.width, image.width - crop.x), height: Math.min(crop.height, image.height - crop.y) } : { left: 0, top: 0, width: image.width, height: image.height };

const fullFile = (dataDir: string, image: MediaImage) => join(dataDir, image.src.slice(1));

/**
 * The cropped cover as a stored media image of its own (content-addressed: the same crop of the
 * same image is stored once), with the usual WebP/JPEG variants; undefined when `src` is not an
 * uploaded image. Runs when an item is published, not while the editor drags.
 */
export async function storeCroppedCover(dataDir: string, src: string, crop: CoverCropInput, now?: Date): Promise<MediaImage | undefined> {
  const image = readMediaImage(dataDir, src);
  if (!image || cropEdgeIssues(crop, image).length) return undefined;
  const rect = rectOf(crop, image);
  if (rect.left === 0 && rect.top === 0 && rect.width === image.width && rect.height === image.height) return image;
  const sharp = await loadSharp();
  const cut = sharp(readFileSync(fullFile(dataDir, image)), { failOn: 'error' }).extract(rect);
  // lossless for PNG sources; a high-quality JPEG otherwise (storeImage re-encodes the variants)
  const data = image.format === 'png' || image.format === 'gif' ? await cut.png().toBuffer() : await cut.jpeg({ quality: 92 }).toBuffer();
  return (await storeImage({ dataDir, data, fileName: 'cover-crop', now })).image;
}

/**
 * The cover for a channel that forces an aspect (WeChat: 900×383): the stored crop, or the whole
 * image, narrowed to that aspect around the focal point, resized; JPEG. Undefined when `src` is not
 * an uploaded image.
 */
export async function forcedAspectCover(dataDir: string, src: string, crop: CoverCropInput | undefined, out: { width: number; height: number }): Promise<Buffer | undefined> {
  const image = readMediaImage(dataDir, src);
  if (!image) return undefined;
  const usable = crop && !cropEdgeIssues(crop, image).length ? crop : undefined;
  const window = focusWindow(rectOf(usable, image), { x: usable?.focusX ?? 0.5, y: usable?.focusY ?? 0.5 }, image, out.width / out.height);
  const sharp = await loadSharp();
  return sharp(readFileSync(fullFile(dataDir, image)), { failOn: 'error' })
    .extract(window)
    .resize({ width: out.width, height: out.height, fit: 'fill' })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 85, mozjpeg: true })
    .toBuffer();
}
