/** The cover crop's zod schemas (the API edge); the presets and geometry are in crop-rules.ts. */
import { z } from 'zod';
import { CROP_ASPECTS, type CropAspect } from './crop-rules.ts';

/** No stored image is wider or taller (50 MP at most); bigger numbers are nonsense, whatever the image. */
const PX_MAX = 1_000_000;
const px = (label: string) => z.number(`封面裁剪：${label}应为数字`).int(`封面裁剪：${label}应为整数像素`);

/**
 * What the editor sends: a rectangle in the uploaded image's pixels and a focal point (0–1 of the
 * image). Strict: any other key (`source`, `__proto__`, `constructor`) is refused, naming it.
 */
export const CoverCropInputSchema = z.strictObject({
  aspect: z.enum(Object.keys(CROP_ASPECTS) as [CropAspect, ...CropAspect[]], '封面裁剪：比例只能是 16:9、2.35:1、1:1 或自由').default('free'),
  x: px('左边距').max(PX_MAX, `封面裁剪：左边距不能大于 ${PX_MAX}`).min(0, '封面裁剪：左边距不能小于 0'),
  y: px('上边距').max(PX_MAX, `封面裁剪：上边距不能大于 ${PX_MAX}`).min(0, '封面裁剪：上边距不能小于 0'),
  width: px('宽度').max(PX_MAX, `封面裁剪：宽度不能大于 ${PX_MAX}`).min(1, '封面裁剪：宽度必须大于 0'),
  height: px('高度').max(PX_MAX, `封面裁剪：高度不能大于 ${PX_MAX}`).min(1, '封面裁剪：高度必须大于 0'),
  focusX: z.number('封面焦点：横向位置应为数字').min(0, '封面焦点：横向位置应在 0 到 1 之间').max(1, '封面焦点：横向位置应在 0 到 1 之间').default(0.5),
  focusY: z.number('封面焦点：纵向位置应为数字').min(0, '封面焦点：纵向位置应在 0 到 1 之间').max(1, '封面焦点：纵向位置应在 0 到 1 之间').default(0.5),
});
/** As stored: a publish snapshot also records the uncropped image (`source`), since its `cover` is the cropped one. */
export const CoverCropSchema = z.object({ ...CoverCropInputSchema.shape, source: z.string().max(2000).optional() });
export type CoverCrop = z.infer<typeof CoverCropSchema>;


