import { charBigrams, normalizeText } from './text.ts';

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
  const kept = parts.map((p) => p.replace(BOILERPLATE_RE, ' ')).filter((p, i) => i === parts.length - 1 || !EMPTY_COMMENT_RE.test(p.replace(MENTION_RE, '')));
  const body = kept
    .join('。')
    .replace(MENTION_RE, ' ')
    .replace(BOILERPLATE_RE, ' ')
    .replace(EMOTICON_RE, ' ')
    .replace(EMOJI_RE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { body, hashtags };
}

const SENTENCE_END_RE = /(?<=[。！？!?；;…\n])/u;
// A sentence shorter than this (in Han characters) is a phrase anyone may write (太危险了), not a repeated paragraph.
const MIN_SENTENCE_HAN = 8;

/** Sentences of a cleaned body, split after 。！？; and line breaks. */
export function sentencesOf(body: string): string[] {
  return body.split(SENTENCE_END_RE).map((s) => s.trim()).filter(Boolean);
}

/** The form a sentence is compared in: normalised, and only if long enough to be a repeated paragraph. */
export function sentenceKey(sentence: string): string | undefined {
  const key = normalizeText(sentence);
  return (key.match(/\p{Script=Han}/gu)?.length ?? 0) >= MIN_SENTENCE_HAN ? key : undefined;
}

export interface FillerOptions {
  /** A sentence must be in at least this many distinct posts to be considered. */
  minPosts: number;
  /** The posts' other sentences are filler context when their mean pairwise bigram Jaccard stays below this. */
  maxResidualSimilarity: number;
  /** A sentence naming a specific place or organisation is a claim, never filler. */
  isSpecific?: (sentence: string) => boolean;
}

export const DEFAULT_FILLER: FillerOptions = { minPosts: 3, maxResidualSimilarity: 0.12 };

/**
 * Filler: sentences that several posts repeat word for word around DIFFERENT claims ("这几天的暴雨真是几十年一遇…",
 * "希望有关部门能看到，也请大家帮忙转一下"). The test is the company a sentence keeps, not a list: a claim copied
 * from post to post either is the whole post or comes with more of the same claim; filler comes with posts
 * whose other sentences have little in common. Returns the sentence keys (see `sentenceKey`) to drop.
 */
export function fillerSentences(bodies: readonly string[], options: FillerOptions = DEFAULT_FILLER): Set<string> {
  // Each distinct post once: fifty copies of one post do not make its sentences common.
  const distinct = new Map<string, string[]>();
  for (const body of bodies) {
    const keys = sentencesOf(body).map((s) => sentenceKey(s) ?? s);
    distinct.set(keys.join('\u0000'), keys);
  }
  const posts = [...distinct.values()];
  const postsOf = new Map<string, number[]>();
  posts.forEach((keys, i) => {
    for (const key of new Set(keys)) if (key.length >= MIN_SENTENCE_HAN) (postsOf.get(key) ?? postsOf.set(key, []).get(key)!).push(i);
  });
  const repeated = new Set([...postsOf].filter(([key, list]) => list.length >= options.minPosts && sentenceKey(key) === key).map(([key]) => key));
  if (repeated.size === 0) return repeated;
  // What each post says besides its repeated sentences.
  const residual = posts.map((keys) => charBigrams(keys.filter((k) => !repeated.has(k)).join('')));
  const filler = new Set<string>();
  for (const key of repeated) {
    const list = postsOf.get(key)!;
    const others = list.filter((i) => residual[i]!.size >= MIN_SENTENCE_HAN).slice(0, 24);
    // Mostly alone in its posts: the sentence is what those posts say.
    if (others.length < 2 || others.length * 2 < list.length) continue;
    if (options.isSpecific?.(key)) continue;
    let sum = 0;
    let count = 0;
    for (let a = 0; a < others.length; a++) for (let b = a + 1; b < others.length; b++) {
      sum += jaccard(residual[others[a]!]!, residual[others[b]!]!);
      count++;
    }
    if (sum / count < options.maxResidualSimilarity) filler.add(key);
  }
  return filler;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let common = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) common++;
  return common / (a.size + b.size - common || 1);
}
