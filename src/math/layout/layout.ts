/**
 * 2D layout: UMAP on a precomputed kNN graph, on flat typed arrays from graph to positions (see
 * fuzzy-graph.ts and umap-sgd.ts), seeded, started from a PCA of the vectors (stable global structure,
 * unlike a random start) and run one epoch at a time so callers can report progress, stream
 * intermediate layouts and stop. umap-js still fits the curve of low-dimensional similarity.
 */
import { findABParams } from 'umap-js/dist/umap.js';
import { fuzzySimplicialSet } from './fuzzy-graph';
import { gaussian, mulberry32 } from '../random';
import { centredDenseOperator, randomizedSVD } from '../linalg/svd';
import { createSgdPart, DEFAULT_SGD, defaultEpochs, mergeMoves, partSeed, sampledEdges, sharesFor, splitEdges, type SgdEdges, type SgdOptions, type SgdPart } from './umap-sgd';
import type { KnnGraph } from '../knn/knn';

export interface LayoutParams {
  nNeighbors: number;
  minDist: number;
  /** Optimisation epochs; 'auto' is umap-js's schedule (500 up to 2,500 points, stepping down to 200 above 7,500: defaultEpochs). */
  nEpochs: number | 'auto';
  seed: number;
}

export const DEFAULT_LAYOUT_PARAMS: LayoutParams = { nNeighbors: 15, minDist: 0.1, nEpochs: 'auto', seed: 42 };

/** Rows the PCA start is fitted on: plenty to find two directions, and cheap at any n. */
const PCA_SAMPLE = 4000;

/**
 * First two principal components, scaled so the larger spans [−10, 10] (umap-learn's initial range).
 * The directions are fitted on an evenly strided sample of at most PCA_SAMPLE rows, then every row is
 * projected onto them: a full randomised SVD of 50,000 × 384 took longer than the layout itself.
 */
export function pcaInit(vectors: Float32Array, n: number, d: number, seed: number): Float32Array {
  const m = Math.min(n, PCA_SAMPLE);
  const sample = m === n ? vectors : new Float32Array(m * d);
  if (sample !== vectors) for (let r = 0; r < m; r++) sample.set(vectors.subarray(Math.floor((r * n) / m) * d, (Math.floor((r * n) / m) + 1) * d), r * d);
  const mean = new Float64Array(d);
  for (let r = 0; r < m; r++) for (let c = 0; c < d; c++) mean[c]! += sample[r * d + c]! / m;
  const { u, s, k } = randomizedSVD(centredDenseOperator(sample, m, d), 2, { seed });
  // Right singular vectors from the left ones: v_j = Xᵀ u_j / s_j (X the centred sample).
  const directions = new Float64Array(2 * d);
  for (let j = 0; j < Math.min(k, 2); j++) {
    if (!(s[j]! > 0)) continue;
    for (let r = 0; r < m; r++) {
      const weight = u[r * k + j]! / s[j]!;
      for (let c = 0; c < d; c++) directions[j * d + c]! += (sample[r * d + c]! - mean[c]!) * weight;
    }
  }
  const out = new Float32Array(n * 2);
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 2; j++) {
      let v = 0;
      for (let c = 0; c < d; c++) v += (vectors[i * d + c]! - mean[c]!) * directions[j * d + c]!;
      out[2 * i + j] = v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  }
  const scale = maxAbs > 0 ? 10 / maxAbs : 1;
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}

export interface SteppedLayout {
  epochs: number;
  /** Runs one epoch; returns the number of epochs done. */
  step(): number;
  /** A copy of the current positions, n × 2. */
  coords(): Float32Array;
}

/** Keeps only the first `k` neighbours of each row of a kNN graph. */
function firstNeighbours(knn: KnnGraph, n: number, k: number): KnnGraph {
  if (k === knn.k) return knn;
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    indices.set(knn.indices.subarray(i * knn.k, i * knn.k + k), i * k);
    distances.set(knn.distances.subarray(i * knn.k, i * knn.k + k), i * k);
  }
  return { k, indices, distances };
}

/**
 * A layout ready to run: where it starts, the edges cut into shares (umap-sgd.ts, sharesFor) and the
 * optimiser's settings. Run here by createLayout, or a share per core by workers/layout-side.ts: same map.
 */
export interface LayoutPlan {
  n: number;
  epochs: number;
  /** The start (n × 2), with a whisper of noise. */
  start: Float32Array;
  shares: SgdEdges[];
  sgd: SgdOptions;
}

/** The plan of a UMAP layout of the graph, started from `start` (n × 2; by default the PCA of the vectors). */
export function planLayout(vectors: Float32Array, n: number, d: number, knn: KnnGraph, params: LayoutParams = DEFAULT_LAYOUT_PARAMS, start?: Float32Array): LayoutPlan {
  const nEpochs = params.nEpochs === 'auto' ? defaultEpochs(n) : params.nEpochs;
  const positions = start ? start.slice() : pcaInit(vectors, n, d, params.seed);
  // A whisper of noise, so identical papers (same PCA position) can be told apart by the optimiser.
  const normal = gaussian(mulberry32(params.seed + 1));
  for (let i = 0; i < positions.length; i++) positions[i]! += normal() * 1e-4;
  const { a, b } = findABParams(1, params.minDist);
  const sgd = { ...DEFAULT_SGD, nEpochs, a, b, seed: params.seed };
  if (n < 3) return { n, epochs: 0, start: positions, shares: [], sgd };
  const graph = fuzzySimplicialSet(firstNeighbours(knn, n, Math.min(params.nNeighbors, knn.k, n)), n);
  return { n, epochs: nEpochs, start: positions, shares: splitEdges(sampledEdges(graph, nEpochs), sharesFor(n)), sgd };
}

/** The optimiser of share `part` of a plan, with that share's random stream. */
export function shareOptimiser(plan: Pick<LayoutPlan, 'n' | 'sgd'>, share: SgdEdges, part: number): SgdPart {
  return createSgdPart(share, plan.n, { ...plan.sgd, seed: partSeed(plan.sgd.seed, part) });
}

/**
 * Runs a plan in this thread, one epoch a step. One share moves the positions in place (umap-learn's
 * serial order); several each run from the epoch's positions and their moves are added up.
 */
export function runPlanHere(plan: LayoutPlan): SteppedLayout {
  const positions = plan.start.slice();
  const parts = plan.shares.map((share, p) => shareOptimiser(plan, share, p));
  // Each share's working copy, reused every epoch.
  const copies = parts.length > 1 ? parts.map(() => new Float32Array(positions.length)) : [];
  let epoch = 0;
  return {
    epochs: plan.epochs,
    step() {
      if (epoch >= plan.epochs) return epoch;
      if (parts.length === 1) parts[0]!.step(positions, epoch);
      else {
        parts.forEach((part, p) => {
          copies[p]!.set(positions);
          part.step(copies[p]!, epoch);
        });
        mergeMoves(positions, copies);
      }
      return ++epoch;
    },
    coords: () => positions.slice(),
  };
}

/** A stepped UMAP layout of the graph, started from `start` (n × 2; by default the PCA of the vectors), run in this thread. */
export function createLayout(vectors: Float32Array, n: number, d: number, knn: KnnGraph, params: LayoutParams = DEFAULT_LAYOUT_PARAMS, start?: Float32Array): SteppedLayout {
  return runPlanHere(planLayout(vectors, n, d, knn, params, start));
}
