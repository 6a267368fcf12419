/**
 * UMAP's fuzzy neighbour graph (McInnes, Healy & Melville 2018, §3), on flat typed arrays.
 *
 * Each point's kNN distances become membership strengths exp(−(d − ρ)/σ), where ρ is the distance to
 * its nearest neighbour (so every point is connected to at least one other) and σ is chosen so the
 * strengths sum to log2(k) (every point gets the same total). The directed graph is then made
 * symmetric by fuzzy union, w = a + b − a·b, and stored as a list of edges in both directions,
 * sorted by their first point.
 */
import type { KnnGraph } from '../knn/knn';

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

export interface SmoothDistances {
  /** Per point: the distance of its nearest (non-identical) neighbour. */
  rhos: Float32Array;
  /** Per point: the kernel width that makes its memberships sum to log2(k). */
  sigmas: Float32Array;
}

/**
 * ρ and σ for every row of a kNN graph whose rows start with the point itself (distance 0), as
 * umap-learn's smooth_knn_dist with local connectivity 1: binary search on σ, 64 steps at most.
 */
export function smoothKnnDistances(knn: KnnGraph, n: number, nIter = 64): SmoothDistances {
  const { k, distances } = knn;
  const target = Math.log2(k);
  const rhos = new Float32Array(n);
  const sigmas = new Float32Array(n);
  let meanAll = 0;
  for (let i = 0; i < distances.length; i++) meanAll += distances[i]!;
  meanAll /= Math.max(1, distances.length);

  for (let i = 0; i < n; i++) {
    const base = i * k;
    let rho = 0;
    let meanRow = 0;
    for (let s = 0; s < k; s++) {
      const dist = distances[base + s]!;
      meanRow += dist;
      if (rho === 0 && dist > 0) rho = dist;
    }
    meanRow /= k;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let step = 0; step < nIter; step++) {
      let sum = 0;
      for (let s = 1; s < k; s++) {
        const excess = distances[base + s]! - rho;
        sum += excess > 0 ? Math.exp(-excess / mid) : 1;
      }
      if (Math.abs(sum - target) < SMOOTH_K_TOLERANCE) break;
      if (sum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    // A floor on σ, so a point whose neighbours all sit at one distance does not get an infinitely sharp kernel.
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? meanRow : meanAll);
    rhos[i] = rho;
    sigmas[i] = Math.max(mid, floor);
  }
  return { rhos, sigmas };
}

/** The symmetric fuzzy graph as edges in both directions, sorted by `heads`. */
export interface FuzzyGraph {
  n: number;
  heads: Int32Array;
  tails: Int32Array;
  weights: Float32Array;
}

/** Membership strength of each directed kNN edge (row i, slot s); 0 for the point itself. */
export function membershipStrengths(knn: KnnGraph, n: number, smooth: SmoothDistances): Float32Array {
  const { k, indices, distances } = knn;
  const strengths = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const rho = smooth.rhos[i]!;
    const sigma = smooth.sigmas[i]!;
    for (let s = 0; s < k; s++) {
      const j = indices[i * k + s]!;
      if (j === i || j < 0) continue;
      const excess = distances[i * k + s]! - rho;
      strengths[i * k + s] = excess <= 0 || sigma === 0 ? 1 : Math.exp(-excess / sigma);
    }
  }
  return strengths;
}

/** Strength of the edge i → j in the directed kNN graph (0 when j is not among i's neighbours). */
function strengthOf(knn: KnnGraph, strengths: Float32Array, i: number, j: number): number {
  const base = i * knn.k;
  for (let s = 0; s < knn.k; s++) if (knn.indices[base + s] === j) return strengths[base + s]!;
  return 0;
}

export function fuzzySimplicialSet(knn: KnnGraph, n: number): FuzzyGraph {
  const { k, indices } = knn;
  const strengths = membershipStrengths(knn, n, smoothKnnDistances(knn, n));

  // Count, then fill, the symmetric edges: i → j from i's row, and j → i too when i is not in j's
  // row (otherwise j's row emits it). Reverse lookups scan one row of k entries.
  const degree = new Int32Array(n + 1);
  const forEachEdge = (visit: (head: number, tail: number, weight: number) => void) => {
    for (let i = 0; i < n; i++) {
      for (let s = 0; s < k; s++) {
        const j = indices[i * k + s]!;
        const a = strengths[i * k + s]!;
        if (j === i || j < 0 || a === 0) continue;
        const b = strengthOf(knn, strengths, j, i);
        const w = a + b - a * b;
        visit(i, j, w);
        if (b === 0) visit(j, i, w);
      }
    }
  };
  forEachEdge((head) => degree[head + 1]!++);
  for (let i = 0; i < n; i++) degree[i + 1]! += degree[i]!;
  const total = degree[n]!;
  const heads = new Int32Array(total);
  const tails = new Int32Array(total);
  const weights = new Float32Array(total);
  const next = degree.slice(0, n);
  forEachEdge((head, tail, weight) => {
    const at = next[head]!++;
    heads[at] = head;
    tails[at] = tail;
    weights[at] = weight;
  });
  return { n, heads, tails, weights };
}
