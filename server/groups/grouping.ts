import { pinyin } from 'pinyin-pro';
import { DEFAULT_BOILERPLATE, learnBoilerplate, stripBoilerplate, subjectsOf, type BoilerplateOptions } from './boilerplate.ts';
import { cleanPost } from './clean.ts';
import { extractFeatures, type Features } from './features.ts';
import { problemFamily } from './problems.ts';
import { averageLinkage, DEFAULT_LINKAGE, type LinkageOptions } from './linkage.ts';
import { normalizeText } from './text.ts';
import { DEFAULT_WEIGHTS, learnIdf, weighVectors, type IdfModel, type WeightOptions } from './vectorize.ts';
import { dot, fromMap, type SparseVector, type Vocabulary } from './vectors.ts';

/** What grouping needs to know about a concern. */
export interface GroupableConcern {
  id: string;
  text: string;
  category?: string;
  district?: string;
}

export interface SuggestedGroup {
  /** Its most representative phrases, joined with 、. */
  title: string;
  concernIds: string[];
  /** Up to three member texts closest to the group's centre, distinct. */
  quotes: string[];
  size: number;
  /** Counts, largest first. */
  categories: { name: string; count: number }[];
  districts: { name: string; count: number }[];
  /** Mean cosine of members to the centre: how tight the group is. */
  cohesion: number;
  /** Why these belong together: the heaviest words (and places) that at least half of the members share. */
  keywords: string[];
}

export interface GroupingResult {
  groups: SuggestedGroup[];
  /** Concerns that matched nothing: one-offs. */
  ungrouped: string[];
}

export interface ClusterTextOptions extends Partial<LinkageOptions> {
  /**
   * Document frequencies of the whole store (every concern, not only this week): a word every week uses (暴雨)
   * weighs little even in the one week it is new to. Without it, the texts themselves are the corpus.
   */
  idf?: IdfModel;
  weights?: WeightOptions;
  entityGate?: EntityGate;
  /** Features already extracted for the texts (same order), to skip segmenting twice. */
  features?: Features[];
  /** How clauses pasted around many different posts are found and left out (`false`: kept). */
  boilerplate?: BoilerplateOptions | false;
}

export interface GroupingOptions extends ClusterTextOptions {
  /** Smallest cluster reported as a group. */
  minSize?: number;
}

/** How naming the same specific place (a road, a compound, a village, a school) changes a pair's similarity. */
export interface EntityGate {
  /** Both name places and share one: the cosine is multiplied by this (a place plus an event pins a claim). */
  shared: number;
  /** Both name places but none in common: the cosine is multiplied by this (青年路 vs 开放大道 floods). */
  disjoint: number;
  /** Entities named by more than this share of the corpus are not specific (see `entityAdjust`). */
  maxShare: number;
  /**
   * Both name one place but problems (积水, 停电 …) of different families that the batch never names together:
   * the cosine is multiplied by this (two claims about one place).
   */
  problemDisjoint: number;
  /** Added (after `shared`) when the two share a place and a problem kind: the claim's two slots agree. */
  sameProblemBonus: number;
}

export const DEFAULT_ENTITY_GATE: EntityGate = { shared: 2, disjoint: 0.3, maxShare: 0.05, problemDisjoint: 0.3, sameProblemBonus: 0.15 };

/**
 * Words that say where, not what (方位/处所词): two posts at one place that share only these make no claim in
 * common (幸福里小区门口的下水道 vs 某小区门口的路灯), so they do not earn the shared-place boost.
 */
const LOCATIVE_WORDS = new Set(['小区', '门口', '旁边', '附近', '对面', '路口', '路边', '街道', '社区', '周边', '这边', '那边', '里面', '外面', '前面', '后面', '边上', '一带', '地方', '这里', '那里', '现在', '今天', '昨天', '晚上', '早上', '几天', '好几天', '一个月']);

function entityAdjust(vectors: SparseVector[], terms: string[], model: IdfModel, gate: EntityGate) {
  // Only specific entities pin a claim: one that a large share of the corpus names (the subject's own town in a
  // week about one event) says nothing about which claim a post makes, so it neither joins nor separates. In a
  // small corpus (a district's quiet week, a few dozen concerns) a share says little; there a place is the
  // subject only when it is named by half of the posts, and at most by ten.
  const bound = Math.max(gate.maxShare * model.documents, Math.min(10, model.documents / 2), 2);
  const specific = (key: string) => (model.df.get(key) ?? 1) <= bound;
  // A short name that spells a longer one in order (盐中 → 盐城中学, 金港湾 → 金色港湾) is the same place when it can
  // only be that one in this corpus: the pair counts as sharing it.
  const alias = learnAliases(terms, (id) => specific(terms[id]!));
  // What a post says besides where: its words that are not part of a place it names, not locative and not
  // what the whole corpus talks about (a word as common as the subject's town says nothing either).
  const commonBound = Math.max(model.documents / 4, bound);
  // Per term, once: whether it is a specific entity, a word that may say something, a problem kind.
  const entityTerm = new Uint8Array(terms.length);
  const contentWord = new Uint8Array(terms.length);
  const familyOf = new Map<string, number>();
  const problemFamilies = new Int32Array(terms.length).fill(-1);
  terms.forEach((term, id) => {
    if (term.startsWith('e:')) entityTerm[id] = specific(term) ? 2 : 1;
    // A word said in another form (冇电 → 停电) is said all the same.
    else if ((term.startsWith('w:') || term.startsWith('s:')) && (model.df.get(term) ?? 1) <= commonBound && !LOCATIVE_WORDS.has(term.slice(2))) contentWord[id] = 1;
    else if (term.startsWith('p:')) {
      const family = problemFamily(term.slice(2));
      if (!familyOf.has(family)) familyOf.set(family, familyOf.size);
      problemFamilies[id] = familyOf.get(family)!;
    }
  });
  const entities: Int32Array[] = [];
  const content: Int32Array[] = [];
  const problems: Int32Array[] = [];
  const families: Int32Array[] = [];
  for (const v of vectors) {
    const ids = new Set<number>();
    const names: string[] = [];
    const kinds: number[] = [];
    for (const id of v.ids) {
      if (entityTerm[id] === 2) ids.add(id);
      if (entityTerm[id]) names.push(terms[id]!.slice(2));
      const target = alias.get(id);
      if (target !== undefined) ids.add(target);
      if (problemFamilies[id]! >= 0) kinds.push(id);
    }
    entities.push(Int32Array.from(ids));
    content.push(Int32Array.from(Array.from(v.ids).filter((id) => contentWord[id] === 1 && !names.some((name) => name.includes(terms[id]!.slice(2))))));
    problems.push(Int32Array.from(kinds));
    families.push(Int32Array.from(kinds, (id) => problemFamilies[id]!));
  }
  const related = relatedProblems(problems, terms.length);
  return (a: number, b: number, cosine: number): number => {
    const ea = entities[a]!;
    const eb = entities[b]!;
    if (ea.length === 0 || eb.length === 0) return cosine;
    if (!intersects(ea, eb)) return cosine * gate.disjoint;
    const pa = problems[a]!;
    const pb = problems[b]!;
    const sameProblem = intersects(pa, pb);
    // The problem is the claim's other slot: at one road, 积水 and 停电 are two claims.
    const akin = intersects(families[a]!, families[b]!) || pa.some((x) => pb.some((y) => related.has(x * terms.length + y)));
    if (pa.length > 0 && pb.length > 0 && !sameProblem && !akin) return cosine * gate.problemDisjoint;
    // the same place pins a claim only together with something said about it (积水, 停电, 下水道)
    const said = sameProblem || intersectsSorted(content[a]!, content[b]!);
    return said ? Math.min(1, cosine * gate.shared + (sameProblem ? gate.sameProblemBonus : 0)) : cosine;
  };
}

/** Whether two short id lists share a value. */
function intersects(x: Int32Array, y: Int32Array): boolean {
  for (let i = 0; i < x.length; i++) for (let j = 0; j < y.length; j++) if (x[i] === y[j]) return true;
  return false;
}

/** Whether two ascending id lists share a value. */
function intersectsSorted(x: Int32Array, y: Int32Array): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) return true;
    if (x[i]! < y[j]!) i++;
    else j++;
  }
  return false;
}

/**
 * Problem kinds this batch's posts name together more often than chance (积水 with 下水道, 积水 with 绕行): two posts
 * naming one each may still make one claim. Kinds never named together (下水道, 路灯) stay different claims.
 * Returns keys x * stride + y for both orders.
 */
function relatedProblems(problems: Int32Array[], stride: number): Set<number> {
  const single = new Map<number, number>();
  const pairs = new Map<number, number>();
  for (const kinds of problems) {
    for (const x of kinds) single.set(x, (single.get(x) ?? 0) + 1);
    for (const x of kinds) for (const y of kinds) if (x < y) pairs.set(x * stride + y, (pairs.get(x * stride + y) ?? 0) + 1);
  }
  const out = new Set<number>();
  for (const [key, together] of pairs) {
    const x = Math.floor(key / stride);
    const y = key - x * stride;
    if (together >= 2 && together * problems.length >= single.get(x)! * single.get(y)!) out.add(key).add(y * stride + x);
  }
  return out;
}


const HAN_RE = /^\p{Script=Han}+$/u;

function isSubsequence(short: string, long: string): boolean {
  let j = 0;
  for (const c of long) if (c === short[j]) j++;
  return j === short.length;
}

/**
 * Abbreviations learned from the batch: a word or place of 2–4 characters that starts like a longer specific place
 * and spells it in order (盐中 in 盐城中学, 大丰中学 in 大丰高级中学, 海河礼堂 in 海河镇政府礼堂) maps to it, when exactly
 * one place of the batch fits. Returns term id → place term id.
 */
function learnAliases(terms: string[], specific: (id: number) => boolean): Map<number, number> {
  const byFirst = new Map<string, number[]>();
  terms.forEach((term, id) => {
    if (!term.startsWith('e:') || !specific(id)) return;
    const list = byFirst.get(term[2]!);
    if (list) list.push(id);
    else byFirst.set(term[2]!, [id]);
  });
  const out = new Map<number, number>();
  terms.forEach((term, id) => {
    if (!/^[we]:/.test(term)) return;
    const word = term.slice(2);
    // A word much of the week uses (盐城 in 盐城中学) is a region or a modifier, not a short name for one place.
    if (word.length < 2 || word.length > 4 || !HAN_RE.test(word) || !specific(id)) return;
    const fits = (byFirst.get(word[0]!) ?? []).filter((e) => {
      const place = terms[e]!.slice(2);
      return place.length > word.length && place !== word && isSubsequence(word, place);
    });
    // Two places fit (盐中: 盐城中学 or 盐都中学): the short name could be either, so it names neither.
    if (fits.length === 1) out.set(id, fits[0]!);
  });
  return out;
}

/**
 * The week's own gazetteer: every place some post names (its `e:` features, three characters or more) is looked for
 * in every post's text, and a post that spells it gets it as an entity too — the segmenter cuts a name it does not
 * know differently from post to post (桂花苑 in one, 桂花|苑装 in the next). Returns new feature maps where a place
 * was found, the given ones elsewhere.
 */
export function spotPlaces(bodies: readonly string[], features: readonly Features[], minLength = 3): Features[] {
  // Names by their first two characters: each position of a text is checked against the few names starting there.
  const byPrefix = new Map<string, string[]>();
  const named = new Set<string>();
  for (const f of features) {
    for (const key of f.keys()) {
      if (!key.startsWith('e:') || key.length < 4 || !HAN_RE.test(key.slice(2))) continue;
      const name = key.slice(2);
      named.add(name);
      if (name.length < minLength) continue;
      const prefix = name.slice(0, 2);
      const list = byPrefix.get(prefix);
      if (!list) byPrefix.set(prefix, [name]);
      else if (!list.includes(name)) list.push(name);
    }
  }
  if (named.size === 0) return [...features];
  const initials = placeInitials([...named]);
  return features.map((f, i) => {
    const body = bodies[i]!;
    let out: Features | undefined;
    // lw小区, xhw: the pinyin initials of exactly one of the week's places.
    for (const key of f.keys()) {
      const name = key.startsWith('w:') ? initials.get(key.slice(2)) : undefined;
      if (!name || f.has(`e:${name}`)) continue;
      out ??= new Map(f);
      out.set(`e:${name}`, 1);
    }
    for (let k = 0; k + 1 < body.length; k++) {
      const names = byPrefix.get(body.slice(k, k + 2));
      if (!names) continue;
      for (const name of names) {
        if (f.has(`e:${name}`) || !body.startsWith(name, k)) continue;
        out ??= new Map(f);
        out.set(`e:${name}`, 1);
      }
    }
    return out ?? f;
  });
}

/** Pinyin initials (2–6 letters) → the one place name they spell; initials two places share stand for neither. */
function placeInitials(names: string[]): Map<string, string> {
  const found = new Map<string, string | null>();
  for (const name of new Set(names)) {
    const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
    if (!/^[a-z]{2,6}$/.test(initials)) continue;
    found.set(initials, found.has(initials) && found.get(initials) !== name ? null : name);
  }
  return new Map([...found].filter((e): e is [string, string] => e[1] !== null));
}

function distinctFeatures(texts: readonly string[], features: Features[]): Features[] {
  const seen = new Map<string, Features>();
  texts.forEach((t, i) => seen.set(normalizeText(t), features[i]!));
  return [...seen.values()];
}

/** Cluster labels for texts (one per text): the raw step of grouping, used by the benchmark and the metrics. */
export function clusterTexts(texts: readonly string[], options: ClusterTextOptions = {}): { labels: Int32Array; vectors: SparseVector[]; vocabulary: Vocabulary } {
  const { idf, weights = DEFAULT_WEIGHTS, entityGate = DEFAULT_ENTITY_GATE, boilerplate = DEFAULT_BOILERPLATE, features: given = texts.map((t) => extractFeatures(t)), ...linkage } = options;
  const bodies = texts.map((t) => cleanPost(t).body);
  // A place one post names is found in every post that spells it, however the segmenter cut it there (桂花|苑装).
  let features = spotPlaces(bodies, given);
  if (boilerplate) {
    // Clauses pasted around many posts about different things are learned from the batch and left out.
    const spotted = features;
    const pasted = learnBoilerplate(bodies, (i) => subjectsOf(spotted[i]!), (clause) => subjectsOf(extractFeatures(clause)), boilerplate);
    features = stripBoilerplate(bodies, spotted, pasted, (clause) => extractFeatures(clause));
  }
  // Each distinct text counts once in the document frequencies (copies and reposts do not make words common).
  const model = idf ?? learnIdf(distinctFeatures(texts, features));
  const { vectors, terms, idf: idfs } = weighVectors(features, model, weights);
  const adjust = entityAdjust(vectors, terms, model, entityGate);
  const labels = averageLinkage(vectors, { ...DEFAULT_LINKAGE, adjust, ...linkage });
  return { labels, vectors, vocabulary: { terms, idf: idfs } };
}

/** Suggest groups for a week's concerns: tokenise, weight (TF-IDF), cluster (LSH + centroid agglomeration), describe. */
export function groupConcerns(concerns: readonly GroupableConcern[], options: GroupingOptions = {}): GroupingResult {
  const { minSize = 2, ...clusterOptions } = options;
  const { labels, vectors, vocabulary } = clusterTexts(concerns.map((c) => c.text), clusterOptions);
  const members = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const list = members.get(label);
    if (list) list.push(i);
    else members.set(label, [i]);
  });
  const groups: SuggestedGroup[] = [];
  const ungrouped: string[] = [];
  for (const indexes of members.values()) {
    if (indexes.length < minSize) {
      ungrouped.push(...indexes.map((i) => concerns[i]!.id));
      continue;
    }
    groups.push(describeGroup(indexes, concerns, vectors, vocabulary));
  }
  groups.sort((a, b) => b.size - a.size || a.title.localeCompare(b.title, 'zh'));
  return { groups, ungrouped };
}

function describeGroup(indexes: number[], concerns: readonly GroupableConcern[], vectors: SparseVector[], vocabulary: Vocabulary): SuggestedGroup {
  const sum = new Map<number, number>();
  const coverage = new Map<number, number>();
  for (const i of indexes) {
    const v = vectors[i]!;
    v.ids.forEach((id, k) => {
      sum.set(id, (sum.get(id) ?? 0) + v.weights[k]!);
      coverage.set(id, (coverage.get(id) ?? 0) + 1);
    });
  }
  const centre = fromMap(sum);
  const scored = indexes.map((i) => ({ i, cos: dot(vectors[i]!, centre) })).sort((a, b) => b.cos - a.cos);
  const quotes: string[] = [];
  const seen = new Set<string>();
  for (const { i } of scored) {
    const key = normalizeText(concerns[i]!.text).slice(0, 40);
    if (seen.has(key)) continue;
    seen.add(key);
    quotes.push(concerns[i]!.text);
    if (quotes.length === 3) break;
  }
  return {
    title: titleFor(sum, coverage, indexes.length, vocabulary),
    concernIds: scored.map(({ i }) => concerns[i]!.id),
    quotes,
    size: indexes.length,
    categories: countBy(indexes.map((i) => concerns[i]!.category)),
    districts: countBy(indexes.map((i) => concerns[i]!.district)),
    cohesion: scored.reduce((s, x) => s + x.cos, 0) / scored.length,
    keywords: sharedKeywords(sum, coverage, indexes.length, vocabulary),
  };
}

// Complaint filler: fine as features, useless as a title.
const TITLE_STOPWORDS = new Set('什么时候 只能 不了 哪个 很大 意见 只有 几趟 一等 太难 太少 太多 太大 太低 太高 怎么 能不能 希望 尽快 处理 重视 调整 增加 解决 不要 不敢 不够 严重 好几 多次 已经 真的 请问 一下 还是 一直 出行 谁来 小时'.split(' '));

/** Words that are both heavy in the centroid and present in many members; drops words inside an earlier pick. */
function titleFor(sum: Map<number, number>, coverage: Map<number, number>, size: number, vocabulary: Vocabulary): string {
  const words = [...sum]
    .filter(([id]) => /^[we]:/.test(vocabulary.terms[id]!) && !TITLE_STOPWORDS.has(vocabulary.terms[id]!.slice(2)))
    .map(([id, weight]) => ({ word: vocabulary.terms[id]!.slice(2), score: weight * (coverage.get(id)! / size) }))
    .sort((a, b) => b.score - a.score);
  const picked: string[] = [];
  for (const { word } of words) {
    if (picked.some((p) => p.includes(word) || word.includes(p))) continue;
    picked.push(word);
    if (picked.length === 3) break;
  }
  return picked.join('、') || '未命名分组';
}

/** Words and places present in at least half of the members, heaviest first, none inside another. */
function sharedKeywords(sum: Map<number, number>, coverage: Map<number, number>, size: number, vocabulary: Vocabulary): string[] {
  const candidates = [...coverage]
    .filter(([id, count]) => count * 2 >= size && /^[we]:/.test(vocabulary.terms[id]!))
    .map(([id, count]) => ({ word: vocabulary.terms[id]!.slice(2), score: (sum.get(id)! * count) / size }))
    .sort((a, b) => b.score - a.score || a.word.localeCompare(b.word, 'zh'));
  const picked: string[] = [];
  for (const { word } of candidates) {
    if (picked.some((p) => p.includes(word) || word.includes(p))) continue;
    picked.push(word);
    if (picked.length === 6) break;
  }
  return picked;
}

function countBy(values: (string | undefined)[]): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh'));
}
