/** MinHash + LSH banding over small feature sets: returns candidate pairs that likely overlap. */
export interface LshOptions {
  bands: number;
  rows: number;
  /** A bucket bigger than this pairs each member with its next `maxBucketPairs` neighbours instead of all. */
  maxBucketPairs: number;
  seed?: number;
}

// murmur3 finaliser: a cheap, well-mixed 32-bit hash.
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MinHash signatures (bands × rows values per set). */
export function minhashSignatures(sets: readonly number[][], hashes: number, seed = 1): Uint32Array {
  const seeds = Array.from({ length: hashes }, (_, i) => mix(seed * 0x9e3779b1 + i * 0x7f4a7c15));
  const out = new Uint32Array(sets.length * hashes).fill(0xffffffff);
  sets.forEach((set, s) => {
    const base = s * hashes;
    for (const feature of set) {
      const f = mix(feature + 0x632be5ab);
      for (let h = 0; h < hashes; h++) {
        const v = mix(f ^ seeds[h]!);
        if (v < out[base + h]!) out[base + h] = v;
      }
    }
  });
  return out;
}

/** Candidate pairs [a, b] (a < b) from LSH banding; may contain repeats. */
export function lshCandidates(sets: readonly number[][], options: LshOptions, onPair: (a: number, b: number) => void): void {
  const { bands, rows, maxBucketPairs } = options;
  const hashes = bands * rows;
  const sig = minhashSignatures(sets, hashes, options.seed);
  for (let band = 0; band < bands; band++) {
    const buckets = new Map<number, number[]>();
    for (let s = 0; s < sets.length; s++) {
      if (sets[s]!.length === 0) continue;
      let key = band + 1;
      const base = s * hashes + band * rows;
      for (let r = 0; r < rows; r++) key = mix(Math.imul(key, 0x01000193) ^ sig[base + r]!);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(s);
      else buckets.set(key, [s]);
    }
    for (const members of buckets.values()) {
      const m = members.length;
      if (m < 2) continue;
      if (m <= maxBucketPairs + 1) {
        for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) onPair(members[i]!, members[j]!);
      } else {
        for (let i = 0; i < m; i++) {
          for (let step = 1; step <= maxBucketPairs; step++) {
            const j = (i + step * (1 + band)) % m;
            if (j !== i) onPair(Math.min(members[i]!, members[j]!), Math.max(members[i]!, members[j]!));
          }
        }
      }
    }
  }
}
