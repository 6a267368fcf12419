/** What the layout benchmarks share: the vectors' shape, k, and the rows every method is scored on. */
export const BENCH_DIMS = 384;
export const BENCH_K = 15;

/** Evenly strided rows: the sample every method's kNN recall and trustworthiness are measured on. */
export function sampleRows(count: number, size: number): Int32Array {
  const m = Math.min(count, size);
  return Int32Array.from({ length: m }, (_, i) => Math.floor((i * count) / m));
}

/** The part of embedding-atlas's UMAP API the benchmark uses (its package lives in bench/baselines). */
export interface AtlasUmapModule {
  createUMAP(count: number, inputDim: number, outputDim: number, data: Float32Array, options: { metric: 'cosine'; nNeighbors: number; minDist: number; nEpochs: number; seed: number }): Promise<{
    run(): Promise<void>;
    readonly embedding: Float32Array;
    readonly knnIndices: Int32Array;
    destroy(): void;
  }>;
}

export const ATLAS_MODULE = new URL('../../bench/baselines/node_modules/embedding-atlas/dist/umap.js', import.meta.url);
