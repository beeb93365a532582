import posts from '../../tests/fixtures/storm-week/posts.json' with { type: 'json' };
import { extractFeatures } from '../../server/groups/features.ts';
const byLabel = new Map<string, string[][]>();
let none = 0;
for (const p of posts) {
  if (p.label.startsWith('noise')) continue;
  const e = [...extractFeatures(p.text).keys()].filter((k) => k.startsWith('e:'));
  if (!e.length) none++;
  const l = byLabel.get(p.label) ?? []; l.push(e); byLabel.set(p.label, l);
}
console.log('posts without entity', none);
let i = 0;
for (const [l, es] of byLabel) { if (i++ % 4 === 0) console.log(l, '→', es.map((e) => e.join(',')).join(' | ')); }
