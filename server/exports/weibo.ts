import type { PublishedItem } from '../publish/schema.ts';
import { cardPath } from '../publish/body-html.ts';
import { kindWeibo } from '../kinds/registry.ts';
import { cleanText, htmlToText } from '../feeds/text.ts';
import { weiboLength, truncateWeibo, WEIBO_LIMIT, WEIBO_LONG_LIMIT } from './weibo-count.ts';
import type { WeiboPackage } from './schema.ts';

/** Site-local image paths in body HTML (`/media/...`), in order. */
export function bodyImagePaths(html: string): string[] {
  return [...html.matchAll(/<img\b[^>]*\bsrc="(\/media\/[^"]+)"/g)].map((m) => m[1]!);
}

/** Builds the Weibo post for an item: ≤ 140 Weibo characters with #话题# tags and the page link. */
export function buildWeiboPackage({ item, siteUrl }: { item: PublishedItem; siteUrl: string }): WeiboPackage {
  const link = new URL(item.url, siteUrl).href;
  const lead = cleanText(item.variants.weibo?.text || `【${item.title}】${item.summary}`).replace(/\s+/g, ' ').trim();
  const tags = item.tags.map((t) => `#${cleanText(t).replace(/#/g, '')}#`);
  let text = '';
  // Drop hashtags from the end until the lead keeps at least a few words.
  for (let n = tags.length; n >= 0; n--) {
    const tail = ` ${tags.slice(0, n).join('')}${n ? ' ' : ''}${link}`;
    const room = WEIBO_LIMIT - weiboLength(tail);
    if (room >= Math.min(20, weiboLength(lead)) || n === 0) {
      text = `${truncateWeibo(lead, Math.max(room, 0))}${tail}`;
      break;
    }
  }
  const own = kindWeibo(item);
  const body = cleanText([item.summary, ...own.before, htmlToText(item.bodyHtml), ...own.after].filter(Boolean).join('\n\n'));
  const longTail = `\n\n${tags.join('')} ${link}`;
  const long_text = `【${cleanText(item.title)}】\n${truncateWeibo(body, WEIBO_LONG_LIMIT - weiboLength(`【${cleanText(item.title)}】\n`) - weiboLength(longTail))}${longTail}`;
  const images = [cardPath(item.id), ...bodyImagePaths(item.bodyHtml)].slice(0, 9).map((p) => new URL(p, siteUrl).href);
  return { text, long_text, images };
}
