import type { SparseVector } from './vectors.ts';

export interface LinkageOptions {
  /** Two clusters merge while the mean cosine over all their cross pairs reaches this. */
  threshold: number;
  /** Pairs below this cosine are treated as 0 (they barely move a mean, and skipping them keeps the graph sparse). */
  minEdge: number;
  /** Above this many items, each keeps only its `neighbours` most similar others (a kNN graph), to bound memory. */
  exactBelow: number;
  neighbours: number;
  /** Features shared by more than this share of the batch are too common to find candidate pairs with. */
  maxPostingShare: number;
  /**
   * The bar falls with the size of the smaller cluster, as min(size)^-sizeExponent (at most 1: above it a merge
   * could raise an untouched pair's score, which the lazy heap assumes never happens). 0 (the default) is plain
   * average linkage: a falling bar let big clusters swallow neighbours, which is how real weeks over-merged
   * (pairwise precision 0.49 on real posts); on the storm set's dev half 0 scores F1 0.68 (P 0.81) where 0.75 at
   * its old bar 0.19 scored 0.53 (P 0.43).
   */
  sizeExponent: number;
  /** Rescales a pair's cosine once found (e.g. by whether the two name the same place). */
  adjust?: ((a: number, b: number, cosine: number) => number) | undefined;
}

// threshold: the storm set's dev half alone peaks at 0.18 (F1 0.839) and is flat from 0.16 to 0.22 (0.820–0.839); over
// the claim-level sets a setting may be chosen on (storm dev, storm test, city week, synthetic 7) the mean F1 is highest
// at 0.22 (0.16 → 0.740, 0.18 → 0.747, 0.20 → 0.765, 0.22 → 0.774, 0.25 → 0.760, 0.28 → 0.766) with precision ≥ 0.75
// on each. The blind heat week was not consulted (`npm run bench -- grouping` prints the dev sweep).
export const DEFAULT_LINKAGE: LinkageOptions = { threshold: 0.22, sizeExponent: 0, minEdge: 0.04, exactBelow: 6000, neighbours: 40, maxPostingShare: 0.2 };

/**
 * Average-linkage agglomerative clustering (UPGMA) on cosine similarity: the pair of clusters whose mean pairwise
 * cosine is highest merges first, until no pair reaches the threshold. Unlike single linkage it does not chain
 * (one shared hashtag between two posts cannot join two groups), and unlike centroid linkage it keeps a big group
 * from swallowing small neighbours. Pairs are found through an inverted index; the mean is kept exact over every
 * pair above `minEdge` (Lance–Williams: sums of pair similarities add up when clusters merge).
 * Returns a label per vector: the smallest member index of its cluster.
 */
export function averageLinkage(vectors: readonly SparseVector[], options: LinkageOptions = DEFAULT_LINKAGE): Int32Array {
  const n = vectors.length;
  const adjacency = similarityGraph(vectors, options);
  const size = new Int32Array(n).fill(1);
  const alive = new Uint8Array(n).fill(1);
  const heap = new PairHeap();
  const { threshold, sizeExponent } = options;
  const score = (total: number, x: number, y: number) => (total / (size[x]! * size[y]!)) * (sizeExponent === 0 ? 1 : Math.pow(Math.min(size[x]!, size[y]!), sizeExponent));
  for (let a = 0; a < n; a++) for (const [b, s] of adjacency[a]!) if (a < b && s >= threshold) heap.append(s, a, b);
  heap.heapify();
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  // Live neighbours per cluster (the maps also hold dead ones, see below).
  const degree = Int32Array.from(adjacency, (m) => m.size);
  // The small cluster's live neighbours at a merge (at most n - 2).
  const raised = new Int32Array(n);
  // Dead and stale entries pile up in the heap; every so often they are settled all at once (see `tidy`).
  let popsSinceTidy = 0;
  const settle = (recorded: number, a: number, b: number): number => {
    if (!alive[a] || !alive[b]) return -1;
    const current = score(adjacency[a]!.get(b) ?? 0, a, b);
    if (current > recorded + 1e-12) return -1;
    if (current < recorded - 1e-12) return current >= threshold ? current : -1;
    return recorded;
  };
  while (heap.length > 0) {
    if (++popsSinceTidy > heap.length) {
      heap.tidy(settle);
      popsSinceTidy = 0;
      if (heap.length === 0) break;
    }
    const top = heap.topScore;
    if (top < threshold) break;
    const a = heap.topA;
    const b = heap.topB;
    if (!alive[a] || !alive[b]) {
      heap.pop();
      continue;
    }
    const current = score(adjacency[a]!.get(b) ?? 0, a, b);
    // Stale entries are settled lazily. A pair whose score only fell (one side grew, the sum of its pair
    // similarities did not: for sizeExponent ≤ 1 that never raises the score) goes back in at its current score
    // (in place: the heap pops the same sequence either way); a pair whose score rose already has a fresher entry.
    if (current < top - 1e-12) {
      if (current >= threshold) heap.replaceTop(current);
      else heap.pop();
      continue;
    }
    heap.pop();
    if (current > top + 1e-12) continue;
    // Merge the cluster with fewer neighbours into the other. A neighbour's map keeps its entry for the small
    // cluster (skipped as dead): deleting it from thousands of maps cost more than the rest of the merge.
    const big = degree[a]! >= degree[b]! ? a : b;
    const small = big === a ? b : a;
    const into = adjacency[big]!;
    into.delete(small);
    degree[big]!--;
    let count = 0;
    for (const [x, s] of adjacency[small]!) {
      if (x === big || !alive[x]) continue;
      const before = into.get(x);
      const total = (before ?? 0) + s;
      into.set(x, total);
      adjacency[x]!.set(big, total);
      if (before === undefined) degree[big]!++;
      else degree[x]!--;
      raised[count++] = x;
    }
    adjacency[small] = new Map();
    alive[small] = 0;
    parent[small] = big;
    size[big] = size[big]! + size[small]!;
    // Only pairs with the small cluster's neighbours can have risen; the rest fell and are settled when popped.
    for (let k = 0; k < count; k++) {
      const x = raised[k]!;
      const value = score(into.get(x)!, big, x);
      if (value >= threshold) heap.push(value, big, x);
    }
  }
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x]!;
    return x;
  };
  const rootLabel = new Map<number, number>();
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (!rootLabel.has(root)) rootLabel.set(root, i);
    labels[i] = rootLabel.get(root)!;
  }
  return labels;
}

/** How many of an item's heaviest features find its candidate pairs at scale. */
const CANDIDATE_FEATURES = 8;

/** Sparse symmetric cosine graph: adjacency[a].get(b) = cos(a, b) for pairs at or above `minEdge`. */
export function similarityGraph(vectors: readonly SparseVector[], options: Pick<LinkageOptions, 'minEdge' | 'exactBelow' | 'neighbours' | 'maxPostingShare' | 'adjust'>): Map<number, number>[] {
  const n = vectors.length;
  const { adjust, minEdge } = options;
  let features = 0;
  for (const v of vectors) for (const id of v.ids) if (id + 1 > features) features = id + 1;
  const counts = new Int32Array(features);
  for (const v of vectors) for (const id of v.ids) counts[id]!++;
  // Candidate pairs need a shared feature that is not everywhere; at scale a few hundred postings bound the work.
  const maxPosting = n < options.exactBelow ? Math.max(50, Math.floor(n * options.maxPostingShare)) : Math.max(50, Math.min(Math.floor(n * options.maxPostingShare), 150));
  // Postings of every feature in one flat pair of arrays (doc, weight), filled as documents are visited in order.
  const start = new Int32Array(features + 1);
  for (let f = 0; f < features; f++) start[f + 1] = start[f]! + (counts[f]! <= maxPosting ? counts[f]! : 0);
  const postDocs = new Int32Array(start[features]!);
  const postWeights = new Float64Array(start[features]!);
  const filled = new Int32Array(features);
  // Edges are gathered first and the maps built one item at a time (in the same order): setting entries in
  // thousands of maps spread over the heap, pair by pair, is most of the cost otherwise.
  const edges = new EdgeList();
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const foundB = new Int32Array(n);
  const foundS = new Float64Array(n);
  const scratch = new Float64Array(n);
  const keep = n < options.exactBelow ? Infinity : options.neighbours;
  // At scale, only each item's heaviest features find candidates; the kept pairs get their exact cosine after.
  const exact = n < options.exactBelow;
  const candidates = new Int32Array(CANDIDATE_FEATURES);
  // The current item's weights by feature id, for exact cosines in one pass over the other item.
  const dense = exact ? undefined : new Float64Array(features);
  for (let a = 0; a < n; a++) {
    const v = vectors[a]!;
    const ids = v.ids;
    const weights = v.weights;
    const m = exact ? ids.length : heaviest(weights, candidates);
    let nt = 0;
    for (let c = 0; c < m; c++) {
      const k = exact ? c : candidates[c]!;
      const f = ids[k]!;
      const from = start[f]!;
      if (start[f + 1] === from) continue;
      const w = weights[k]!;
      const end = from + filled[f]!;
      for (let p = from; p < end; p++) {
        const b = postDocs[p]!;
        if (acc[b] === 0) touched[nt++] = b;
        acc[b] = acc[b]! + w * postWeights[p]!;
      }
      postDocs[end] = a;
      postWeights[end] = w;
      filled[f]!++;
    }
    let found = 0;
    for (let t = 0; t < nt; t++) {
      const b = touched[t]!;
      const s = adjust ? adjust(a, b, acc[b]!) : acc[b]!;
      if (s >= minEdge) {
        foundB[found] = b;
        foundS[found] = s;
        found++;
      }
      acc[b] = 0;
    }
    if (found > keep) {
      // The keep-th best score as a cut-off, then the order by score (lower index first on ties).
      scratch.set(foundS.subarray(0, found));
      const cut = nthLargest(scratch, found, keep);
      const best: number[] = [];
      for (let i = 0; i < found; i++) if (foundS[i]! >= cut) best.push(i);
      best.sort((x, y) => foundS[y]! - foundS[x]! || foundB[x]! - foundB[y]!);
      for (let i = 0; i < keep; i++) {
        const j = best[i]!;
        scratch[i] = foundS[j]!;
        touched[i] = foundB[j]!;
      }
      foundS.set(scratch.subarray(0, keep));
      foundB.set(touched.subarray(0, keep));
      found = keep;
    }
    if (dense) {
      for (let k = 0; k < ids.length; k++) dense[ids[k]!] = weights[k]!;
      for (let i = 0; i < found; i++) {
        const b = foundB[i]!;
        const sim = exactCosine(dense, vectors[b]!);
        const s = adjust ? adjust(a, b, sim) : sim;
        if (s >= minEdge) edges.push(a, b, s);
      }
      for (let k = 0; k < ids.length; k++) dense[ids[k]!] = 0;
      continue;
    }
    for (let i = 0; i < found; i++) edges.push(a, foundB[i]!, foundS[i]!);
  }
  return edges.adjacency(n);
}

/** Undirected weighted edges in growable typed arrays. */
class EdgeList {
  private as = new Int32Array(1024);
  private bs = new Int32Array(1024);
  private ss = new Float64Array(1024);
  private length = 0;
  push(a: number, b: number, s: number): void {
    if (this.length === this.as.length) {
      const grow = <T extends Int32Array | Float64Array>(from: T, to: T): T => {
        to.set(from);
        return to;
      };
      this.as = grow(this.as, new Int32Array(this.length * 2));
      this.bs = grow(this.bs, new Int32Array(this.length * 2));
      this.ss = grow(this.ss, new Float64Array(this.length * 2));
    }
    this.as[this.length] = a;
    this.bs[this.length] = b;
    this.ss[this.length] = s;
    this.length++;
  }
  /** Each item's map of neighbour → weight, entries in the order the edges came. */
  adjacency(n: number): Map<number, number>[] {
    const start = new Int32Array(n + 1);
    for (let e = 0; e < this.length; e++) {
      start[this.as[e]! + 1]!++;
      start[this.bs[e]! + 1]!++;
    }
    for (let i = 0; i < n; i++) start[i + 1] = start[i + 1]! + start[i]!;
    const next = start.slice(0, n);
    const other = new Int32Array(start[n]!);
    const weight = new Float64Array(start[n]!);
    for (let e = 0; e < this.length; e++) {
      const a = this.as[e]!;
      const b = this.bs[e]!;
      other[next[a]!] = b;
      weight[next[a]!++] = this.ss[e]!;
      other[next[b]!] = a;
      weight[next[b]!++] = this.ss[e]!;
    }
    const out: Map<number, number>[] = [];
    for (let i = 0; i < n; i++) {
      const map = new Map<number, number>();
      for (let k = start[i]!; k < start[i + 1]!; k++) map.set(other[k]!, weight[k]!);
      out.push(map);
    }
    return out;
  }
}

/**
 * Positions of the `out.length` heaviest weights (all when fewer), heaviest first, the lower position first on
 * ties; returns how many.
 */
function heaviest(weights: Float64Array, out: Int32Array): number {
  let m = 0;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k]!;
    if (m === out.length && weights[out[m - 1]!]! >= w) continue;
    let i = m < out.length ? m++ : m - 1;
    while (i > 0 && weights[out[i - 1]!]! < w) {
      out[i] = out[i - 1]!;
      i--;
    }
    out[i] = k;
  }
  return m;
}

/** The k-th largest of values[0, length) (1-based k), reordering them (quickselect). */
function nthLargest(values: Float64Array, length: number, k: number): number {
  let lo = 0;
  let hi = length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target]!;
}

/** Cosine of a vector scattered into `dense` with another (both normalised): the products in id order, as `dot`. */
function exactCosine(dense: Float64Array, v: SparseVector): number {
  let sum = 0;
  const ids = v.ids;
  const weights = v.weights;
  for (let k = 0; k < ids.length; k++) {
    const x = dense[ids[k]!]!;
    if (x !== 0) sum += x * weights[k]!;
  }
  return sum;
}

/** Whether the pair (s1, a1, b1) pops before (s2, a2, b2): higher score first, then the lower pair. */
function precedes(s1: number, a1: number, b1: number, s2: number, a2: number, b2: number): boolean {
  const d = s1 - s2;
  if (d !== 0) return d > 0;
  return a1 < a2 || (a1 === a2 && b1 < b2);
}

/** Max-heap of (score, a, b), ties broken by the lower pair for determinism. */
class PairHeap {
  private scores = new Float64Array(1024);
  private as = new Int32Array(1024);
  private bs = new Int32Array(1024);
  length = 0;
  get topScore(): number {
    return this.scores[0]!;
  }
  get topA(): number {
    return this.as[0]!;
  }
  get topB(): number {
    return this.bs[0]!;
  }
  push(score: number, a: number, b: number): void {
    if (this.length === this.scores.length) this.grow();
    let i = this.length++;
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!precedes(score, lo, hi, this.scores[p]!, this.as[p]!, this.bs[p]!)) break;
      this.scores[i] = this.scores[p]!;
      this.as[i] = this.as[p]!;
      this.bs[i] = this.bs[p]!;
      i = p;
    }
    this.scores[i] = score;
    this.as[i] = lo;
    this.bs[i] = hi;
  }
  /** Adds an entry (a < b) without ordering: call `heapify` before the next pop. */
  append(score: number, a: number, b: number): void {
    if (this.length === this.scores.length) this.grow();
    this.scores[this.length] = score;
    this.as[this.length] = a;
    this.bs[this.length] = b;
    this.length++;
  }
  /** Orders the entries (Floyd: linear, where pushing them one by one is n log n). */
  heapify(): void {
    for (let i = (this.length >> 1) - 1; i >= 0; i--) this.siftDown(this.scores[i]!, this.as[i]!, this.bs[i]!, i);
  }
  pop(): void {
    const last = --this.length;
    if (last > 0) this.siftDown(this.scores[last]!, this.as[last]!, this.bs[last]!);
  }
  /** The top entry's pair with a new (lower) score: the same as pop then push, in one pass. */
  replaceTop(score: number): void {
    this.siftDown(score, this.as[0]!, this.bs[0]!);
  }
  /**
   * Each entry's score as `settle` gives it now (below 0: gone), the heap rebuilt: the same as settling them one by
   * one when popped (dead pairs dropped, fallen ones at their current score), at a linear cost instead of a walk
   * down the heap each.
   */
  tidy(settle: (score: number, a: number, b: number) => number): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const score = settle(this.scores[i]!, this.as[i]!, this.bs[i]!);
      if (score < 0) continue;
      this.scores[kept] = score;
      this.as[kept] = this.as[i]!;
      this.bs[kept] = this.bs[i]!;
      kept++;
    }
    this.length = kept;
    this.heapify();
  }
  private siftDown(score: number, a: number, b: number, from = 0): void {
    const n = this.length;
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && precedes(this.scores[r]!, this.as[r]!, this.bs[r]!, this.scores[l]!, this.as[l]!, this.bs[l]!) ? r : l;
      if (!precedes(this.scores[m]!, this.as[m]!, this.bs[m]!, score, a, b)) break;
      this.scores[i] = this.scores[m]!;
      this.as[i] = this.as[m]!;
      this.bs[i] = this.bs[m]!;
      i = m;
    }
    this.scores[i] = score;
    this.as[i] = a;
    this.bs[i] = b;
  }
  private grow(): void {
    const grow = <T extends Float64Array | Int32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    const capacity = this.scores.length * 2;
    this.scores = grow(this.scores, new Float64Array(capacity));
    this.as = grow(this.as, new Int32Array(capacity));
    this.bs = grow(this.bs, new Int32Array(capacity));
  }
}
