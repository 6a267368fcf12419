/**
 * Every message that crosses the boundary between the page and the pipeline worker, in one place.
 * Typed arrays in results are transferred, never copied.
 */
import type { LayoutParams } from '../src/math/layout';
import type { TopicLevel } from '../src/math/topics';
import type { QuantisedRows } from '../src/cache/quantise';
import type { CorpusFit } from '../src/model/corpus-fit';

export type Device = 'webgpu' | 'wasm';
export type DevicePreference = 'auto' | Device;
export type Stage = 'model' | 'embed' | 'fit' | 'knn' | 'layout' | 'topics';
export const STAGES: readonly Stage[] = ['model', 'embed', 'fit', 'knn', 'layout', 'topics'];

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
 * as the neighbour search starts when a static model embedded on the CPU), or the worker dying.
 */
export type SimulatedFault = 'gpu-loss' | 'worker-crash';
export const SIMULATED_FAULTS: readonly SimulatedFault[] = ['gpu-loss', 'worker-crash'];

/** Embeddings done before WebGPU failed: a fresh WASM worker carries on from there. */
export interface PartialEmbedding {
  vectors: Float32Array;
  dims: number;
  /** Texts embedded so far (rows 0..done−1 of vectors are valid). */
  done: number;
}

/** Page -> worker. */
export interface RunRequest {
  type: 'run';
  texts: string[];
  modelId: string;
  /** Absolute URL of the folder holding self-hosted models (<modelsUrl><modelId>/config.json). */
  modelsUrl: string;
  /** Absolute URL of the folder holding onnxruntime-web's WASM files. */
  ortUrl: string;
  device: DevicePreference;
  params: PipelineParams;
  simulate: SimulatedFault | null;
  /** Set when this run continues one whose WebGPU failed: why, and what was already embedded. */
  resume: { reason: string; partial: PartialEmbedding | null } | null;
  /** What the corpus file already gave: its vectors (no model runs) and/or 2D positions (no UMAP runs). */
  given?: GivenGeometry | null;
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
  /** Topics, coarse to fine (see src/math/topics.ts); COLOUR_LEVEL colours the map. */
  levels: TopicLevel[];
  /**
   * The device chosen for the run: the model ran there, except a static model's lookup (in JS on the
   * CPU; on WebGPU the neighbour search still ran there); null when the vectors came with the corpus file.
   */
  device: Device | null;
  /** How the kNN graph was found; null when the file gave positions (no layout ran). */
  neighbourMethod?: 'exact' | 'nn-descent' | 'webgpu' | null;
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

/** Worker -> page. */
export type WorkerMessage =
  | { type: 'device'; choice: DeviceChoice }
  | { type: 'progress'; stage: Stage; done: number; total: number; /** What is counted, when not the stage's usual unit. */ unit?: string }
  | { type: 'stage-done'; stage: Stage; ms: number }
  /** A stage that had nothing to do for this map, and why (shown struck through). */
  | { type: 'stage-skipped'; stage: Stage; reason: string }
  /** An intermediate layout (n × 2), so the map appears early and refines. */
  | { type: 'layout-preview'; coords: Float32Array; epoch: number; epochs: number }
  | { type: 'fallback'; reason: string }
  /** WebGPU failed; this worker stops so a fresh one (with a clean ONNX runtime) continues on WASM. */
  | { type: 'gpu-failed'; reason: string; partial: PartialEmbedding | null }
  | { type: 'result'; result: PipelineResult }
  | { type: 'error'; stage: Stage | null; message: string };

/** The buffers of a result, for postMessage's transfer list. */
export function resultTransfer(result: PipelineResult): Transferable[] {
  const { quantised } = result;
  const packed = quantised ? [quantised.codes.buffer, quantised.scales.buffer, quantised.centre.buffer] : [];
  return [result.embeddings.buffer, result.coords.buffer, ...result.levels.map((l) => l.topics.buffer), ...packed] as Transferable[];
}

/** Page -> query worker: embed one search query with the map's model. */
export interface QueryRequest {
  type: 'embed-query';
  id: number;
  text: string;
  modelId: string;
  modelsUrl: string;
  ortUrl: string;
}

/** Query worker -> page. `vector` is null when the query has no word the model knows. */
export type QueryMessage = { type: 'query-vector'; id: number; vector: Float32Array | null } | { type: 'query-error'; id: number; message: string };

// ─── Import of a user's own corpus file (page <-> workers/import.worker.ts) ─────────────────────────
// (Its import sits here, with the section it serves; imports are hoisted wherever they stand.)
import type { ColumnMap, ImportFormat, ImportResult } from '../src/corpus/import';

/** A summary of a file read into rows: enough for the page to confirm or change the column map. */
export interface ImportColumns {
  name: string;
  format: ImportFormat;
  columns: string[];
  /** The map guessed from the column names; title or text may be null when no column fits. */
  guess: ColumnMap;
  rows: number;
  /** The first rows, each cell as text and cut to a few hundred characters. */
  sample: Record<string, string>[];
  /** Problems found while reading (e.g. rows with too few fields) that did not stop it. */
  warnings: string[];
  /** A Papermap corpus asset: it is imported as is, and a column map is not needed. */
  papermap: boolean;
}

/** Page -> import worker: read a file (a File is a Blob) or fetch a URL, then build with a column map (again with another map if the user changes it). */
export type ImportRequest = { type: 'open'; source: Blob | string; name: string | null } | { type: 'build'; map: ColumnMap };

/** Import worker -> page. */
export type ImportMessage =
  | { type: 'progress'; bytes: number; total: number | null }
  | ({ type: 'columns' } & ImportColumns)
  | { type: 'done'; result: ImportResult }
  | { type: 'error'; message: string };

/** The buffers of an import result, for postMessage's transfer list. */
export function importResultTransfer(result: ImportResult): Transferable[] {
  return [result.vectors?.data.buffer, result.coords?.buffer].filter((b) => b !== undefined) as Transferable[];
}
