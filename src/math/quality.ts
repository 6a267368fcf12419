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
