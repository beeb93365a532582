import { cleanText } from './text.ts';

// Words that appear in almost every post and say nothing about its subject.
const STOPWORDS = new Set(
  ('的 了 是 在 我 你 他 她 它 我们 你们 他们 咱们 这 那 这个 那个 这些 那些 这里 那里 什么 怎么 怎么办 为什么 有没有 没有 一个 一下 ' +
    '还是 就是 已经 现在 真的 大家 希望 请问 问问 相关 部门 相关部门 能不能 可以 不能 不是 还有 这样 那么 因为 所以 但是 而且 如果 ' +
    '或者 一直 每天 非常 特别 太 很 都 也 又 就 还 吗 呢 吧 啊 呀 哦 嘛 哈哈 转发 扩散 求助 有人 知道 一些 时候 今天 昨天 最近 ' +
    '问题 情况 反映 大家好 谢谢 麻烦 领导 管管 有关 看看 到底 是不是 怎么回事 网友 市民 盐城 盐城市 我家 这边 那边 附近 还要 能否 是否')
    .split(' '),
);

const HAN_RUN_RE = /\p{Script=Han}{2,}/gu;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Features of a text for grouping: dictionary words from Intl.Segmenter (prefix `w:`) and character bigrams of
 * Chinese runs (prefix `b:`), which catch words the segmenter splits (亭|湖) and paraphrases that share morphemes.
 */
export function tokenize(text: string): string[] {
  const cleaned = cleanText(text);
  const tokens: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(cleaned)) {
    if (!isWordLike || STOPWORDS.has(segment)) continue;
    if (/^\d+$/.test(segment)) continue;
    if (segment.length >= 2) tokens.push(`w:${segment}`);
  }
  for (const run of cleaned.match(HAN_RUN_RE) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) {
      const bigram = run.slice(i, i + 2);
      if (!STOPWORDS.has(bigram)) tokens.push(`b:${bigram}`);
    }
  }
  return tokens;
}
