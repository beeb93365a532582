import type { Features } from './features.ts';
import { problemKinds } from './problems.ts';
import { normalizeText } from './text.ts';

/** Clauses of a cleaned post body (`cleanPost(raw).body`): cut at sentence and clause punctuation. */
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
 * distinct posts, names no place and no problem of its own (see problems.ts), and whose posts are about different
 * places (at least two, none named by half of them). A claim copied from post to post fails the last test — its
 * posts name the same place, or none — so copies of a claim keep what joins them. `subjectsOf(i)` gives post i's
 * places (its `e:` features), `clauseSubjects` a clause's own.
 */
export function learnBoilerplate(bodies: readonly string[], subjectsOf: (i: number) => string[], clauseSubjects: (clause: string) => string[], options: BoilerplateOptions = DEFAULT_BOILERPLATE): Set<string> {
  const posts = new Map<string, number[]>();
  const seenText = new Set<string>();
  const withClauses: number[] = [];
  bodies.forEach((body, i) => {
    const key = normalizeText(body);
    if (seenText.has(key)) return;
    seenText.add(key);
    const clauses = new Set(splitClauses(body).map(normalizeText).filter((c) => c.length >= options.minChars));
    if (clauses.size > 0) withClauses.push(i);
    for (const c of clauses) {
      const list = posts.get(c);
      if (list) list.push(i);
      else posts.set(c, [i]);
    }
  });
  // A place that much of the batch names (the week's own town) is its subject, not what tells posts apart.
  const df = new Map<string, number>();
  for (const i of withClauses) for (const s of subjectsOf(i)) df.set(s, (df.get(s) ?? 0) + 1);
  const bound = Math.max(0.05 * seenText.size, Math.min(10, seenText.size / 2), 2);
  const out = new Set<string>();
  for (const [clause, where] of posts) {
    if (where.length < options.minPosts) continue;
    if (clauseSubjects(clause).length > 0 || problemKinds(clause).length > 0) continue;
    const counts = new Map<string, number>();
    for (const i of where) for (const s of subjectsOf(i)) if (df.get(s)! <= bound) counts.set(s, (counts.get(s) ?? 0) + 1);
    if (counts.size < 2) continue;
    if (Math.max(...counts.values()) * 2 >= where.length) continue;
    out.add(clause);
  }
  return out;
}

/**
 * The posts' features without the boilerplate clauses they paste (also glued to a neighbour without punctuation):
 * each clause's own words and bigrams are taken off, as often as the post repeats it. A clause never names a place
 * or a problem, so those features stay; a post made of nothing but boilerplate keeps all it has.
 */
export function stripBoilerplate(bodies: readonly string[], features: readonly Features[], boilerplate: ReadonlySet<string>, featuresOf: (clause: string) => Features): Features[] {
  if (boilerplate.size === 0) return [...features];
  const clauses = new Map([...boilerplate].map((clause) => [clause, featuresOf(clause)]));
  // One alternation finds every pasted clause of a post in one pass (longest first, so a clause inside another loses).
  const pattern = new RegExp([...boilerplate].sort((a, b) => b.length - a.length).map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return features.map((f, i) => {
    const found = normalizeText(bodies[i]!).match(pattern);
    if (!found) return f;
    const out = new Map(f);
    for (const clause of found) {
      for (const [key, count] of clauses.get(clause)!) {
        const left = (out.get(key) ?? 0) - count;
        if (left > 1e-9) out.set(key, left);
        else out.delete(key);
      }
    }
    return [...out.keys()].some((k) => k.startsWith('w:')) ? out : f;
  });
}

/**
 * Subjects of a post's features: the specific places it names. (Problem kinds are too broad for this: in a storm's
 * week half of the posts are about water, and background clauses name problems too.)
 */
export function subjectsOf(features: Features): string[] {
  return [...features.keys()].filter((k) => k.startsWith('e:'));
}
