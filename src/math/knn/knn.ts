/**
 * Exact k-nearest neighbours by cosine distance, on L2-normalised row vectors (n × d, row-major).
 * Blocked so a block of query rows stays in cache while it sweeps all candidates; each point counts
 * as its own first neighbour at distance 0, as UMAP's kNN graph expects.
 */
import { rowDots } from './row-dots';

export interface KnnGraph {
  k: number;
  /** n × k neighbour indices, nearest first. */
  indices: Int32Array;
  /** n × k cosine distances (1 − cos), ascending. */
  distances: Float32Array;
}

const BLOCK = 64;

/**
 * Puts candidate j at `dist` into row `base`'s sorted list of k neighbours (slot 0 is the point itself),
 * if it is nearer than the farthest kept: insertion into a short sorted list.
 */
function insertNeighbour(indices: Int32Array, distances: Float32Array, base: number, k: number, j: number, dist: number): void {
  if (k < 2 || dist >= distances[base + k - 1]!) return;
  let pos = k - 1;
  while (pos > 1 && distances[base + pos - 1]! > dist) {
    distances[base + pos] = distances[base + pos - 1]!;
    indices[base + pos] = indices[base + pos - 1]!;
    pos--;
  }
  distances[base + pos] = dist;
  indices[base + pos] = j;
}

/**
 * A copy of n × d row vectors scaled to unit length, so dot products are cosines; an all-zero row
 * stays zero (it has no direction, and is nobody's near neighbour).
 */
export function l2NormalizeRows(vectors: Float32Array, d: number): Float32Array {
  const out = new Float32Array(vectors.length);
  for (let row = 0; row < vectors.length; row += d) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += vectors[row + j]! * vectors[row + j]!;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let j = 0; j < d; j++) out[row + j] = vectors[row + j]! * scale;
  }
  return out;
}

/**
 * Every pair once (similarity is symmetric), a block of BLOCK query rows at a time so each
 * candidate row, once loaded, serves the whole block.
 */
export function exactCosineKnn(vectors: Float32Array, n: number, d: number, k: number, onProgress?: (done: number, total: number) => void): KnnGraph {
  if (k > n) throw new Error(`k = ${k} neighbours asked of only ${n} points`);
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k).fill(Infinity);
  // The point itself first, then the k − 1 most similar others by insertion into a sorted list.
  for (let i = 0; i < n; i++) {
    indices[i * k] = i;
    distances[i * k] = 0;
  }
  const dot = rowDots(vectors, n, d);
  // Pairs done so far, for progress: block rows [start, end) against every later row.
  let pairs = 0;
  const totalPairs = (n * (n - 1)) / 2;
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    for (let j = start + 1; j < n; j++) {
      const last = Math.min(end, j);
      for (let i = start; i < last; i++) {
        const dist = 1 - dot(i, j);
        insertNeighbour(indices, distances, i * k, k, j, dist);
        insertNeighbour(indices, distances, j * k, k, i, dist);
      }
    }
    pairs += (end - start) * (n - end) + ((end - start) * (end - start - 1)) / 2;
    onProgress?.(Math.round((pairs / Math.max(1, totalPairs)) * n), n);
  }
  for (let i = 0; i < distances.length; i++) distances[i] = Math.max(0, distances[i]!);
  return { k, indices, distances };
}

/**
 * Exact k-nearest neighbours by Euclidean distance, for low-dimensional points (the 2D map), in the
 * same shape as exactCosineKnn: each point first at distance 0, then the k − 1 nearest others.
 */
export function exactEuclideanKnn(points: Float32Array, n: number, d: number, k: number): KnnGraph {
  if (k > n) throw new Error(`k = ${k} neighbours asked of only ${n} points`);
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    indices[base] = i;
    distances[base] = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let sum = 0;
      for (let c = 0; c < d; c++) sum += (points[i * d + c]! - points[j * d + c]!) ** 2;
      insertNeighbour(indices, distances, base, k, j, Math.sqrt(sum));
    }
  }
  return { k, indices, distances };
}
