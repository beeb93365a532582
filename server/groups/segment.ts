import { createRequire } from 'node:module';
import { placeDictionary } from './places.ts';

interface Segmenter {
  cut(text: string, hmm?: boolean): string[];
}

// The dictionary takes ~0.8 s to load and never changes, so one instance per process is shared (a cache of a
// read-only resource, not state). Loaded on first use so that processes that never group never pay for it.
let jieba: Segmenter | undefined;

/** jieba (@node-rs/jieba, stock dictionary + Yancheng places) — falls back to Intl.Segmenter if it cannot load. */
export function segmenter(): Segmenter {
  if (jieba) return jieba;
  try {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): Segmenter & { loadDict(d: Uint8Array): void } } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    const instance = Jieba.withDict(dict);
    instance.loadDict(new TextEncoder().encode(placeDictionary()));
    jieba = { cut: (text) => instance.cut(text, true) };
  } catch {
    const intl = new Intl.Segmenter('zh', { granularity: 'word' });
    jieba = { cut: (text) => Array.from(intl.segment(text), (s) => s.segment) };
  }
  return jieba;
}
