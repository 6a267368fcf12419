/**
 * The kNN graph the layout starts from, on the CPU: exact while the all-pairs search is cheap
 * (n² · d below EXACT_WORK: about a second with SIMD dot products, and no approximation to explain), approximate by
 * NN-descent above it, where exact search grows quadratically (50,000 × 384-d would take minutes).
 */
import { exactCosineKnn, type KnnGraph } from './knn';
import { nnDescentCosineKnn } from './nn-descent';

const EXACT_WORK = 2e9;

export type NeighbourMethod = 'exact' | 'nn-descent';

export function neighbourMethod(n: number, d: number): NeighbourMethod {
  return n * n * d <= EXACT_WORK ? 'exact' : 'nn-descent';
}

/** k nearest neighbours of every row (rows L2-normalised), each row starting with the point itself. */
export function cosineNeighbours(vectors: Float32Array, n: number, d: number, k: number, options: { seed?: number; onProgress?: (done: number, total: number) => void } = {}): { knn: KnnGraph; method: NeighbourMethod } {
  const method = neighbourMethod(n, d);
  const knn = method === 'exact' ? exactCosineKnn(vectors, n, d, k, options.onProgress) : nnDescentCosineKnn(vectors, n, d, k, { ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return { knn, method };
}
