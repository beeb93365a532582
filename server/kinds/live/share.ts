import type { Deps } from '../../context.ts';
import type { User } from '../../users/schema.ts';
import { renderBodyHtml, type TiptapDoc } from '../../content/tiptap.ts';
import { ConflictError } from '../../errors.ts';
import { cleanText, htmlToText } from '../../feeds/text.ts';
import { truncateWeibo, weiboLength, WEIBO_LIMIT } from '../../exports/weibo-count.ts';
import { itemPath } from '../../content/snapshot.ts';
import { UPDATE_TYPE_LABELS } from './updates-schema.ts';
import { assertCanFollow, getLiveItem, getUpdate } from './service.ts';

/** A Weibo post for one published update: 【type】text, the item's topic and a link to the update, ≤ 140 Weibo characters. */
export async function weiboForUpdate({ deps, actor, id, uid }: { deps: Deps; actor: User; id: string; uid: string }): Promise<{ text: string; length: number; url: string; images: string[] }> {
  const item = await getLiveItem({ deps, id });
  await assertCanFollow(deps, actor, item);
  const update = await getUpdate({ deps, item, uid });
  if (update.state !== 'published') throw new ConflictError('state: 只有已发布的更新可以导出微博文案');
  const url = new URL(`${itemPath(item, deps)}#u-${update.id}`, deps.config.siteUrl).href;
  const topic = `#${cleanText(item.title).replace(/#/g, '').slice(0, 30)}#`;
  const quote = update.question ? `网友问：${update.question.text} ` : '';
  const lead = cleanText(`【${UPDATE_TYPE_LABELS[update.type]}】${quote}${htmlToText(renderBodyHtml(update.body as TiptapDoc))}`).replace(/\s+/g, ' ').trim();
  const tail = ` ${topic} ${url}`;
  const text = `${truncateWeibo(lead, Math.max(0, WEIBO_LIMIT - weiboLength(tail)))}${tail}`;
  const images = update.image ? [new URL(update.image, deps.config.siteUrl).href] : [];
  return { text, length: weiboLength(text), url, images };
}
