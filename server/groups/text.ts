import { createHash } from 'node:crypto';

const URL_RE = /https?:\/\/\S+/gi;
const MENTION_RE = /@[\p{L}\p{N}_-]{1,30}/gu;
// Anything that is not a letter or digit carries no meaning for matching: punctuation, emoji, spaces.
const NOISE_RE = /[^\p{L}\p{N}]+/gu;

/** Canonical form for fingerprints and duplicate checks: NFKC, lower case, no URLs, mentions or punctuation. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(URL_RE, ' ').replace(MENTION_RE, ' ').replace(NOISE_RE, '');
}

/** Content fingerprint: equal after normalisation means equal fingerprint. */
export function fingerprintText(text: string): string {
  return createHash('sha1').update(normalizeText(text)).digest('hex');
}

/** Text cleaned for tokenising: keeps word boundaries (spaces) but drops URLs, mentions and hashtag marks. */
export function cleanText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(URL_RE, ' ').replace(MENTION_RE, ' ').replace(/[#＃【】]/g, ' ');
}

/** Set of character bigrams of the normalised text (a single character yields itself). */
export function charBigrams(text: string): Set<string> {
  const chars = [...normalizeText(text)];
  const out = new Set<string>();
  if (chars.length === 1) out.add(chars[0]!);
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}
