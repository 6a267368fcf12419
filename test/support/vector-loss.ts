/**
 * What a lossy copy of the embedding vectors (e.g. the cache's int8 rows) changes in what the app
 * does with them: the similarity it ranks papers by (the dot product of stored rows: the cosine, for
 * the unit rows the pipeline makes) and each paper's k nearest neighbours. Measured from a seeded
 * sample of rows against every row, so it stays affordable at 100,000 papers.
 */

export interface VectorLoss {
  /** Rows measured (the sample). */
  rows: number;
  k: number;
  /** Largest and mean |similarity(original) − similarity(copy)| over every pair (sampled row, other row). */
  maxAbsCosError: number;
  meanAbsCosError: number;
  /** Mean share of a sampled row's k nearest neighbours (itself left out) that the copy also ranks in its k nearest. */
  topKAgreement: number;
}

export interface VectorLossOptions {
  /** Rows to measure (all when the corpus is smaller); default 200. */
  sample?: number;
  /** Neighbours compared; default 10. */
  k?: number;
  seed?: number;
}

export function vectorLoss(original: Float32Array, copy: Float32Array, dims: number, options: VectorLossOptions = {}): VectorLoss {
  if (original.length !== copy.length) throw new Error(`the copy has ${copy.length} numbers, the original ${original.length}`);
  const n = original.length / dims;
  const k = Math.min(options.k ?? 10, n - 1);
  const rows = sampleRows(n, options.sample ?? 200, options.seed ?? 1);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  let max = 0;
  let sum = 0;
  let pairs = 0;
  let agreement = 0;
  for (const i of rows) {
    similarities(original, dims, i, a);
    similarities(copy, dims, i, b);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const error = Math.abs(a[j]! - b[j]!);
      if (error > max) max = error;
      sum += error;
      pairs++;
    }
    if (k > 0) {
      const kept = new Set(nearest(a, i, k));
      agreement += nearest(b, i, k).filter((j) => kept.has(j)).length / k;
    }
  }
  return { rows: rows.length, k, maxAbsCosError: max, meanAbsCosError: pairs > 0 ? sum / pairs : 0, topKAgreement: rows.length > 0 && k > 0 ? agreement / rows.length : 1 };
}

/** Dot products of row i with every row, into out. */
function similarities(vectors: Float32Array, dims: number, i: number, out: Float32Array): void {
  const at = i * dims;
  for (let j = 0, bt = 0; j < out.length; j++, bt += dims) {
    let dot = 0;
    for (let c = 0; c < dims; c++) dot += vectors[at + c]! * vectors[bt + c]!;
    out[j] = dot;
  }
}

/** The k highest-scoring rows other than i, best first; ties go to the lower index (as search ranks them). */
function nearest(scores: Float32Array, i: number, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < scores.length; j++) {
    if (j === i) continue;
    const s = scores[j]!;
    if (best.length === k && s <= scores[best[k - 1]!]!) continue;
    let at = best.length < k ? best.length : k - 1;
    best[at] = j;
    // Insertion keeps the list sorted; an equal score stays behind the earlier (lower) index.
    while (at > 0 && scores[best[at - 1]!]! < s) {
      best[at] = best[at - 1]!;
      best[--at] = j;
    }
  }
  return best;
}

/** Up to `count` distinct rows of n, chosen by a seeded shuffle (all rows when n ≤ count). */
function sampleRows(n: number, count: number, seed: number): number[] {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const take = Math.min(count, n);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < take; i++) {
    // xorshift32: enough to spread a sample; it need not be a good random generator.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const j = i + (state % (n - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Array.from(order.subarray(0, take));
}
