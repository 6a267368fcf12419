/**
 * What the pipeline, the query worker and `npm run eval` need of a text embedder, whichever path
 * runs the model: transformers.js (workers/embed.ts) or the static lookup (workers/embed-static.ts).
 */
import type { CorpusFitHint } from '../src/model/corpus-fit';
import type { Device, PartialEmbedding } from '../src/pipeline/types';

export interface EmbedderOptions {
  modelId: string;
  modelsUrl: string;
  ortUrl: string;
  device: Device;
  /** Fault injection: destroy the WebGPU device after this many batches, as a driver reset would. */
  loseGpuAfterBatch?: number;
  /**
   * Hears the model's corpus-fit hint as soon as its config.json is read, before its larger files:
   * the fit can start meanwhile (the static path calls it; otherwise `corpusFit` says it after loading).
   */
  onFitHint?: (hint: CorpusFitHint | null) => void;
}

export interface Embedder {
  /** The device chosen for the run (where the neighbour search runs too). */
  readonly device: Device;
  /** Where the embedding itself ran: the device, or 'cpu' for a static model's lookup in JS. */
  readonly embeddedOn: Device | 'cpu';
  /**
   * Embeds all texts in batches, from `resume.done` on when resuming, reporting progress after each
   * batch. Returns n × dims, and the indices of texts with no word the model knows (their mean vector
   * is zero, which normalises to NaN: they get 0). `home`: where to make the vectors, honoured by the
   * static path (the only one with a corpus fit), whose `room` says what was left.
   */
  embedAll(texts: string[], batchSize: number, onProgress: (done: number, total: number) => void, resume?: PartialEmbedding | null, home?: VectorsHome): Promise<EmbeddedTexts>;
  /**
   * How the model asks a map built with it to be fitted to the corpus (config.json's
   * papermap.corpus_fit; the embedded model has it), or null: a pretrained model's vectors are used as
   * they are.
   */
  readonly corpusFit: CorpusFitHint | null;
  /** The tokenizer's pieces for a text (WordPiece: "##" marks a continuation). */
  tokenize(text: string): string[];
  dispose(): Promise<void>;
}

/** Where a run's vectors are made, for what the pipeline does with them next. */
export interface VectorsHome {
  /** Floats per row left free after the vectors, so a blend that widens the rows writes in place (blendParts). */
  roomPerRow: number;
  /** Makes the buffer: `length` floats in rows `width` wide (the pipeline's: searchableRows, read by the neighbour search in place). */
  allocate: (length: number, width: number) => Float32Array;
}

export interface EmbeddedTexts {
  /** n × dims, a view at the start of a buffer that may be longer (see `room`). */
  vectors: Float32Array;
  dims: number;
  empty: number[];
  /** Floats per row free in the buffer after the vectors (0 unless asked for, and not on a resume). */
  room?: number;
}

/** The part of a model's config.json that Papermap reads: the block its own models carry. */
export interface ModelConfig {
  papermap?: { corpus_fit?: { dims?: unknown }; fit?: { fieldDims?: unknown } };
}

/**
 * The corpus-fit hint of a model's config. `queryIgnores`: leading dimensions a search query leaves
 * out (the embedded model's field block, papermap.fit.fieldDims: it groups papers by field, which a
 * short query cannot say).
 */
export function corpusFitHint(config: ModelConfig): CorpusFitHint | null {
  const hint = config.papermap?.corpus_fit;
  const field = config.papermap?.fit?.fieldDims;
  return hint && typeof hint.dims === 'number' ? { dims: hint.dims, queryIgnores: typeof field === 'number' ? field : 0 } : null;
}

/** WebGPU failed, at load or mid-run: what was embedded so far, for a fresh worker to continue on WASM. */
export class GpuFailure extends Error {
  constructor(
    reason: string,
    readonly partial: PartialEmbedding | null,
  ) {
    super(reason);
  }
}
