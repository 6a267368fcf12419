/**
 * How faithful a 2D layout is to the vectors it came from.
 * Trustworthiness (Venna & Kaski 2001): penalises points that look like neighbours on the map but
 * are not neighbours in the original space, weighted by how far off their true rank is. 1 is perfect.
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

/** Trustworthiness at k of `low` (n × lowDims) with respect to `high` (n × highDims). O(n² log n). */
export function trustworthiness(high: Float32Array, highDims: number, low: Float32Array, lowDims: number, n: number, k: number): number {
  if (k >= n / 2) throw new Error(`trustworthiness needs k < n/2 (k = ${k}, n = ${n})`);
  const highDist = squaredDistance(high, highDims);
  const lowDist = squaredDistance(low, lowDims);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    const highRank = ranksFrom(i, n, highDist);
    const lowRank = ranksFrom(i, n, lowDist);
    for (let j = 0; j < n; j++) {
      if (j !== i && lowRank[j]! <= k && highRank[j]! > k) penalty += highRank[j]! - k;
    }
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}
