import type { AnyKindModule, KindHtml, Published } from './types.ts';
import { createKindRegistry } from './create-registry.ts';
import notice from './notice/index.ts';
import rumorGuide from './rumor-guide/index.ts';
import video from './video/index.ts';

/**
 * Every item kind, in menu order. Adding a kind is a folder `server/kinds/<kind>/` exporting a
 * KindModule and one line here; nothing else in the system names a kind.
 */
export const kindRegistry = createKindRegistry([notice, rumorGuide, video]);

const NONE = { before: [], after: [] };

/** HTML the item's kind adds around its body in `part` (site page, feed, WeChat article). */
export function kindHtml(item: Published, part: keyof AnyKindModule['html']): KindHtml {
  return kindRegistry.find(item.kind)?.html[part](item) ?? NONE;
}

/** Weibo text blocks the item's kind adds before and after the body text. */
export function kindWeibo(item: Published): KindHtml {
  return kindRegistry.find(item.kind)?.weibo(item) ?? NONE;
}
