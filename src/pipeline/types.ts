/**
 * The pipeline's own vocabulary: its stages, parameters, devices, what a corpus file may bring in
 * place of the model's work, and what a run gives back. The page, the workers (workers/pipeline.ts)
 * and the build scripts share it; the messages that carry these between page and worker are in
 * workers/messages.ts.
 */
import type { LayoutParams } from '../math/layout/layout';
import type { NeighbourMethod } from '../math/knn/neighbours';
import type { TopicLevel } from '../math/topics/topics';
import type { QuantisedRows } from '../cache/quantise';
import type { CorpusFit } from '../model/corpus-fit';

export type Device = 'webgpu' | 'wasm';
export type DevicePreference = 'auto' | Device;
export type Stage = 'model' | 'embed' | 'fit' | 'knn' | 'layout' | 'topics';
export const STAGES: readonly Stage[] = ['model', 'embed', 'fit', 'knn', 'layout', 'topics'];

/** How a map's kNN graph was found: on the CPU (exact or NN-descent, see src/math/knn/neighbours.ts) or exact on the GPU. */
export type NeighbourMethodUsed = NeighbourMethod | 'webgpu';

export interface PipelineParams extends LayoutParams {
  /** Papers per embedding batch. */
  batchSize: number;
  /** Fit the model to the corpus being mapped when the model asks for it (src/model/corpus-fit.ts). */
  corpusFit: boolean;
}

export const DEFAULT_PIPELINE_PARAMS: PipelineParams = { nNeighbors: 15, minDist: 0.1, nEpochs: 'auto', seed: 42, batchSize: 16, corpusFit: true };

/**
 * Faults the pipeline can be asked to stage (?simulate=…), so the recovery paths can be exercised in
 * a real browser: the WebGPU device destroyed mid-run (during embedding on the transformers.js path;
 * as the neighbour search starts when a static model embedded on the CPU), the worker dying, or the
 * second worker (the text side: workers/text-side.ts) dying, whose work the pipeline worker then does,
 * or the worker running half of a large map's layout (workers/layout-side.ts) dying, likewise.
 */
export type SimulatedFault = 'gpu-loss' | 'worker-crash' | 'text-worker-crash' | 'layout-worker-crash';
export const SIMULATED_FAULTS: readonly SimulatedFault[] = ['gpu-loss', 'worker-crash', 'text-worker-crash', 'layout-worker-crash'];

/** Embeddings done before WebGPU failed: a fresh WASM worker carries on from there. */
export interface PartialEmbedding {
  vectors: Float32Array;
  dims: number;
  /**
   * Texts embedded so far, counted in the embedder's own order (the transformers.js path embeds the
   * longest first, src/model/length-order.ts): those papers' rows of vectors are valid.
   */
  done: number;
}

export interface GivenGeometry {
  vectors: { data: Float32Array; dims: number } | null;
  coords: Float32Array | null;
  /** For a file with positions but no vectors: embed its texts anyway (for search by meaning), keeping the positions. */
  embed?: boolean;
}

/**
 * What a corpus file brought in place of the model's work: its own vectors, or positions that the
 * map uses without any vectors; null when the model runs.
 */
export type FileGeometry = 'vectors' | 'positions' | null;

export function fileGeometry(given: GivenGeometry | null): FileGeometry {
  return given?.vectors ? 'vectors' : given?.coords && !given.embed ? 'positions' : null;
}

export interface DeviceChoice {
  device: Device;
  /** Why this device: shown to the user. */
  reason: string;
  /** The WebGPU adapter's description, when there is one. */
  adapter: string | null;
  /**
   * Set when the embedding did not run on `device`: a static model's lookup runs in JS on the CPU,
   * and `device` then serves the neighbour search only (WebGPU) or nothing at all (WASM).
   */
  embeddedOn?: 'cpu';
  /** Set when the neighbour search runs on the CPU though `device` is WebGPU: why (workers/device.ts). */
  cpuSearch?: string;
}

export interface PipelineResult {
  n: number;
  dims: number;
  /** n × dims, L2-normalised (with the corpus fit's dimensions after the model's, when there is one). */
  embeddings: Float32Array;
  /** The fit to this corpus blended into the embeddings, kept so a search query is blended the same way. */
  corpusFit?: CorpusFit | null;
  /** n × 2 layout positions. */
  coords: Float32Array;
  /** Topics, coarse to fine (see src/math/topics/topics.ts); COLOUR_LEVEL colours the map. */
  levels: TopicLevel[];
  /**
   * The device chosen for the run: the model ran there, except a static model's lookup (in JS on the
   * CPU; on WebGPU the neighbour search still ran there); null when the vectors came with the corpus file.
   */
  device: Device | null;
  /** How the kNN graph was found; null when the file gave positions (no layout ran). */
  neighbourMethod?: NeighbourMethodUsed | null;
  /** Set when WebGPU failed during the run and WASM finished it. */
  fallback: string | null;
  /** Things the user should know about this map (e.g. papers the model could not read). */
  warnings: string[];
  timings: Partial<Record<Stage, number>>;
  /**
   * The embeddings as the map cache stores them (int8 around the mean, see quantise.ts), computed in
   * the worker so that saving the map costs the page nothing (0.8 s at 100,000 × 384). Only on fresh results.
   */
  quantised?: QuantisedRows;
}
