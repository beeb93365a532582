import type { Deps } from '../context.ts';

/** Starts the periodic reach flush and keeps its item cache in step with publishing. */
export function wireReach(deps: Deps): void {
  deps.reach.start();
  for (const name of ['item.published', 'item.retracted', 'item.transitioned'] as const) deps.events.on(name, ({ item }) => deps.reach.invalidate(item.id));
}
