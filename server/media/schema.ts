import { z } from 'zod';

export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'gif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Largest upload in bytes (10 MB); larger ones get 413. */
export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
/** Widths of the responsive variants (never enlarged). */
export const MEDIA_WIDTHS = [480, 960, 1600] as const;

export const MediaVariantSchema = z.object({ width: z.number().int(), height: z.number().int(), webp: z.string(), jpeg: z.string() });

/** Manifest of a stored image: `<dataDir>/media/<sha[0:2]>/<sha>.json`. */
export const MediaImageSchema = z.object({
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  format: z.enum(IMAGE_FORMATS),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  /** Site path of the full-size copy (metadata stripped, same format; AVIF kept as WebP). */
  src: z.string(),
  variants: z.array(MediaVariantSchema),
  createdAt: z.string(),
});
export type MediaImage = z.infer<typeof MediaImageSchema>;
