import { charBigrams, fingerprintText } from '../groups/text.ts';
import type { ParsedRow } from './intake.ts';
import type { ConcernInput } from './schema.ts';
import { isoWeekOf } from './week.ts';

/** Near-duplicate: most of the shorter text's character bigrams appear in the other (reposts add "转：" or noise). */
const CONTAINMENT = 0.8;
const JACCARD = 0.6;

/** Finds concerns that say the same thing: exact fingerprint, or bigram overlap above the thresholds. */
export class DuplicateIndex {
  private readonly byFingerprint = new Map<string, string>();
  private readonly postings = new Map<string, string[]>();
  private readonly grams = new Map<string, Set<string>>();
  private readonly roots = new Map<string, string>();

  /** Add a concern; `duplicateOf` keeps links pointing at the first of a chain. */
  add(entry: { id: string; text: string; fingerprint?: string; duplicateOf?: string | undefined }): void {
    const fingerprint = entry.fingerprint ?? fingerprintText(entry.text);
    if (!this.byFingerprint.has(fingerprint)) this.byFingerprint.set(fingerprint, entry.id);
    this.roots.set(entry.id, entry.duplicateOf ? (this.roots.get(entry.duplicateOf) ?? entry.duplicateOf) : entry.id);
    const grams = charBigrams(entry.text);
    this.grams.set(entry.id, grams);
    for (const g of grams) {
      const list = this.postings.get(g);
      if (list) list.push(entry.id);
      else this.postings.set(g, [entry.id]);
    }
  }

  /** The id of the original concern this text repeats, if any. */
  find(text: string, fingerprint = fingerprintText(text)): string | undefined {
    const exact = this.byFingerprint.get(fingerprint);
    if (exact) return this.roots.get(exact) ?? exact;
    const grams = charBigrams(text);
    if (grams.size < 4) return undefined;
    const shared = new Map<string, number>();
    for (const g of grams) for (const id of this.postings.get(g) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    let best: { id: string; score: number } | undefined;
    for (const [id, common] of shared) {
      const other = this.grams.get(id)!.size;
      const containment = common / Math.min(grams.size, other);
      const jaccard = common / (grams.size + other - common);
      if (containment < CONTAINMENT && jaccard < JACCARD) continue;
      const score = jaccard + containment;
      if (!best || score > best.score) best = { id, score };
    }
    return best ? (this.roots.get(best.id) ?? best.id) : undefined;
  }
}

/** What the import needs to know about concerns already stored. */
export interface ExistingConcern {
  id: string;
  text: string;
  fingerprint: string;
  week: string;
  source: { platform: string; url?: string | undefined };
  duplicateOf?: string | undefined;
}

export interface PlannedConcern {
  line: number;
  id: string;
  input: ConcernInput & { capturedAt: string };
  fingerprint: string;
  week: string;
  duplicateOf?: string;
}

/**
 * Decide what an import adds: a row whose URL is already stored, or (without URL) whose fingerprint is already
 * stored for the same platform, is skipped — so re-importing a file adds nothing. Rows that repeat a concern of
 * the same week are kept and linked with `duplicateOf`.
 */
export function planImport(args: { rows: ParsedRow[]; existing: ExistingConcern[]; now: Date; makeId: () => string }): { planned: PlannedConcern[]; skipped: number } {
  const urls = new Set<string>();
  const fingerprints = new Set<string>();
  const weeks = new Map<string, DuplicateIndex>();
  const indexFor = (week: string) => {
    let index = weeks.get(week);
    if (!index) weeks.set(week, (index = new DuplicateIndex()));
    return index;
  };
  for (const c of args.existing) {
    if (c.source.url) urls.add(c.source.url);
    else fingerprints.add(`${c.source.platform}:${c.fingerprint}`);
    indexFor(c.week).add(c);
  }
  const planned: PlannedConcern[] = [];
  let skipped = 0;
  for (const { line, input } of args.rows) {
    const fingerprint = fingerprintText(input.text);
    const key = `${input.platform}:${fingerprint}`;
    if (input.url ? urls.has(input.url) : fingerprints.has(key)) {
      skipped++;
      continue;
    }
    if (input.url) urls.add(input.url);
    else fingerprints.add(key);
    const capturedAt = input.capturedAt ?? args.now.toISOString();
    const week = isoWeekOf(capturedAt);
    const index = indexFor(week);
    const duplicateOf = index.find(input.text, fingerprint);
    const id = args.makeId();
    index.add({ id, text: input.text, fingerprint, duplicateOf });
    planned.push({ line, id, input: { ...input, capturedAt }, fingerprint, week, ...(duplicateOf ? { duplicateOf } : {}) });
  }
  return { planned, skipped };
}
