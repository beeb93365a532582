import { z } from 'zod';
import { hasControlChars, hasXmlInvalid } from './text.ts';
import { isSafeUrl, SAFE_URL_MESSAGE } from './url.ts';

/** Refinement for multi-line text (summaries, evidence, notes): nothing XML cannot carry (U+FFFF, NUL, …). */
export const xmlSafe = (s: string) => !hasXmlInvalid(s);
export const XML_SAFE_MESSAGE = '含有无法发布的控制字符或非字符（如 U+FFFF），请删除后重试';
/** Refinement for single-line text (titles, tags, names): no line breaks or control characters either. */
export const lineSafe = (s: string) => !hasControlChars(s);
export const LINE_SAFE_MESSAGE = '不能含换行、制表符等控制字符或非字符（如 U+FFFF）';

/** Every URL an editor writes (cover, sources): the body-link rule. */
export const SafeUrlSchema = z.string().trim().max(2000).refine(isSafeUrl, SAFE_URL_MESSAGE);

/** A tag: one short line that can also be a path segment's source (no slashes, not only dots). */
export const TagSchema = z
  .string()
  .trim()
  .min(1)
  .max(20, '标签最多 20 个字')
  .refine(lineSafe, LINE_SAFE_MESSAGE)
  .refine((t) => !/[/\\?#%<>"'`]/.test(t) && !/^\.+$/.test(t), '标签不能含 / \\ ? # % 引号或尖括号，也不能只有点');
