import { z } from 'zod';

export const WechatImageSchema = z.object({
  /** Text in `content` a sync tool replaces with the URL WeChat returns from uploadimg. */
  placeholder: z.string(),
  /** Absolute URL of the re-encoded file, ready to upload. */
  url: z.string(),
  /** File name inside the export folder. */
  file: z.string(),
  type: z.enum(['image/jpeg', 'image/png']),
  bytes: z.number().int().max(1024 * 1024 - 1),
  width: z.number().int(),
  height: z.number().int(),
});

/** One entry of WeChat draft/add `articles[]`, plus the images to upload first. */
export const WechatArticleSchema = z.object({
  title: z.string().max(32),
  author: z.string().max(16),
  digest: z.string().max(128),
  content: z.string().max(19_999),
  content_source_url: z.string(),
  thumb: WechatImageSchema,
  images: z.array(WechatImageSchema),
});
export const WechatPackageSchema = z.object({ articles: z.array(WechatArticleSchema).length(1) });
export type WechatImage = z.infer<typeof WechatImageSchema>;
export type WechatPackage = z.infer<typeof WechatPackageSchema>;

export const WeiboPackageSchema = z.object({
  text: z.string(),
  long_text: z.string(),
  images: z.array(z.string()).max(9),
});
export type WeiboPackage = z.infer<typeof WeiboPackageSchema>;
