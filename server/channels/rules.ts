/**
 * The channel rules, in one place for the editor's counters, the submit gate in the API and the
 * exporters (no Node imports: this module is bundled into the workbench's client script too).
 *
 * - WeChat: the article title (the WeChat short title, else the title) ≤ 32 characters, the digest
 *   (else the summary) ≤ 128 characters.
 * - Weibo: the post the export writes is `<text> #话题##话题# <link>`; the whole post, counted the
 *   Weibo way (weibo-count.ts: a link counts 10), must stay ≤ 140. An editor's own Weibo text must
 *   leave room for the hashtags and the link; without one, the export shortens `【标题】摘要` itself.
 */
import { WEIBO_LIMIT, weiboLength } from '../exports/weibo-count.ts';

export const WECHAT_TITLE_MAX = 32;
export const WECHAT_DIGEST_MAX = 128;
export { WEIBO_LIMIT };

/** What the rules look at: the editable fields of an item (drafts may hold anything). */
export interface ChannelFields {
  title: string;
  summary?: string | undefined;
  tags?: readonly string[] | undefined;
  variants?: { wechat?: { title?: string | undefined; digest?: string | undefined } | undefined; weibo?: { text?: string | undefined } | undefined } | undefined;
}

export interface ChannelIssue {
  /** Dotted field path, as in the API's validation issues. */
  path: string;
  /** For people, in Chinese, naming the field. */
  message: string;
  /** Shown to editors and reviewers but not refused: the item's own title is too long for WeChat and no WeChat title was written (the WeChat export asks for one then). */
  warning?: true;
}

const chars = (s: string) => [...s].length;
/** Strips characters XML cannot carry (same rule as feeds/text.ts cleanText). */
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');

/** `#话题#` for each tag, as the Weibo export appends them. */
export const weiboHashtags = (tags: readonly string[] = []) => tags.map((t) => clean(t).trim()).filter(Boolean).map((t) => `#${t.replace(/#/g, '')}#`);

/** The tail the Weibo export appends after the text: ` #话题#… <link>`. Any http(s) link counts the same, so a placeholder works before the page exists. */
export function weiboTail(tags: readonly string[] = [], link = 'https://t.cn/xxxxxxx', count = tags.length): string {
  const hashtags = weiboHashtags(tags).slice(0, count);
  return ` ${hashtags.join('')}${hashtags.length ? ' ' : ''}${link}`;
}

/** The effective WeChat title and digest, as the WeChat package will carry them. */
export const wechatTitleOf = (item: ChannelFields) => clean(item.variants?.wechat?.title?.trim() || item.title.trim());
export const wechatDigestOf = (item: ChannelFields) => clean(item.variants?.wechat?.digest?.trim() || item.summary?.trim() || item.title.trim());

/** Length of the Weibo post the export will write from an editor's own text (hashtags and link included). */
export const weiboPostLength = (text: string, tags: readonly string[] = []) => weiboLength(clean(text).replace(/\s+/g, ' ').trim() + weiboTail(tags));

/** Every channel rule the item breaks now; empty when it may go out. */
export function channelIssues(item: ChannelFields): ChannelIssue[] {
  const issues: ChannelIssue[] = [];
  const ownTitle = Boolean(item.variants?.wechat?.title?.trim());
  const title = chars(wechatTitleOf(item));
  if (title > WECHAT_TITLE_MAX) {
    if (ownTitle) issues.push({ path: 'variants.wechat.title', message: `微信标题最多 ${WECHAT_TITLE_MAX} 个字，现在 ${title} 个字，请删减 ${title - WECHAT_TITLE_MAX} 个字` });
    else issues.push({ path: 'title', message: `标题 ${title} 个字，超过微信标题上限 ${WECHAT_TITLE_MAX} 个字：发到公众号前请在“渠道版本”中填写微信标题`, warning: true });
  }
  const ownDigest = Boolean(item.variants?.wechat?.digest?.trim());
  const digest = chars(wechatDigestOf(item));
  if (ownDigest && digest > WECHAT_DIGEST_MAX) {
    issues.push({ path: 'variants.wechat.digest', message: `微信摘要最多 ${WECHAT_DIGEST_MAX} 个字，现在 ${digest} 个字，请删减 ${digest - WECHAT_DIGEST_MAX} 个字` });
  }
  const text = item.variants?.weibo?.text?.trim();
  if (text) {
    const length = weiboPostLength(text, item.tags);
    if (length > WEIBO_LIMIT) {
      const tail = weiboLength(weiboTail(item.tags));
      issues.push({ path: 'variants.weibo.text', message: `微博正文连同导出时附加的话题和链接（${tail} 字）共 ${length} 字，超过 ${WEIBO_LIMIT} 字，请删减 ${length - WEIBO_LIMIT} 字` });
    }
  }
  return issues;
}
