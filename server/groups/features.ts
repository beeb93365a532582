import { cleanPost } from './clean.ts';
import { coarsePlaces, knownPlaces } from './places.ts';
import { canonicalWords, initialsWords, problemKinds } from './problems.ts';
import { segmenter } from './segment.ts';

const KNOWN_PLACES = knownPlaces();
// A city, district or county names a region, not the specific spot a claim is about.
const COARSE_PLACES = coarsePlaces();

/**
 * Feature → raw count-like weight for one post. Prefixes: `w:` word, `e:` specific entity, `p:` problem kind
 * (see problems.ts), `b:` character bigram, `s:` a word the post says in another form (冇电 or td → 停电: weighed as
 * a word, never shown as one).
 */
export type Features = Map<string, number>;

// Words that appear in almost any post and say nothing about its subject; IDF handles the rest.
const STOPWORDS = new Set(
  ('的 了 是 在 我 你 他 她 它 我们 你们 他们 咱们 这 那 这个 那个 这些 那些 这里 那里 什么 怎么 怎么办 为什么 有没有 没有 一个 一下 ' +
    '还是 就是 已经 现在 真的 大家 希望 请问 问问 相关 部门 相关部门 能不能 可以 不能 不是 还有 这样 那么 因为 所以 但是 而且 如果 ' +
    '或者 一直 每天 非常 特别 太 很 都 也 又 就 还 吗 呢 吧 啊 呀 哦 嘛 哈哈 转发 扩散 求助 有人 知道 一些 时候 今天 昨天 最近 ' +
    '问题 情况 反映 大家好 谢谢 麻烦 领导 管管 有关 看看 到底 是不是 怎么回事 网友 市民 我家 这边 那边 附近 还要 能否 是否 ' +
    '么得 啥 咋 不晓得 蛮 港 忒 这会子 滴 再 以经 一点 到现在 谁来 谁 哪 哪里 多久 一样 起来 出来 下去 过去 东西 人 事 说 要 会 能 想 去 来 看 给 让 被 把')
    .split(' '),
);

// Suffixes that close a place name: the segmenter cuts 青年|路 and 计|桥|村, we put them back together.
const PLACE_SUFFIX = new Set('路 街 道 巷 镇 乡 村 组 区 县 市 桥 河 港 闸 湖 城 园 苑 府 湾 站 厂 场 馆 庄 中心 港湾 社区 小区 花园 新村 家园 中学 小学 大学 医院 超市 广场 公园 大道 街道 地道 下穿 涵洞 桥洞 通道 菜场 菜市场 安置点 救助站 体育馆 礼堂 敬老院 公寓 大厦 商城 市场 农贸市场 幼儿园 学院 卫生院 派出所 地铁站 公交站'.split(' '));
// Last characters that end a named place or institution in one token (解放路, 盘湾镇, 市三院); 地下通道 or 停车场 are kinds
// of places, not names.
const NAMED_END = new Set('路 街 镇 乡 村 县 桥 河 港 闸 湖 湾 庄 院'.split(' '));
// Last characters of two-character facility words that can close a place name (水厂, 车站, 菜园, and the estate names
// developers give compounds: 华庭, 雅苑, 官邸).
const FACILITY_END = new Set('厂 馆 站 园 苑 庭 邸 府 城 湾 桥 村 镇 闸 库'.split(' '));
// Words that may not start a place name.
const NOT_PLACE = new Set('就 才 又 别的 其他 其它 整个 隔壁 好多 很多 几个 所有 同一 各个 本 该 我们 你们 他们 咱们 这个 那个 哪个 每个 一个 说 问 听 看 住 在 对 向 给 让 叫 去 的 了 在 走 上 下 这 那 条 个 到 从 去 过 往 沿 和 与 及 是 有 被 把 我 你 他 们 家 边 里 前 后 旁 一 两 路过 附近 整条 这条 那条 马路 公路 道路 小 大 老 新 全 都 也 还'.split(' '));

// Estate and compound names the segmenter keeps whole (碧桂园, 星河湾 …) end like these; the generic words below do not name one.
const ESTATE_END = new Set('园 苑 城 府 庭 邸'.split(' '));
const GENERIC_ESTATE = new Set('幼儿园 动物园 植物园 游乐园 公园 产业园 工业园 科技园 创业园 菜园 果园 校园 家园 花园 庄园 陵园 墓园 乐园 美食城 科技城 影城 商城 政府 市政府 区政府 县政府 镇政府 王府 新城 老城 县城 省城 进城 全城 满城 京城'.split(' '));

function isEstateName(t: string): boolean {
  return t.length >= 3 && t.length <= 5 && ESTATE_END.has(t.slice(-1)) && !GENERIC_ESTATE.has(t) && !GENERIC_ESTATE.has(t.slice(-2)) && !GENERIC_ESTATE.has(t.slice(-3)) && !LEADING_WORD.has(t[0]!);
}

// Function words that, glued to a word ending in a place character, start no place (就跳闸, 还在村).
const LEADING_WORD = new Set('就 才 又 也 都 还 要 会 能 没 不 被 把 去 到 从 在 往 再'.split(' '));
// Verbs that end in a place character without naming a place (就跳闸, 去逛街, 要过河).
const ACTION_END_RE = /(?:跳闸|拉闸|开闸|关闸|逛街|上街|过桥|过河|下河|进村|出村|回村|住院|出院)$/u;

const HAN_RE = /^\p{Script=Han}+$/u;
const ASCII_WORD_RE = /^[a-z0-9]{2,12}$/;
const NUMBERED_RE = /^(?:\d{1,4}|[一二两三四五六七八九十百]{1,3})(?:号楼|号|栋|幢|单元|楼|层|路|组|队|排)$/u;

// Generic heads a place is named with or without (高作镇 / 高作, 世纪新城小区 / 世纪新城): one place, one entity.
const GENERIC_HEAD_RE = /(?:小区|社区)$/u;

/** The entity key of a place name: without a generic head (小区, 社区, 街道, 镇, 乡) when at least two characters are left. */
export function placeKey(name: string): string {
  const bare = name.replace(GENERIC_HEAD_RE, "");
  return bare.length >= 2 && !NOT_PLACE.has(bare) && !STOPWORDS.has(bare) ? bare : name;
}

function addEntity(out: Features, name: string, scale: number): void {
  addFeature(out, `e:${placeKey(name)}`, scale);
}

function addFeature(out: Features, key: string, weight: number): void {
  out.set(key, (out.get(key) ?? 0) + weight);
}

/** Words, specific entities, problem kinds and character bigrams of one post (after `cleanPost`). */
export function extractFeatures(raw: string): Features {
  const { body: text, hashtags } = cleanPost(raw);
  const out: Features = new Map();
  addText(out, text, 1);
  // Topic first: the words and places of the first clause count twice (泡水车理赔 / 大棚农业保险 in one template).
  const lead = leadClause(text);
  if (lead) {
    const head: Features = new Map();
    addText(head, lead, LEAD_WEIGHT);
    for (const [k, v] of head) if (/^[we]:/.test(k)) addFeature(out, k, v);
  }
  // Pinyin initials of a complaint word (td, ts, tq) read as the word itself, for its problem kind and family.
  const spelled = initialsWords(text);
  for (const word of spelled) if (!out.has(`w:${word}`)) addFeature(out, `s:${word}`, 1);
  const body = spelled.length > 0 ? `${text} ${spelled.join(' ')}` : text;
  // The family word of every form (冇电, 断电 and 停电 itself → s:停电), so that all of them share it; its problem
  // kind is the post's too (冇电 → power).
  const canonical = canonicalWords(body);
  for (const word of canonical) if (!out.has(`s:${word}`)) addFeature(out, `s:${word}`, 1);
  for (const kind of problemKinds(canonical.length > 0 ? `${body} ${canonical.join(' ')}` : body)) addFeature(out, `p:${kind}`, 1);
  // A hashtag names a subject but is pasted on many posts: half weight.
  for (const tag of hashtags) addText(out, tag, 0.5);
  return out;
}

/** Extra weight of the first clause's words and places: 1 (dev F1 0.798 → 0.809, test 0.837 → 0.849, city 0.612 → 0.660). */
const LEAD_WEIGHT = 1;

/** The post's first clause of four characters or more: where a topic-first language puts the subject. */
function leadClause(text: string): string | undefined {
  return text.split(/[,.。!?;:、\n~…，！？；：\s]+/u).find((c) => c.replace(/[^\p{Script=Han}a-z0-9]/gu, '').length >= 4);
}

function addText(out: Features, text: string, scale: number): void {
  if (!text) return;
  const tokens = segmenter().cut(text).map((t) => t.trim()).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (HAN_RE.test(t)) {
      if (t.length >= 2 && !STOPWORDS.has(t)) addFeature(out, `w:${t}`, scale);
      if (!COARSE_PLACES.has(t) && (KNOWN_PLACES.has(t) || isEstateName(t) || (t.length >= 3 && NAMED_END.has(t.slice(-1)) && !LEADING_WORD.has(t[0]!) && !ACTION_END_RE.test(t)))) addEntity(out, t, scale);
      // The segmenter takes the name's last character with the suffix as a word of its own (东|进路, 范|公路).
      const before = tokens[i - 1];
      if (t.length === 2 && NAMED_END.has(t[1]!) && before && before.length === 1 && HAN_RE.test(before) && !NOT_PLACE.has(before) && !STOPWORDS.has(before)) {
        const place = before + t;
        if (!COARSE_PLACES.has(place) && !ACTION_END_RE.test(place)) addEntity(out, place, scale);
      }
      if (PLACE_SUFFIX.has(t) || (t.length === 2 && FACILITY_END.has(t.slice(-1)) && !STOPWORDS.has(t) && !COARSE_PLACES.has(t))) {
        const place = placeBefore(tokens, i);
        if (place) addEntity(out, place, scale);
      }
    } else if (ASCII_WORD_RE.test(t) && !/^\d+$/.test(t)) addFeature(out, `w:${t}`, scale);
    // 12号楼, 3栋, K5路: numbered things are specific.
    const next = tokens[i + 1];
    if (next && /^[\da-z一二两三四五六七八九十]+$/u.test(t) && NUMBERED_RE.test(t.replace(/^[a-z]+/, '') + next)) addFeature(out, `e:${t}${next}`, scale);
  }
  // Character bigrams of Chinese runs: robust to typos (积谁) and to words the segmenter splits differently.
  for (const run of text.match(/\p{Script=Han}{2,}/gu) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) {
      const bigram = run.slice(i, i + 2);
      if (!STOPWORDS.has(bigram)) addFeature(out, `b:${bigram}`, scale);
    }
  }
}

/** The place name ending at token `end` (a suffix such as 路 or 社区), if the tokens before it form one. */
function placeBefore(tokens: string[], end: number): string | undefined {
  // Either one word (青年|路) or up to two single characters (计|桥|村).
  let prefix = '';
  for (let j = end - 1; j >= 0 && end - j <= 2; j--) {
    const t = tokens[j]!;
    if (!HAN_RE.test(t) || NOT_PLACE.has(t) || PLACE_SUFFIX.has(t) || t.length > 3) break;
    if (t.length > 1) {
      if (!prefix) prefix = t;
      break;
    }
    prefix = t + prefix;
  }
  if (!prefix) return undefined;
  const place = prefix + tokens[end]!;
  return COARSE_PLACES.has(place) ? undefined : place;
}
