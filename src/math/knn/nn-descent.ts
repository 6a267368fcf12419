/**
 * Approximate k-nearest neighbours by cosine distance, for maps too big for the exact search.
 *
 * A forest of random-projection trees gives every point first candidates (the points sharing its
 * leaves); NN-descent (Dong, Charikar & Li 2011, as in pynndescent) then refines them on the idea that
 * a neighbour of a neighbour is likely a neighbour: each round compares, for every point, the pairs
 * among its newest neighbours and between new and old ones, and stops when few lists change.
 * Everything lives in flat typed arrays (one bounded max-heap per point), never per-edge objects.
 * Rows must be L2-normalised (see l2NormalizeRows): the distance is 1 − dot product.
 */
import type { KnnGraph } from './knn';
import { rowDots, type RowDot } from './row-dots';
import { gaussian, mulberry32 } from '../random';

export interface NnDescentOptions {
  /** Random-projection trees; more gives better first candidates at a linear cost. */
  nTrees: number;
  /** Largest leaf; every pair in a leaf is compared. At least k. */
  leafSize: number;
  /** Dimensions of the random sketch the trees split in (the full vectors when d is smaller). */
  treeDims: number;
  maxIterations: number;
  /** Neighbours sampled per point per round (new and old each). */
  maxCandidates: number;
  /** Stop when a round changes fewer than delta × n × k list entries. */
  delta: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Defaults after pynndescent's, with fewer trees: tuned on the benchmark's clustered 384-d vectors,
 * where they give kNN recall ≈ 0.995 at 50,000 (see npm run bench).
 */
export function defaultNnDescentOptions(n: number, k: number): NnDescentOptions {
  return {
    nTrees: Math.min(16, 3 + Math.round(Math.log2(n) / 4)),
    leafSize: Math.max(k, 24),
    treeDims: 32,
    maxIterations: Math.max(5, Math.round(Math.log2(n))),
    maxCandidates: Math.min(k, 20),
    delta: 0.001,
    seed: 42,
  };
}

/**
 * n bounded max-heaps of (index, distance, is-new) in flat arrays, `size` slots each: the root holds
 * the farthest kept neighbour, so "is this candidate better than the worst?" is one comparison.
 */
export class NeighbourHeaps {
  readonly indices: Int32Array;
  readonly distances: Float32Array;
  readonly isNew: Uint8Array;

  constructor(
    readonly n: number,
    readonly size: number,
  ) {
    this.indices = new Int32Array(n * size).fill(-1);
    this.distances = new Float32Array(n * size).fill(Infinity);
    this.isNew = new Uint8Array(n * size);
  }

  has(row: number, j: number): boolean {
    const base = row * this.size;
    for (let s = 0; s < this.size; s++) if (this.indices[base + s] === j) return true;
    return false;
  }

  /** Keeps j in row's list if it is nearer than the farthest kept and not there yet; true if kept. */
  push(row: number, j: number, dist: number): boolean {
    const base = row * this.size;
    const { indices, distances, isNew, size } = this;
    if (!(dist < distances[base]!)) return false;
    for (let s = 0; s < size; s++) if (indices[base + s] === j) return false;
    // Replace the root and sift it down.
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && distances[base + right]! > distances[base + left]! ? right : left;
      if (distances[base + child]! <= dist) break;
      distances[base + pos] = distances[base + child]!;
      indices[base + pos] = indices[base + child]!;
      isNew[base + pos] = isNew[base + child]!;
      pos = child;
    }
    distances[base + pos] = dist;
    indices[base + pos] = j;
    isNew[base + pos] = 1;
    return true;
  }
}

/**
 * A random Gaussian sketch of the rows in `dims` dimensions (Johnson–Lindenstrauss): cheap to split
 * trees in, since the trees only propose candidates and every candidate is then measured exactly.
 * Row i's sketch is its dot products with the `dims` directions, rows n … n + dims − 1 of `dot`.
 */
function sketch(dot: RowDot, n: number, dims: number): Float32Array {
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) for (let p = 0; p < dims; p++) out[i * dims + p] = dot(i, n + p);
  return out;
}

/**
 * Splits `points` (row indices of `space`, dims wide) by random hyperplanes until every part has at
 * most leafSize points, and calls onLeaf for each part. Each plane is the perpendicular bisector of
 * two random members a and b: normal a − b, through their midpoint.
 */
function randomProjectionLeaves(space: Float32Array, dims: number, points: Int32Array, leafSize: number, random: () => number, onLeaf: (leaf: Int32Array) => void): void {
  const normal = new Float64Array(dims);
  const stack: Int32Array[] = [points];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.length <= leafSize) {
      onLeaf(node);
      continue;
    }
    const a = node[Math.floor(random() * node.length)]! * dims;
    let b = node[Math.floor(random() * node.length)]! * dims;
    for (let tries = 0; b === a && tries < 8; tries++) b = node[Math.floor(random() * node.length)]! * dims;
    let offset = 0;
    for (let c = 0; c < dims; c++) {
      normal[c] = space[a + c]! - space[b + c]!;
      offset += (normal[c]! * (space[a + c]! + space[b + c]!)) / 2;
    }
    const side = new Uint8Array(node.length);
    let left = 0;
    for (let p = 0; p < node.length; p++) {
      const base = node[p]! * dims;
      let margin = -offset;
      for (let c = 0; c < dims; c++) margin += normal[c]! * space[base + c]!;
      // Points on the plane (duplicates, zero rows) go either way at random, so parts keep shrinking.
      const goesLeft = margin === 0 ? random() < 0.5 : margin < 0;
      side[p] = goesLeft ? 1 : 0;
      if (goesLeft) left++;
    }
    if (left === 0 || left === node.length) {
      // A degenerate split (all points equal along the normal): halve at random instead.
      left = 0;
      for (let p = 0; p < node.length; p++) {
        side[p] = random() < 0.5 ? 1 : 0;
        left += side[p]!;
      }
    }
    const leftPart = new Int32Array(left);
    const rightPart = new Int32Array(node.length - left);
    for (let p = 0, l = 0, r = 0; p < node.length; p++) {
      if (side[p]) leftPart[l++] = node[p]!;
      else rightPart[r++] = node[p]!;
    }
    stack.push(leftPart, rightPart);
  }
}

/**
 * Per-point candidate lists of bounded size, each keeping the entries with the smallest random
 * priorities: an unbiased sample of a point's forward and reverse neighbours.
 */
class CandidateLists {
  readonly indices: Int32Array;
  readonly priorities: Float32Array;
  readonly counts: Int32Array;

  constructor(
    n: number,
    readonly size: number,
  ) {
    this.indices = new Int32Array(n * size);
    this.priorities = new Float32Array(n * size);
    this.counts = new Int32Array(n);
  }

  clear(): void {
    this.counts.fill(0);
  }

  add(row: number, j: number, priority: number): void {
    const base = row * this.size;
    const count = this.counts[row]!;
    let worst = 0;
    for (let s = 0; s < count; s++) {
      if (this.indices[base + s] === j) return;
      if (this.priorities[base + s]! > this.priorities[base + worst]!) worst = s;
    }
    if (count < this.size) {
      this.indices[base + count] = j;
      this.priorities[base + count] = priority;
      this.counts[row] = count + 1;
    } else if (priority < this.priorities[base + worst]!) {
      this.indices[base + worst] = j;
      this.priorities[base + worst] = priority;
    }
  }

  has(row: number, j: number): boolean {
    const base = row * this.size;
    for (let s = 0; s < this.counts[row]!; s++) if (this.indices[base + s] === j) return true;
    return false;
  }
}

/** Approximate cosine kNN in the same shape as exactCosineKnn: each row starts with the point itself. */
export function nnDescentCosineKnn(vectors: Float32Array, n: number, d: number, k: number, options: Partial<NnDescentOptions> = {}): KnnGraph {
  if (k > n) throw new Error(`k = ${k} neighbours asked of only ${n} points`);
  const opts = { ...defaultNnDescentOptions(n, k), ...options };
  const random = mulberry32(opts.seed);
  const others = k - 1;
  const heaps = new NeighbourHeaps(n, Math.max(1, others));
  const treeDims = Math.min(d, opts.treeDims);
  const normal = gaussian(random);
  const directions = treeDims < d ? Float32Array.from({ length: treeDims * d }, normal) : undefined;
  const dot = rowDots(vectors, n, d, directions ? { extra: directions } : {});
  const total = opts.nTrees + opts.maxIterations;
  let updates = 0;
  const tryPair = (p: number, q: number): void => {
    if (p === q || (heaps.has(p, q) && heaps.has(q, p))) return;
    const dist = Math.max(0, 1 - dot(p, q));
    if (heaps.push(p, q, dist)) updates++;
    if (heaps.push(q, p, dist)) updates++;
  };

  // 1. First candidates: every pair within each leaf of each tree.
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const space = directions ? sketch(dot, n, treeDims) : vectors;
  for (let tree = 0; tree < opts.nTrees && others > 0; tree++) {
    randomProjectionLeaves(space, treeDims, all, Math.max(opts.leafSize, k), random, (leaf) => {
      for (let a = 0; a < leaf.length; a++) for (let b = a + 1; b < leaf.length; b++) tryPair(leaf[a]!, leaf[b]!);
    });
    opts.onProgress?.(tree + 1, total);
  }
  // Rows still short (tiny or degenerate inputs) are topped up with random points.
  for (let i = 0; i < n && others > 0; i++) {
    for (let tries = 0; heaps.indices[i * heaps.size] === -1 && tries < 4 * n; tries++) tryPair(i, Math.floor(random() * n));
  }

  // 2. NN-descent rounds.
  const fresh = new CandidateLists(n, opts.maxCandidates);
  const old = new CandidateLists(n, opts.maxCandidates);
  let iteration = 0;
  for (; iteration < opts.maxIterations && others > 0; iteration++) {
    fresh.clear();
    old.clear();
    for (let i = 0; i < n; i++) {
      const base = i * heaps.size;
      for (let s = 0; s < heaps.size; s++) {
        const j = heaps.indices[base + s]!;
        if (j < 0) continue;
        const priority = random();
        const lists = heaps.isNew[base + s] ? fresh : old;
        lists.add(i, j, priority);
        lists.add(j, i, priority);
      }
    }
    // Sampled new neighbours are old from now on.
    for (let i = 0; i < n; i++) {
      const base = i * heaps.size;
      for (let s = 0; s < heaps.size; s++) if (heaps.isNew[base + s] && fresh.has(i, heaps.indices[base + s]!)) heaps.isNew[base + s] = 0;
    }
    updates = 0;
    for (let i = 0; i < n; i++) {
      const fBase = i * fresh.size;
      const fCount = fresh.counts[i]!;
      const oBase = i * old.size;
      const oCount = old.counts[i]!;
      for (let a = 0; a < fCount; a++) {
        const p = fresh.indices[fBase + a]!;
        for (let b = a + 1; b < fCount; b++) tryPair(p, fresh.indices[fBase + b]!);
        for (let b = 0; b < oCount; b++) tryPair(p, old.indices[oBase + b]!);
      }
    }
    opts.onProgress?.(opts.nTrees + iteration + 1, total);
    if (updates <= opts.delta * n * k) break;
  }
  opts.onProgress?.(total, total);

  // 3. Each row sorted nearest first, after the point itself.
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  const order = Array.from({ length: heaps.size }, (_, s) => s);
  for (let i = 0; i < n; i++) {
    const base = i * heaps.size;
    indices[i * k] = i;
    distances[i * k] = 0;
    if (others === 0) continue;
    order.sort((x, y) => heaps.distances[base + x]! - heaps.distances[base + y]!);
    for (let s = 0; s < others; s++) {
      indices[i * k + 1 + s] = heaps.indices[base + order[s]!]!;
      distances[i * k + 1 + s] = heaps.distances[base + order[s]!]!;
    }
  }
  return { k, indices, distances };
}

/** Fraction of the true neighbours (the point itself excluded) that `approx` found, over `rows`. */
export function knnRecall(approx: KnnGraph, exact: KnnGraph, rows: ArrayLike<number>): number {
  let found = 0;
  let wanted = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    const truth = new Set<number>();
    for (let s = 1; s < exact.k; s++) truth.add(exact.indices[i * exact.k + s]!);
    for (let s = 1; s < approx.k; s++) if (truth.has(approx.indices[i * approx.k + s]!)) found++;
    wanted += truth.size;
  }
  return wanted === 0 ? 1 : found / wanted;
}
