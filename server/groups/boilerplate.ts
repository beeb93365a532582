import { cleanPost } from './clean.ts';
import type { Features } from './features.ts';
import { normalizeText } from './text.ts';

/** Clauses of a cleaned post body: cut at sentence and clause punctuation. */
export function splitClauses(body: string): string[] {
  return body
    .split(/[,.。!?;:、\n~…，！？；：]+/u)
    .map((c) => c.trim())
    .filter(Boolean);
}

export interface BoilerplateOptions {
  /** A clause recurring in fewer distinct posts than this is never boilerplate. */
  minPosts: number;
  /** Shorter clauses (in characters, normalised) are left alone: 停电了 recurs because people say it. */
  minChars: number;
}

export const DEFAULT_BOILERPLATE: BoilerplateOptions = { minPosts: 3, minChars: 6 };

/**
 * Clauses the batch's posts paste around what they say (希望有关部门能看到, 也请大家帮忙转一下, a paragraph of
 * background about the storm), learned from the batch itself: a clause that recurs word for word in several
 * distinct posts, names no place of its own, and whose posts are about different places (at least two, none named
 * by half of them). A claim copied from post to post fails the last test — its posts name the same place, or none —
 * so copies of a claim keep what joins them. `subjectsOf` gives a post's places (its `e:` features).
 */
export function learnBoilerplate(texts: readonly string[], subjectsOf: (i: number) => string[], clauseSubjects: (clause: string) => string[], options: BoilerplateOptions = DEFAULT_BOILERPLATE): Set<string> {
  const posts = new Map<string, number[]>();
  const seenText = new Set<string>();
  texts.forEach((text, i) => {
    const key = normalizeText(text);
    if (seenText.has(key)) return;
    seenText.add(key);
    const clauses = new Set(splitClauses(cleanPost(text).body).map(normalizeText).filter((c) => c.length >= options.minChars));
    for (const c of clauses) {
      const list = posts.get(c);
      if (list) list.push(i);
      else posts.set(c, [i]);
    }
  });
  // A place that much of the batch names (the week's own town) is its subject, not what tells posts apart.
  const df = new Map<string, number>();
  for (const i of new Set([...posts.values()].flat())) for (const s of subjectsOf(i)) df.set(s, (df.get(s) ?? 0) + 1);
  const bound = Math.max(0.05 * seenText.size, Math.min(10, seenText.size / 2), 2);
  const out = new Set<string>();
  for (const [clause, where] of posts) {
    if (where.length < options.minPosts) continue;
    if (clauseSubjects(clause).length > 0) continue;
    const counts = new Map<string, number>();
    for (const i of where) for (const s of subjectsOf(i)) if (df.get(s)! <= bound) counts.set(s, (counts.get(s) ?? 0) + 1);
    if (counts.size < 2) continue;
    if (Math.max(...counts.values()) * 2 >= where.length) continue;
    out.add(clause);
  }
  return out;
}

/** Whether a post pastes any of the given boilerplate clauses (also glued to its neighbours without punctuation). */
export function hasBoilerplate(text: string, boilerplate: ReadonlySet<string>): boolean {
  if (boilerplate.size === 0) return false;
  const flat = normalizeText(cleanPost(text).body);
  for (const c of boilerplate) if (flat.includes(c)) return true;
  return false;
}

/**
 * Subjects of a post's features: the specific places it names. (Problem kinds are too broad for this: in a storm's
 * week half of the posts are about water, and background clauses name problems too.)
 */
export function subjectsOf(features: Features): string[] {
  return [...features.keys()].filter((k) => k.startsWith('e:'));
}
