/**
 * UMAP's layout optimisation (umap-learn's optimize_layout_euclidean) on flat typed arrays.
 *
 * Each edge of the fuzzy graph is sampled in proportion to its weight: attracted along the edge, then
 * a few random points repelled, with the learning rate falling linearly to zero over the epochs.
 * The low-dimensional similarity is 1 / (1 + a·d^(2b)), with a and b fitted to the minimum distance.
 * Positions are updated in place, so the map can be drawn between epochs.
 *
 * A large map's edges are cut into shares (parts) that each run an epoch from the same positions, on
 * a copy, and whose moves are then added up (mergeMoves): two shares can run on two cores, and run
 * in one thread they give the same map, bit for bit. umap-learn's parallel mode likewise lets
 * threads move points without seeing each other's moves; here the moves meet once per epoch.
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

/** The edges the optimiser samples (plain arrays, so a share can be sent to another worker). */
export interface SgdEdges {
  heads: Int32Array;
  tails: Int32Array;
  /** Epochs between two samples of an edge: 1 for the strongest, more for weaker ones. */
  epochsPerSample: Float32Array;
}

/**
 * The edges worth sampling. Edges weaker than 1/nEpochs of the strongest would be sampled less than
 * once, so they are left out, as umap-learn does. Float32 is plenty for counts of a few hundred
 * epochs, and halves the memory at a million points.
 */
export function sampledEdges(graph: FuzzyGraph, nEpochs: number): SgdEdges {
  let maxWeight = 0;
  for (let e = 0; e < graph.weights.length; e++) maxWeight = Math.max(maxWeight, graph.weights[e]!);
  const keep = (e: number) => graph.weights[e]! > 0 && graph.weights[e]! >= maxWeight / nEpochs;
  let count = 0;
  for (let e = 0; e < graph.weights.length; e++) if (keep(e)) count++;
  const edges = { heads: new Int32Array(count), tails: new Int32Array(count), epochsPerSample: new Float32Array(count) };
  for (let e = 0, at = 0; e < graph.weights.length; e++) {
    if (!keep(e)) continue;
    edges.heads[at] = graph.heads[e]!;
    edges.tails[at] = graph.tails[e]!;
    edges.epochsPerSample[at++] = maxWeight / graph.weights[e]!;
  }
  return edges;
}

/**
 * Cuts the edges (sorted by head) into `parts` runs of about equal work: the samples an epoch takes
 * from each, 1/epochsPerSample per edge. A run never splits one head's edges, so each share moves
 * its own heads and only touches the others as tails.
 */
export function splitEdges(edges: SgdEdges, parts: number): SgdEdges[] {
  const count = edges.heads.length;
  let total = 0;
  for (let e = 0; e < count; e++) total += 1 / edges.epochsPerSample[e]!;
  const out: SgdEdges[] = [];
  let from = 0;
  let done = 0;
  for (let p = 1; p <= parts; p++) {
    let to = from;
    if (p === parts) to = count;
    else {
      while (to < count && done < (total * p) / parts) done += 1 / edges.epochsPerSample[to++]!;
      while (to < count && to > 0 && edges.heads[to] === edges.heads[to - 1]) done += 1 / edges.epochsPerSample[to++]!;
    }
    out.push({ heads: edges.heads.slice(from, to), tails: edges.tails.slice(from, to), epochsPerSample: edges.epochsPerSample.slice(from, to) });
    from = to;
  }
  return out;
}

/** The random stream of share `part`: share 0 keeps the layout's seed, so a one-share map is what it always was. */
export function partSeed(seed: number, part: number): number {
  return (seed + part * 0x9e3779b9) | 0;
}

/** One share of the edges with its own sampling schedule and random stream. */
export interface SgdPart {
  /** Runs epoch `epoch` of this share's edges on `positions` (n × 2, moved in place). */
  step(positions: Float32Array, epoch: number): void;
}

export function createSgdPart(edges: SgdEdges, n: number, options: SgdOptions): SgdPart {
  const { nEpochs, a, b, repulsionStrength, initialAlpha, negativeSampleRate } = options;
  const { heads, tails, epochsPerSample } = edges;
  const count = heads.length;
  const nextSample = epochsPerSample.slice();
  const epochsPerNegative = epochsPerSample.map((value) => value / negativeSampleRate);
  const nextNegative = epochsPerNegative.slice();

  // xorshift32 state, kept in a local while an epoch runs: a closure variable holding a 32-bit
  // integer is boxed on every write (V8's small integers are 31 bits), which cost more than the maths.
  let seedState = options.seed | 0 || 1;
  const scaleToN = n / 4294967296;
  const powB = powerTables(b);
  const repulsion = 2 * repulsionStrength * b;
  return {
    step(positions, now) {
      const alpha = initialAlpha * (1 - now / nEpochs);
      let random = seedState;
      for (let e = 0; e < count; e++) {
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
    },
  };
}

/**
 * Adds up the moves of shares that each ran one epoch from `base`: base + Σ (moved − base), written
 * into `base`. The sum is taken in this order and in doubles wherever it runs, so the map is the same.
 */
export function mergeMoves(base: Float32Array, moved: Float32Array[]): void {
  for (let i = 0; i < base.length; i++) {
    const from = base[i]!;
    let to = from;
    for (const share of moved) to += share[i]! - from;
    base[i] = to;
  }
}

/**
 * Above this many points the edges are cut into two shares. On held-out arXiv papers (10,000 and
 * 30,000, three seeds) two shares kept label agreement on the map and trustworthiness within the
 * spread between seeds; at 5,000 (then 500 epochs) they lost a little (−0.005 agreement), and a
 * small map's layout is short anyway.
 */
export const TWO_SHARES_ABOVE = 10_000;

/** How many shares a map of n points is laid out in: a function of n alone, so every caller gets the same map. */
export function sharesFor(n: number): number {
  return n > TWO_SHARES_ABOVE ? 2 : 1;
}

/**
 * Epochs by map size, umap-js's schedule: more for small maps, where each epoch is cheap, stepping
 * down to 200 by 7,500 points. (umap-learn's, 500 up to 10,000 and 200 above, made a 10,000-point
 * map 2.5 times the work of a 10,001-point one.) On held-out arXiv papers (three seeds) the steps
 * cost the map no measurable quality at 5,000 (400 epochs: label agreement on the map −0.0004,
 * trustworthiness −0.0011) and 7,500 (300: −0.0004, −0.0002) and a little at 10,000 (200: −0.003,
 * −0.0008), for layouts 17 %, 39 % and 59 % shorter.
 */
export function defaultEpochs(n: number): number {
  if (n <= 2_500) return 500;
  if (n <= 5_000) return 400;
  if (n <= 7_500) return 300;
  return 200;
}
