import posts from '/work/wt-desk/tests/fixtures/storm-week/posts.json' with { type: 'json' };
import { generateLabelledConcerns } from '/work/wt-desk/server/groups/fixtures/labelled-concerns.ts';
import { clusterTexts } from '/work/wt-desk/server/groups/grouping.ts';
import { extractFeatures } from '/work/wt-desk/server/groups/features.ts';
import { measureClustering } from '/work/wt-desk/server/groups/metrics.ts';
import { bigramGraph, singleLinkage } from '/work/wt-desk/server/groups/baseline.ts';
const sets = { storm: posts.map((p) => ({ text: p.text, label: p.label })), synth: generateLabelledConcerns({ count: 800, seed: 20260623 }) };
const idfPowers = (process.env.P ?? '1,1.5,2').split(',').map(Number);
const ew = (process.env.E ?? '1.5').split(',').map(Number);
const bw = (process.env.B ?? '0.35').split(',').map(Number);
const gates = (process.env.G ?? '1.3/0.5').split(',').map((g) => g.split('/').map(Number));
for (const [name, data] of Object.entries(sets)) {
  const texts = data.map((d) => d.text); const truth = data.map((d) => d.label);
  const g = bigramGraph(texts); let best = { f1: 0, t: 0 } as any;
  for (let t = 0.1; t < 0.9; t += 0.025) { const q = measureClustering(singleLinkage(texts.length, g, t), truth); if (q.f1 > best.f1) best = { ...q, t }; }
  console.log(name, 'baseline', best.t.toFixed(3), 'P', best.precision.toFixed(3), 'R', best.recall.toFixed(3), 'F1', best.f1.toFixed(3), 'ARI', best.ari.toFixed(3));
  const features = texts.map(extractFeatures);
  for (const p of idfPowers) for (const e of ew) for (const b of bw) for (const [gs, gd] of gates) {
    const row: string[] = [];
    for (let t = Number(process.env.T0 ?? 0.04); t <= Number(process.env.T1 ?? 0.4); t += Number(process.env.TS ?? 0.02)) {
      const { labels } = clusterTexts(texts, { features, threshold: t, sizeExponent: Number(process.env.A ?? 0.5), weights: { kinds: { w: 1, e, b }, idfPower: p }, entityGate: { shared: gs!, disjoint: gd! }, refine: process.env.R === 'off' ? false : { threshold: Number(process.env.R ?? 0.45) } });
      const q = measureClustering(labels, truth);
      row.push(`${t.toFixed(2)}:${q.f1.toFixed(3)}(${q.precision.toFixed(2)}/${q.recall.toFixed(2)})`);
    }
    console.log(name, `p=${p} e=${e} b=${b} g=${gs}/${gd}`, row.join(' '));
  }
}
