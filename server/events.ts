import type { Item } from './content/schema.ts';

/** What the core announces; other domains subscribe (site rebuild, concerns answered, …). */
export interface EventMap {
  'item.transitioned': { item: Item; from: Item['status']; to: Item['status']; actorId: string };
  'item.published': { item: Item };
  'item.retracted': { item: Item };
  'item.corrected': { item: Item };
  /** A series changed (title, order, members): its pages and its published items' pages follow. */
  'series.changed': { seriesId: string; slugs: string[]; itemIds: string[] };
}

type Listener<K extends keyof EventMap> = (payload: EventMap[K]) => void | Promise<void>;

/** A small typed emitter. `emit` awaits every listener so callers (and tests) know when follow-ups are done; a failing listener is logged, never fails the emitter. */
export class Events {
  private listeners = new Map<keyof EventMap, Listener<never>[]>();
  private log: (message: string, error: unknown) => void;

  constructor(log: (message: string, error: unknown) => void = (m, e) => console.error(m, e)) {
    this.log = log;
  }

  on<K extends keyof EventMap>(name: K, listener: Listener<K>): () => void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener as Listener<never>);
    this.listeners.set(name, list);
    return () => {
      const at = list.indexOf(listener as Listener<never>);
      if (at >= 0) list.splice(at, 1);
    };
  }

  async emit<K extends keyof EventMap>(name: K, payload: EventMap[K]): Promise<void> {
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        await (listener as Listener<K>)(payload);
      } catch (error) {
        this.log(`listener for ${name} failed`, error);
      }
    }
  }
}
