/**
 * What a post says once the platform's wrapping is gone: repost chains (转发微博, //@user:), @mentions, links,
 * 网页链接/展开全文 boilerplate, Weibo emoticon codes ([怒]) and emoji. Hashtags are kept apart: they name the
 * subject, but the same few tags sit on posts about very different claims.
 */
export interface CleanPost {
  /** The text to segment. */
  body: string;
  /** Hashtag contents (#…#), lower-cased, without the marks. */
  hashtags: string[];
}

const URL_RE = /(?:https?:\/\/|www\.)[\w\-.~:/?#[\]@!$&'()*+,;=%]+/gi;
const HASHTAG_RE = /[#＃]([^#＃\n]{1,40})[#＃]/g;
const MENTION_RE = /@[\p{L}\p{N}_\-·]{1,30}[:：]?/gu;
const EMOTICON_RE = /\[[\p{Script=Han}a-z]{1,6}\]/giu;
const EMOJI_RE = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{FE0F}\u{200D}]/gu;
// Phrases that platforms or habit add to any post.
const BOILERPLATE_RE = /转发微博|轉發微博|repost|网页链接|展开全文|收起全文|[oO]?網頁鏈接|\S{0,20}的微博视频|原图|查看图片|（以上内容来自网络[^）]*）|来源[:：]网络|仅供参考|求扩散|扩散一下|求转发|转需|转自\S{0,12}/giu;
// The same without its one alternative that starts with any character (…的微博视频): that one makes the engine try
// every position of every post, so it is used only on text that contains the phrase.
const BOILERPLATE_QUICK_RE = /转发微博|轉發微博|repost|网页链接|展开全文|收起全文|[oO]?網頁鏈接|原图|查看图片|（以上内容来自网络[^）]*）|来源[:：]网络|仅供参考|求扩散|扩散一下|求转发|转需|转自\S{0,12}/giu;
const dropBoilerplate = (text: string) => text.replace(text.includes('的微博视频') ? BOILERPLATE_RE : BOILERPLATE_QUICK_RE, ' ');
// What a reposter adds that says nothing about the claim.
const EMPTY_COMMENT_RE = /^[\s\p{P}\p{S}+]*(?:转发|扩散|同问|顶|顶上去|\+1|关注|是真的吗|求关注|真的假的|太惨了|我们那也是|mark|转)?[\s\p{P}\p{S}+]*$/iu;

/** Strip a post to what it says (see module comment). Deterministic, no dictionary. */
export function cleanPost(raw: string): CleanPost {
  let text = raw.normalize('NFKC').toLowerCase().replace(URL_RE, ' ');
  const hashtags: string[] = [];
  text = text.replace(HASHTAG_RE, (_, tag: string) => {
    hashtags.push(tag.trim());
    return ' ';
  });
  // Repost chain: "comment//@a:comment//@b:original". Keep the original and every comment that says something.
  const parts = text.split(/\/\/\s*@[^:：\s]{1,30}[:：]/u);
  const kept = parts.map(dropBoilerplate).filter((p, i) => i === parts.length - 1 || !EMPTY_COMMENT_RE.test(p.replace(MENTION_RE, '')));
  const body = dropBoilerplate(kept.join('。').replace(MENTION_RE, ' '))
    .replace(EMOTICON_RE, ' ')
    .replace(EMOJI_RE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { body, hashtags };
}
