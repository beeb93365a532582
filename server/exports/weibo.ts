import type { PublishedItem } from '../publish/schema.ts';
import { cardPath } from '../publish/body-html.ts';
import { verdicts } from '../publish/json-ld.ts';
import { cleanText, htmlToText } from '../feeds/text.ts';
import { weiboLength, truncateWeibo, WEIBO_LIMIT, WEIBO_LONG_LIMIT } from './weibo-count.ts';
import type { WeiboPackage } from './schema.ts';
import { weiboHashtags, weiboTail } from '../channels/rules.ts';

/** Site-local image paths in body HTML (`/media/...`), in order. */
export function bodyImagePaths(html: string): string[] {
  return [...html.matchAll(/<img\b[^>]*\bsrc="(\/media\/[^"]+)"/g)].map((m) => m[1]!);
}

/** Builds the Weibo post for an item: ≤ 140 Weibo characters with #话题# tags and the page link. */
export function buildWeiboPackage({ item, siteUrl }: { item: PublishedItem; siteUrl: string }): WeiboPackage {
  const link = new URL(item.url, siteUrl).href;
  const lead = cleanText(item.variants.weibo?.text || `【${item.title}】${item.summary}`).replace(/\s+/g, ' ').trim();
  const tags = weiboHashtags(item.tags);
  let text = '';
  // Drop hashtags from the end until the lead keeps at least a few words.
  for (let n = tags.length; n >= 0; n--) {
    const tail = weiboTail(item.tags, link, n);
    const room = WEIBO_LIMIT - weiboLength(tail);
    if (room >= Math.min(20, weiboLength(lead)) || n === 0) {
      text = `${truncateWeibo(lead, Math.max(room, 0))}${tail}`;
      break;
    }
  }
  const claims = item.kind === 'rumor-guide' ? item.claims.map((c) => `【${verdicts[c.verdict].label}】${c.claim}\n${c.evidence}`) : [];
  const tips = item.kind === 'rumor-guide' && item.tips.length ? [`识谣小贴士：\n${item.tips.map((t, i) => `${i + 1}. ${t}`).join('\n')}`] : [];
  const body = cleanText([item.summary, ...claims, htmlToText(item.bodyHtml), ...tips].filter(Boolean).join('\n\n'));
  const longTail = `\n\n${tags.join('')} ${link}`;
  const long_text = `【${cleanText(item.title)}】\n${truncateWeibo(body, WEIBO_LONG_LIMIT - weiboLength(`【${cleanText(item.title)}】\n`) - weiboLength(longTail))}${longTail}`;
  const images = [cardPath(item.id), ...bodyImagePaths(item.bodyHtml)].slice(0, 9).map((p) => new URL(p, siteUrl).href);
  return { text, long_text, images };
}
