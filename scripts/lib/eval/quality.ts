/**
 * How faithful a 2D layout is to the vectors it came from (Venna & Kaski 2001). 1 is perfect for both.
 * Trustworthiness penalises points that look like neighbours on the map but are not neighbours in the
 * original space; continuity penalises true neighbours that the map pulls apart. Each is weighted by
 * how far off the point's rank is in the other space.
 */

function ranksFrom(i: number, n: number, dist: (i: number, j: number) => number): Int32Array {
  const order = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
  const d = new Float64Array(n);
  for (const j of order) d[j] = dist(i, j);
  order.sort((a, b) => d[a]! - d[b]! || a - b);
  const rank = new Int32Array(n);
  order.forEach((j, r) => (rank[j] = r + 1));
  return rank;
}

function squaredDistance(data: Float32Array, dims: number): (i: number, j: number) => number {
  return (i, j) => {
    let s = 0;
    for (let c = 0; c < dims; c++) {
      const diff = data[i * dims + c]! - data[j * dims + c]!;
      s += diff * diff;
    }
    return s;
  };
}

export interface NeighbourhoodPreservation {
  trustworthiness: number;
  continuity: number;
}

/**
 * Trustworthiness and continuity at k of `low` (n × lowDims) with respect to `high` (n × highDims),
 * from one ranking of every point's neighbours in each space. O(n² log n).
 */
export function neighbourhoodPreservation(high: Float32Array, highDims: number, low: Float32Array, lowDims: number, n: number, k: number): NeighbourhoodPreservation {
  if (k >= n / 2) throw new Error(`trustworthiness and continuity need k < n/2 (k = ${k}, n = ${n})`);
  const highDist = squaredDistance(high, highDims);
  const lowDist = squaredDistance(low, lowDims);
  let falseNeighbours = 0;
  let missedNeighbours = 0;
  for (let i = 0; i < n; i++) {
    const highRank = ranksFrom(i, n, highDist);
    const lowRank = ranksFrom(i, n, lowDist);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (lowRank[j]! <= k && highRank[j]! > k) falseNeighbours += highRank[j]! - k;
      if (highRank[j]! <= k && lowRank[j]! > k) missedNeighbours += lowRank[j]! - k;
    }
  }
  const scale = 2 / (n * k * (2 * n - 3 * k - 1));
  return { trustworthiness: 1 - scale * falseNeighbours, continuity: 1 - scale * missedNeighbours };
}

/** Trustworthiness at k of `low` (n × lowDims) with respect to `high` (n × highDims). */
export function trustworthiness(high: Float32Array, highDims: number, low: Float32Array, lowDims: number, n: number, k: number): number {
  return neighbourhoodPreservation(high, highDims, low, lowDims, n, k).trustworthiness;
}

/** Continuity at k of `low` with respect to `high`: trustworthiness with the two spaces' roles swapped. */
export function continuity(high: Float32Array, highDims: number, low: Float32Array, lowDims: number, n: number, k: number): number {
  return neighbourhoodPreservation(high, highDims, low, lowDims, n, k).continuity;
}

export interface SampledPreservation {
  /** One per layout, in the order given. */
  layouts: NeighbourhoodPreservation[];
  /** The k − 1 true nearest neighbours of each sampled row (rows.length × (k − 1)), for kNN recall. */
  trueNeighbours: Int32Array;
}

/** Number of values in the ascending array `sorted` that are smaller than `value`. */
function countBelow(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Trustworthiness and continuity at k estimated on a sample of rows, for maps too big for the
 * O(n² log n) exact measure: each sampled point's neighbours are ranked among all n points in both
 * spaces, and the sums are normalised by the sample size instead of n. The high-dimensional ranking
 * (the costly part) is done once and shared by every layout given.
 */
export function sampledNeighbourhoodPreservation(high: Float32Array, highDims: number, lows: Float32Array[], lowDims: number, n: number, k: number, rows: ArrayLike<number>): SampledPreservation {
  return sampledPreservationBy(squaredDistance(high, highDims), lows, lowDims, n, k, rows);
}

/** The same, with the original space given by its distance (any monotone one: e.g. 1 − cosine of sparse rows). */
export function sampledPreservationBy(highDist: (i: number, j: number) => number, lows: Float32Array[], lowDims: number, n: number, k: number, rows: ArrayLike<number>): SampledPreservation {
  if (k >= n / 2) throw new Error(`trustworthiness and continuity need k < n/2 (k = ${k}, n = ${n})`);
  const lowDists = lows.map((low) => squaredDistance(low, lowDims));
  const falseSums = new Float64Array(lows.length);
  const missedSums = new Float64Array(lows.length);
  const trueNeighbours = new Int32Array(rows.length * (k - 1));
  const dHigh = new Float64Array(n);
  const dLow = new Float64Array(n);
  // The k nearest by one pass with insertion into a short sorted list (self has distance −1: skipped).
  const nearest = (dist: Float64Array): number[] => {
    const best: number[] = [];
    for (let j = 0; j < n; j++) {
      const value = dist[j]!;
      if (value < 0 || (best.length === k && value >= dist[best[k - 1]!]!)) continue;
      let at = best.length === k ? k - 1 : best.length;
      while (at > 0 && dist[best[at - 1]!]! > value) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = j;
    }
    return best;
  };
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    for (let j = 0; j < n; j++) dHigh[j] = j === i ? -1 : highDist(i, j);
    const sortedHigh = dHigh.slice().sort().subarray(1);
    const highNearest = nearest(dHigh);
    highNearest.slice(0, k - 1).forEach((j, s) => (trueNeighbours[r * (k - 1) + s] = j));
    const highSet = new Set(highNearest);
    lowDists.forEach((lowDist, l) => {
      for (let j = 0; j < n; j++) dLow[j] = j === i ? -1 : lowDist(i, j);
      const sortedLow = dLow.slice().sort().subarray(1);
      const lowNearest = nearest(dLow);
      const lowSet = new Set(lowNearest);
      for (const j of lowNearest) if (!highSet.has(j)) falseSums[l]! += countBelow(sortedHigh, dHigh[j]!) + 1 - k;
      for (const j of highNearest) if (!lowSet.has(j)) missedSums[l]! += countBelow(sortedLow, dLow[j]!) + 1 - k;
    });
  }
  const scale = 2 / (rows.length * k * (2 * n - 3 * k - 1));
  return {
    layouts: lows.map((_, l) => ({ trustworthiness: 1 - scale * falseSums[l]!, continuity: 1 - scale * missedSums[l]! })),
    trueNeighbours,
  };
}
