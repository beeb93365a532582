// The search index's shared core: the same tokenizer, shard hash, weights and ranking run in Node (the
// index build, tests) and in the browser (search.js). Plain JavaScript, no dependencies.

/** BM25 parameters. The length pivot is a constant rather than the corpus average, so a publish changes only its own postings. */
export const K1 = 1.2;
export const B = 0.75;
export const PIVOT = 600;
/** A title hit counts as this many extra hits (the title is also part of the text). */
export const TITLE_BOOST = 2;
/** Weights are stored as integers: BM25's term-frequency part × 100. */
export const WEIGHT_SCALE = 100;
/** Latin words and numbers longer than this are cut (a 5,000-character "word" is not a search term). */
const MAX_WORD = 40;
/** A query is read up to this many characters and this many distinct tokens. */
const MAX_QUERY_CHARS = 200;
const MAX_QUERY_TOKENS = 24;

// Scripts written without spaces (CJK): every character is a token and so is every pair of neighbours.
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_START = /[\p{L}\p{N}]/u;
const WORD_REST = /[\p{L}\p{N}\p{M}]/u;
/** Code point → 0 separator, 1 CJK, 2 starts or continues a word, 3 continues a word only (combining mark). */
const classes = new Map();
function classOf(c) {
  const cp = c.codePointAt(0);
  if (cp < 128) return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) ? 2 : 0;
  let k = classes.get(cp);
  if (k === undefined) {
    k = CJK_CHAR.test(c) ? 1 : WORD_START.test(c) ? 2 : WORD_REST.test(c) ? 3 : 0;
    if (classes.size < 65536) classes.set(cp, k);
  }
  return k;
}

/** NFKC and lower case: full-width letters match their ASCII forms, ligatures their letters. */
export const normalize = (text) => String(text).normalize('NFKC').toLowerCase();

/**
 * The runs of a text: CJK runs (as arrays of characters) and words, in order.
 * @param {string} text
 * @returns {Array<{ cjk: string[] } | { word: string }>}
 */
function runs(text) {
  const out = [];
  let cjk = null;
  let word = null;
  const end = () => {
    if (cjk) out.push({ cjk });
    if (word) out.push({ word: word.length > MAX_WORD ? [...word].slice(0, MAX_WORD).join('') : word });
    cjk = word = null;
  };
  for (const c of normalize(text)) {
    const k = classOf(c);
    if (k === 1) {
      if (word) end();
      (cjk ??= []).push(c);
    } else if (k === 2 || (k === 3 && word)) {
      if (cjk) end();
      word = (word ?? '') + c;
    } else end();
  }
  end();
  return out;
}

/**
 * The tokens of an indexed text, repeats kept: CJK characters as unigrams and overlapping bigrams,
 * Latin words and numbers whole.
 * @param {string} text
 * @returns {string[]}
 */
export function tokenize(text) {
  const tokens = [];
  for (const r of runs(text)) {
    if ('word' in r) {
      tokens.push(r.word);
      continue;
    }
    for (let i = 0; i < r.cjk.length; i++) {
      tokens.push(r.cjk[i]);
      if (i + 1 < r.cjk.length) tokens.push(r.cjk[i] + r.cjk[i + 1]);
    }
  }
  return tokens;
}

/**
 * The distinct tokens a query looks up: a CJK run of two or more characters by its bigrams (a document
 * holding them all holds its characters too), a single character by itself, words whole.
 * @param {string} query
 * @returns {string[]}
 */
export function queryTokens(query) {
  const seen = new Set();
  for (const r of runs(String(query).slice(0, MAX_QUERY_CHARS))) {
    if ('word' in r) seen.add(r.word);
    else if (r.cjk.length === 1) seen.add(r.cjk[0]);
    else for (let i = 0; i + 1 < r.cjk.length; i++) seen.add(r.cjk[i] + r.cjk[i + 1]);
    if (seen.size >= MAX_QUERY_TOKENS) break;
  }
  return [...seen].slice(0, MAX_QUERY_TOKENS);
}

/**
 * Which of `shards` term files a token lives in (FNV-1a over its UTF-16 code units).
 * @param {string} token
 * @param {number} shards
 */
export function shardOf(token, shards) {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}

/**
 * A document's stored weight per token: BM25's term-frequency part (title hits boosted, length
 * normalised against the fixed pivot), scaled to an integer ≥ 1.
 * @param {string} title
 * @param {string} text the whole searchable text (title included)
 * @returns {{ weights: Map<string, number>, length: number }}
 */
export function termWeights(title, text) {
  const tokens = tokenize(text);
  const tf = new Map();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  for (const t of tokenize(title)) tf.set(t, (tf.get(t) ?? 0) + TITLE_BOOST);
  const norm = K1 * (1 - B + (B * tokens.length) / PIVOT);
  const weights = new Map();
  for (const [t, f] of tf) weights.set(t, Math.max(1, Math.round((WEIGHT_SCALE * f * (K1 + 1)) / (f + norm))));
  return { weights, length: tokens.length };
}

/**
 * Encodes a posting list, newest document first: `"docN,wN,(docN-docN-1),wN-1,…"` in base 36. The first
 * number is absolute, so a new document is added in front without reading the rest; a term file is one
 * JSON string per token, quick to parse, and a list is decoded only when it is read.
 * @param {Array<[number, number]>} postings in any order
 * @returns {string}
 */
export function encodePostings(postings) {
  const sorted = [...postings].sort((a, b) => b[0] - a[0]);
  const out = [];
  let last = 0;
  sorted.forEach(([doc, w], i) => {
    out.push((i ? last - doc : doc).toString(36), w.toString(36));
    last = doc;
  });
  return out.join(',');
}

/** The newest document of an encoded list (-1 when empty). */
export function firstDoc(encoded) {
  if (!encoded) return -1;
  const comma = encoded.indexOf(',');
  return parseInt(comma === -1 ? encoded : encoded.slice(0, comma), 36);
}

/**
 * Adds postings for documents newer than the list's newest (new documents) in front of an encoded list.
 * @param {string} encoded
 * @param {Array<[number, number]>} postings every doc greater than firstDoc(encoded)
 */
export function prependPostings(encoded, postings) {
  const head = encodePostings(postings);
  if (!encoded) return head;
  const oldest = Math.min(...postings.map((p) => p[0]));
  const comma = encoded.indexOf(',');
  return `${head},${(oldest - firstDoc(encoded)).toString(36)}${encoded.slice(comma)}`;
}

/**
 * Whether an encoded list holds one of these documents: the numbers are read in place (no arrays), and
 * the walk stops past the oldest of them (the list runs newest first).
 * @param {string} encoded
 * @param {Set<number>} docs
 * @param {number} oldest the smallest of docs
 */
export function holdsAny(encoded, docs, oldest) {
  let doc = 0;
  let n = 0;
  let field = 0;
  for (let i = 0; i <= encoded.length; i++) {
    const c = i < encoded.length ? encoded.charCodeAt(i) : 44;
    if (c !== 44) {
      n = n * 36 + (c <= 57 ? c - 48 : c - 87);
      continue;
    }
    if (field % 2 === 0) {
      doc = field ? doc - n : n;
      if (docs.has(doc)) return true;
      if (doc < oldest) return false;
    }
    field++;
    n = 0;
  }
  return false;
}

/**
 * An encoded list with these documents' postings taken out and `add` put in at their places. Entries are
 * copied as they are; only one after a change gets a new delta, and the rest is copied whole once past
 * every change.
 * @param {string} encoded
 * @param {Set<number>} remove
 * @param {Array<[number, number]>} add
 * @returns {string}
 */
export function rewritePostings(encoded, remove, add) {
  const parts = encoded ? encoded.split(',') : [];
  const adds = [...add].sort((a, b) => b[0] - a[0]);
  let oldest = Infinity;
  for (const d of remove) oldest = Math.min(oldest, d);
  for (const [d] of adds) oldest = Math.min(oldest, d);
  const out = [];
  let last = -1;
  let a = 0;
  const emit = (doc, w, raw) => {
    out.push(raw ?? (last < 0 ? doc : last - doc).toString(36), w);
    last = doc;
  };
  let doc = 0;
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const before = doc;
    doc = i ? doc - parseInt(parts[i], 36) : parseInt(parts[i], 36);
    while (a < adds.length && adds[a][0] > doc) emit(adds[a][0], adds[a++][1].toString(36));
    if (remove.has(doc) || (a < adds.length && adds[a][0] === doc)) continue;
    emit(doc, parts[i + 1], i && last === before ? parts[i] : undefined);
    if (doc < oldest && a === adds.length) {
      for (let k = i + 2; k < parts.length; k++) out.push(parts[k]);
      return out.join(',');
    }
  }
  while (a < adds.length) emit(adds[a][0], adds[a++][1].toString(36));
  return out.join(',');
}

/**
 * The inverse of encodePostings: `[doc, weight]` pairs, newest first.
 * @param {string} encoded
 * @returns {Array<[number, number]>}
 */
export function decodePostings(encoded) {
  const out = [];
  if (!encoded) return out;
  const parts = encoded.split(',');
  let doc = 0;
  for (let i = 0; i + 1 < parts.length; i += 2) {
    doc = i ? doc - parseInt(parts[i], 36) : parseInt(parts[i], 36);
    out.push([doc, parseInt(parts[i + 1], 36)]);
  }
  return out;
}

/**
 * Ranks documents for the query tokens with BM25: every token required; when no document holds them
 * all, any token will do. Equal scores: the later indexed (newer) document first.
 * @param {{ docs: number, tokens: string[], postings: (token: string) => string | undefined, limit?: number }} args
 * @returns {{ doc: number, score: number }[]}
 */
export function rank({ docs, tokens, postings, limit = 20 }) {
  const lists = tokens.map((t) => decodePostings(postings(t) ?? ''));
  const score = (requireAll) => {
    const scores = new Map();
    const hits = new Map();
    lists.forEach((list) => {
      if (!list.length) return;
      const idf = Math.log(1 + (docs - list.length + 0.5) / (list.length + 0.5));
      for (const [doc, w] of list) {
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * w) / WEIGHT_SCALE);
        hits.set(doc, (hits.get(doc) ?? 0) + 1);
      }
    });
    const out = [];
    for (const [doc, s] of scores) if (!requireAll || hits.get(doc) === tokens.length) out.push({ doc, score: s });
    return out;
  };
  if (!tokens.length) return [];
  let found = score(true);
  if (!found.length) found = score(false);
  return found.sort((a, b) => b.score - a.score || b.doc - a.doc).slice(0, limit);
}

/**
 * A passage of `text` around the first hit of any query token, as text and marked parts (the caller
 * builds DOM nodes from them: never HTML). Without a hit, the start of the text.
 * @param {string} text
 * @param {string[]} tokens query tokens (normalised, as queryTokens returns them)
 * @param {number} [width] characters shown
 * @returns {{ text: string, mark: boolean }[]}
 */
export function excerpt(text, tokens, width = 110) {
  // normalise character by character, remembering where each normalised code unit came from
  const chars = [...String(text)];
  let norm = '';
  const from = [];
  chars.forEach((c, i) => {
    const n = normalize(c);
    norm += n;
    for (let k = 0; k < n.length; k++) from.push(i);
  });
  const ranges = [];
  for (const t of tokens) {
    if (!t) continue;
    for (let at = norm.indexOf(t); at !== -1; at = norm.indexOf(t, at + 1)) ranges.push([from[at], from[at + t.length - 1] + 1]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  const start = merged.length ? Math.max(0, merged[0][0] - Math.floor(width / 4)) : 0;
  const end = Math.min(chars.length, start + width);
  const parts = [];
  let at = start;
  for (const [a, b] of merged) {
    if (b <= start || a >= end) continue;
    const s = Math.max(a, start);
    if (s > at) parts.push({ text: chars.slice(at, s).join(''), mark: false });
    parts.push({ text: chars.slice(s, Math.min(b, end)).join(''), mark: true });
    at = Math.min(b, end);
  }
  if (at < end) parts.push({ text: chars.slice(at, end).join(''), mark: false });
  if (start > 0) parts.unshift({ text: '…', mark: false });
  if (end < chars.length) parts.push({ text: '…', mark: false });
  return parts;
}
