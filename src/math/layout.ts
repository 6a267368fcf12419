/**
 * 2D layout: umap-js on a precomputed kNN graph, seeded, started from a PCA of the vectors (stable
 * global structure, unlike umap-js's random start) and run one epoch at a time so callers can report
 * progress, stream intermediate layouts and stop.
 */
import { UMAP } from 'umap-js';
import { mulberry32 } from './random';
import { centredDenseOperator, randomizedSVD } from './svd';
import type { KnnGraph } from './knn';

export interface LayoutParams {
  nNeighbors: number;
  minDist: number;
  nEpochs: number;
  seed: number;
}

export const DEFAULT_LAYOUT_PARAMS: LayoutParams = { nNeighbors: 15, minDist: 0.1, nEpochs: 500, seed: 42 };

/** First two principal components, scaled so the larger spans [−10, 10] (umap-js's initial range). */
export function pcaInit(vectors: Float32Array, n: number, d: number, seed: number): Float32Array {
  const { u, s, k } = randomizedSVD(centredDenseOperator(vectors, n, d), 2, { seed });
  const out = new Float32Array(n * 2);
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 2; j++) {
      const v = j < k ? u[i * k + j]! * s[j]! : 0;
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
  /** Current positions, n × 2. */
  coords(): Float32Array;
}

function rowsOf<T extends ArrayLike<number>>(flat: T, n: number, width: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, j) => flat[i * width + j]!));
}

export function createLayout(vectors: Float32Array, n: number, d: number, knn: KnnGraph, params: LayoutParams = DEFAULT_LAYOUT_PARAMS): SteppedLayout {
  const nNeighbors = Math.min(params.nNeighbors, knn.k, n - 1);
  const umap = new UMAP({ nComponents: 2, nNeighbors, minDist: params.minDist, nEpochs: params.nEpochs, random: mulberry32(params.seed) });
  umap.setPrecomputedKNN(rowsOf(knn.indices, n, knn.k).map((r) => r.slice(0, nNeighbors)), rowsOf(knn.distances, n, knn.k).map((r) => r.slice(0, nNeighbors)));
  const epochs = umap.initializeFit(rowsOf(vectors, n, d));
  // umap-js starts from random positions and offers no init option; its optimiser reads the
  // embedding arrays in place, so overwriting them before the first step gives a PCA start.
  const embedding = (umap as unknown as { embedding: number[][] }).embedding;
  const init = pcaInit(vectors, n, d, params.seed);
  embedding.forEach((row, i) => {
    row[0] = init[2 * i]!;
    row[1] = init[2 * i + 1]!;
  });
  let done = 0;
  return {
    epochs,
    step() {
      if (done < epochs) done = umap.step();
      return done;
    },
    coords() {
      const out = new Float32Array(n * 2);
      umap.getEmbedding().forEach((row, i) => {
        out[2 * i] = row[0]!;
        out[2 * i + 1] = row[1]!;
      });
      return out;
    },
  };
}
