import type { Deps } from '../context.ts';
import type { User } from '../users/schema.ts';
import { visibleOrgIds } from '../concerns/access.ts';
import { concernsOf } from '../concerns/service.ts';
import { previousWeek } from '../concerns/week.ts';
import { groupConcerns, type SuggestedGroup } from './grouping.ts';
import { storeCorpus } from './corpus.ts';
import { groupsOf } from './service.ts';
import { tokenize } from './tokenize.ts';

export type SuggestionView = SuggestedGroup & {
  concerns: { id: string; text: string; source: { platform: string; url?: string | undefined }; duplicateOf?: string | undefined }[];
  continuesFrom?: { id: string; title: string };
};

/** Suggested groups for the week's concerns not yet in a group, with last week's group each one may continue. */
export async function suggestGroups({ deps, actor, week }: { deps: Deps; actor: User; week: string }): Promise<{ week: string; groups: SuggestionView[]; ungrouped: SuggestionView['concerns'] }> {
  const scope = await visibleOrgIds(deps, actor);
  const all = await concernsOf(deps).list();
  const concerns = all.filter((c) => c.week === week && scope.has(c.orgId) && !c.groupId);
  concerns.sort((a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id));
  const byId = new Map(concerns.map((c) => [c.id, c]));
  const corpus = await storeCorpus(deps, all);
  const result = groupConcerns(concerns, { idf: corpus.idf, features: concerns.map(corpus.featuresOf) });
  const previous = await previousGroups(deps, scope, week);
  const view = (id: string) => {
    const c = byId.get(id)!;
    return { id, text: c.text, source: { platform: c.source.platform, ...(c.source.url ? { url: c.source.url } : {}) }, ...(c.duplicateOf ? { duplicateOf: c.duplicateOf } : {}) };
  };
  return {
    week,
    // Suggestions that continue last week's groups come first: the meeting picks those threads up before new ones.
    groups: result.groups
      .map((g): SuggestionView => {
        const match = bestPrevious(g.quotes.join(' ') + g.title, previous);
        return { ...g, concerns: g.concernIds.map(view), ...(match ? { continuesFrom: match } : {}) };
      })
      .sort((a, b) => Number(!!b.continuesFrom) - Number(!!a.continuesFrom)),
    ungrouped: result.ungrouped.map(view),
  };
}

async function previousGroups(deps: Deps, scope: Set<string>, week: string) {
  const last = previousWeek(week);
  const groups = await groupsOf(deps).list((g) => g.week === last && scope.has(g.orgId));
  return Promise.all(
    groups.map(async (g) => {
      const texts = (await concernsOf(deps).list((c) => c.groupId === g.id)).slice(0, 20).map((c) => c.text);
      return { id: g.id, title: g.title, words: wordSet(`${g.title} ${texts.join(' ')}`) };
    }),
  );
}

const wordSet = (text: string) => new Set(tokenize(text).filter((t) => t.startsWith('w:')));

/** Last week's group sharing the most words (Jaccard ≥ 0.15), if any. */
function bestPrevious(text: string, previous: { id: string; title: string; words: Set<string> }[]): { id: string; title: string } | undefined {
  const words = wordSet(text);
  let best: { id: string; title: string; score: number } | undefined;
  for (const p of previous) {
    let common = 0;
    for (const w of words) if (p.words.has(w)) common++;
    const score = common / (words.size + p.words.size - common || 1);
    if (score >= 0.15 && (!best || score > best.score)) best = { id: p.id, title: p.title, score };
  }
  return best ? { id: best.id, title: best.title } : undefined;
}

