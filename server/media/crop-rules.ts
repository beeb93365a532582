/** The cover crop's presets and geometry: plain functions, no zod and no Node imports (the editor's client bundles them). */

/** The editor's aspect presets (width / height); `free` keeps whatever rectangle was drawn. */
export const CROP_ASPECTS = { '16:9': 16 / 9, '2.35:1': 2.35, '1:1': 1, free: null } as const;
export type CropAspect = keyof typeof CROP_ASPECTS;
export const CROP_ASPECT_LABELS: Record<CropAspect, string> = { '16:9': '16:9（网站封面）', '2.35:1': '2.35:1（微信封面）', '1:1': '1:1（方图）', free: '自由' };
/** WeChat's cover size (draft/add thumb): 900×383, 2.35:1. */
export const WECHAT_COVER = { width: 900, height: 383, aspect: 2.35 } as const;

/** A crop as the editor sends it (checked by CoverCropInputSchema in crop-schema.ts). */
export interface CoverCropInput {
  aspect: CropAspect;
  x: number;
  y: number;
  width: number;
  height: number;
  focusX: number;
  focusY: number;
}

/** The rectangle's edges against the image (pure: the client clamps with it, the server refuses with it). */
export function cropEdgeIssues(crop: CoverCropInput, image: { width: number; height: number }): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (crop.x + crop.width > image.width) issues.push({ path: 'coverCrop.width', message: `封面裁剪：区域超出图片右边（左边距 ${crop.x} + 宽度 ${crop.width} > 图片宽 ${image.width} 像素）` });
  if (crop.y + crop.height > image.height) issues.push({ path: 'coverCrop.height', message: `封面裁剪：区域超出图片下边（上边距 ${crop.y} + 高度 ${crop.height} > 图片高 ${image.height} 像素）` });
  const ratio = CROP_ASPECTS[crop.aspect];
  if (ratio && Math.abs(crop.width - crop.height * ratio) > Math.max(1, ratio) + 0.5) {
    issues.push({ path: 'coverCrop.height', message: `封面裁剪：宽 ${crop.width}、高 ${crop.height} 不是所选的 ${crop.aspect} 比例` });
  }
  return issues;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The largest `aspect` window inside `rect`, centred on the focal point (fractions of the whole
 * image `image`) as far as the rectangle's edges allow.
 */
export function focusWindow(rect: Rect, focus: { x: number; y: number }, image: { width: number; height: number }, aspect: number): Rect {
  let width = rect.width;
  let height = Math.round(width / aspect);
  if (height > rect.height) {
    height = rect.height;
    width = Math.min(rect.width, Math.round(height * aspect));
  }
  width = Math.max(1, width);
  height = Math.max(1, height);
  const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
  const left = clamp(Math.round(focus.x * image.width - width / 2), rect.left, rect.left + rect.width - width);
  const top = clamp(Math.round(focus.y * image.height - height / 2), rect.top, rect.top + rect.height - height);
  return { left, top, width, height };
}

