/**
 * UMAP's layout optimisation (umap-learn's optimize_layout_euclidean) on flat typed arrays.
 *
 * Each edge of the fuzzy graph is sampled in proportion to its weight: attracted along the edge, then
 * a few random points repelled, with the learning rate falling linearly to zero over the epochs.
 * The low-dimensional similarity is 1 / (1 + a·d^(2b)), with a and b fitted to the minimum distance.
 * Positions are updated in place, so the map can be drawn between epochs.
 */
import { fastPow, powerTables } from './fast-pow';
import type { FuzzyGraph } from './fuzzy-graph';

export interface SgdOptions {
  nEpochs: number;
  a: number;
  b: number;
  /** Weight of repulsion against attraction. */
  repulsionStrength: number;
  initialAlpha: number;
  /** Random points repelled per attraction. */
  negativeSampleRate: number;
  seed: number;
}

export const DEFAULT_SGD: Omit<SgdOptions, 'nEpochs' | 'a' | 'b'> = { repulsionStrength: 1, initialAlpha: 1, negativeSampleRate: 5, seed: 42 };

/** Gradients are clipped to ±4, as in umap-learn, so a pair landing on top of each other cannot fling points away. */
function clip(value: number): number {
  return value > 4 ? 4 : value < -4 ? -4 : value;
}

export interface SgdOptimizer {
  readonly epochs: number;
  /** Runs one epoch over the edges, moving `positions` in place; returns the epochs done. */
  step(): number;
}

/**
 * An optimiser of `positions` (n × 2, changed in place) for the graph. Edges weaker than 1/nEpochs of
 * the strongest would be sampled less than once, so they are left out, as umap-learn does.
 */
export function createSgdOptimizer(graph: FuzzyGraph, positions: Float32Array, options: SgdOptions): SgdOptimizer {
  const { nEpochs, a, b, repulsionStrength, initialAlpha, negativeSampleRate } = options;
  const n = graph.n;
  let maxWeight = 0;
  for (let e = 0; e < graph.weights.length; e++) maxWeight = Math.max(maxWeight, graph.weights[e]!);
  const keep = (e: number) => graph.weights[e]! > 0 && graph.weights[e]! >= maxWeight / nEpochs;
  let edges = 0;
  for (let e = 0; e < graph.weights.length; e++) if (keep(e)) edges++;
  const heads = new Int32Array(edges);
  const tails = new Int32Array(edges);
  // Epochs between two samples of an edge: 1 for the strongest, more for weaker ones. Float32 is
  // plenty for counts of a few hundred epochs, and halves the memory at a million points.
  const epochsPerSample = new Float32Array(edges);
  for (let e = 0, at = 0; e < graph.weights.length; e++) {
    if (!keep(e)) continue;
    heads[at] = graph.heads[e]!;
    tails[at] = graph.tails[e]!;
    epochsPerSample[at++] = maxWeight / graph.weights[e]!;
  }
  const nextSample = epochsPerSample.slice();
  const epochsPerNegative = epochsPerSample.map((value) => value / negativeSampleRate);
  const nextNegative = epochsPerNegative.slice();

  // xorshift32 state, kept in a local while an epoch runs: a closure variable holding a 32-bit
  // integer is boxed on every write (V8's small integers are 31 bits), which cost more than the maths.
  let seedState = options.seed | 0 || 1;
  const scaleToN = n / 4294967296;
  const powB = powerTables(b);
  const repulsion = 2 * repulsionStrength * b;
  let epoch = 0;
  return {
    epochs: nEpochs,
    step() {
      if (epoch >= nEpochs) return epoch;
      const alpha = initialAlpha * (1 - epoch / nEpochs);
      const now = epoch;
      let random = seedState;
      for (let e = 0; e < edges; e++) {
        if (nextSample[e]! > now) continue;
        const j = heads[e]! * 2;
        const k = tails[e]! * 2;
        // The moving point stays in registers through its attraction and all its repulsions.
        let x = positions[j]!;
        let y = positions[j + 1]!;
        let dx = x - positions[k]!;
        let dy = y - positions[k + 1]!;
        let dist2 = dx * dx + dy * dy;
        if (dist2 > 0) {
          const dist2B = fastPow(dist2, powB);
          const coeff = (-2 * a * b * dist2B) / dist2 / (a * dist2B + 1);
          const gx = clip(coeff * dx) * alpha;
          const gy = clip(coeff * dy) * alpha;
          x += gx;
          y += gy;
          positions[k]! -= gx;
          positions[k + 1]! -= gy;
        }
        nextSample[e]! += epochsPerSample[e]!;

        // The repulsions of one sample are all measured from where the attraction left the point and
        // applied together: independent arithmetic the CPU overlaps, where umap-learn's one-by-one
        // updates chain every step on the last (3× slower here, for no measurable change in quality).
        const negatives = Math.floor((now - nextNegative[e]!) / epochsPerNegative[e]!);
        let pushX = 0;
        let pushY = 0;
        for (let p = 0; p < negatives; p++) {
          random ^= random << 13;
          random ^= random >>> 17;
          random ^= random << 5;
          const other = (((random >>> 0) * scaleToN) | 0) * 2;
          if (other === j) continue;
          dx = x - positions[other]!;
          dy = y - positions[other + 1]!;
          dist2 = dx * dx + dy * dy;
          if (dist2 <= 0) continue;
          const coeff = repulsion / ((0.001 + dist2) * (a * fastPow(dist2, powB) + 1));
          pushX += clip(coeff * dx);
          pushY += clip(coeff * dy);
        }
        x += pushX * alpha;
        y += pushY * alpha;
        positions[j] = x;
        positions[j + 1] = y;
        nextNegative[e]! += negatives * epochsPerNegative[e]!;
      }
      seedState = random;
      return ++epoch;
    },
  };
}

/** umap-learn's default epoch count: more for small maps, where each epoch is cheap. */
export function defaultEpochs(n: number): number {
  return n <= 10_000 ? 500 : 200;
}
