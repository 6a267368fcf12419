/**
 * Every message that crosses the boundary between the page and a worker, in one place: the pipeline
 * worker's, the query worker's and the import worker's. The types they carry belong to the code that
 * owns them (src/pipeline/types.ts, src/corpus/import.ts). Typed arrays in results are transferred, never copied.
 */
import type { DevicePreference, DeviceChoice, GivenGeometry, PartialEmbedding, PipelineParams, PipelineResult, SimulatedFault, Stage } from '../src/pipeline/types';
import type { ColumnMap, ImportColumns, ImportResult } from '../src/corpus/import';
import type { CorpusFitOptions, CorpusSpace } from '../src/model/corpus-fit';
import type { TermTable } from '../src/math/topics/term-table';
import type { TopicTerms } from '../src/math/topics/labels';
import type { SgdEdges, SgdOptions } from '../src/math/layout/umap-sgd';
import type { PackedTexts } from '../src/pipeline/packed-texts';

/** A run as the pipeline runs it (runPipeline, workers/pipeline.ts). */
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

/** Page -> pipeline worker: a run, its texts packed (src/pipeline/packed-texts.ts). */
export type RunMessage = Omit<RunRequest, 'texts'> & { texts: PackedTexts };

/** Pipeline worker -> page. */
export type WorkerMessage =
  | { type: 'device'; choice: DeviceChoice }
  | { type: 'progress'; stage: Stage; done: number; total: number; /** What is counted, when not the stage's usual unit. */ unit?: string }
  | { type: 'stage-done'; stage: Stage; ms: number }
  /** Where a stage's work was done, when not where the stage's time was spent (shown beside its time). */
  | { type: 'stage-note'; stage: Stage; text: string }
  /** A stage that had nothing to do for this map, and why (shown struck through). */
  | { type: 'stage-skipped'; stage: Stage; reason: string }
  /** An intermediate layout (n × 2), so the map appears early and refines. */
  | { type: 'layout-preview'; coords: Float32Array; epoch: number; epochs: number }
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

// ─── The text side of a run (pipeline worker <-> workers/text.worker.ts) ─────────────────────────────

/**
 * Pipeline worker -> text worker: the texts and the fit first, then (once the pipeline worker is free)
 * the papers whose corpus parts it wants from the text worker (the rest it projects itself), then
 * every paper's terms, then (once the map is laid out) the topics of a level to name from those terms.
 * Answered in that order.
 */
export type TextRequest =
  | { type: 'fit'; id: number; texts: PackedTexts; options: CorpusFitOptions | null; /** Fault injection: the worker dies instead. */ crash: boolean }
  | { type: 'parts'; id: number; upTo: number }
  | { type: 'terms'; id: number; /** Whether to keep them, to name a level later. */ keep: boolean }
  | { type: 'name'; id: number; topics: Int32Array };

/** Text worker -> pipeline worker; `progress`: papers whose corpus parts are done. It reports a failure by crashing. */
export type TextMessage =
  | { type: 'space'; id: number; space: CorpusSpace | null }
  | { type: 'progress'; done: number }
  | { type: 'parts'; id: number; parts: Float32Array }
  | { type: 'terms'; id: number; table: TermTable }
  | { type: 'named'; id: number; terms: TopicTerms[] };

// ─── The layout's second share (pipeline worker <-> workers/layout.worker.ts) ────────────────────────

/**
 * Pipeline worker -> layout worker: run one epoch of the second share of the layout's edges from these
 * positions (n × 2). The first request carries the share and the optimiser's settings; `crash`: the
 * worker dies instead (fault injection). Answered with the moved positions, one request at a time.
 */
export interface LayoutRequest {
  type: 'epoch';
  epoch: number;
  positions: Float32Array;
  share?: { edges: SgdEdges; part: number; n: number; sgd: SgdOptions; crash: boolean };
}

/** Layout worker -> pipeline worker. It reports a failure by crashing. */
export interface LayoutMessage {
  type: 'moved';
  epoch: number;
  positions: Float32Array;
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
