/**
 * The embedded (static) model without transformers.js: the fast WordPiece encoder (src/model/wordpiece.ts)
 * packs each batch's ids flat, and each paper's vector is the mean of its token rows, read from the
 * int8 table in model.onnx (src/model/static-model.ts), in plain JS on the CPU. The feature-extraction
 * pipeline's vectors bit for bit (test/unit/static-embed.test.ts), ~25× as fast: no padded
 * [batch, longest, dims] tensor, no ONNX session, and a tokenizer made for this one vocabulary.
 *
 * A model takes this path when its config.json has a papermap block, its tokenizer.json is the BERT
 * WordPiece shape the encoder reproduces, and its ONNX graph is the lookup; anything else goes to
 * transformers.js (workers/embed.ts).
 */
import { readStaticTable, StaticPooler, type StaticTable } from '../src/model/static-model';
import { wordPieceEncoderFor, type TokenizerJson, type WordPieceEncoder } from '../src/model/wordpiece';
import { corpusFitHint, type EmbeddedTexts, type Embedder, type VectorsHome, type EmbedderOptions, type ModelConfig } from './embedder';
import type { PartialEmbedding } from '../src/pipeline/types';
import { nextTask } from './next-task';

/** Papers per step between progress reports: a few milliseconds of work. */
const STATIC_BATCH = 256;

/** A model file's bytes: fetched (the browser, through the app's offline cache), or read from disk for a file: URL (Node: eval, tests). */
async function readModelFile(url: string): Promise<Uint8Array | null> {
  if (url.startsWith('file:')) {
    const fs = 'node:fs/promises';
    const { readFile } = (await import(/* @vite-ignore */ fs)) as typeof import('node:fs/promises');
    return readFile(new URL(url)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength), () => null);
  }
  const response = await fetch(url).catch(() => null);
  return response?.ok ? new Uint8Array(await response.arrayBuffer()) : null;
}

async function readJson<T>(url: string): Promise<T | null> {
  const bytes = await readModelFile(url);
  if (!bytes) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    return null;
  }
}

export class StaticEmbedder implements Embedder {
  readonly embeddedOn = 'cpu' as const;
  private readonly pooler: StaticPooler;

  private constructor(
    private readonly encoder: WordPieceEncoder,
    private readonly table: StaticTable,
    private readonly config: ModelConfig,
    readonly device: EmbedderOptions['device'],
  ) {
    this.pooler = new StaticPooler(table);
  }

  /**
   * The model as a static embedder, or null when it is not one (or its files are not self-hosted):
   * transformers.js then loads it.
   */
  static async load(options: EmbedderOptions): Promise<StaticEmbedder | null> {
    const folder = `${options.modelsUrl}${options.modelId}/`;
    const config = await readJson<ModelConfig>(`${folder}config.json`);
    if (!config?.papermap) return null;
    options.onFitHint?.(corpusFitHint(config));
    const [tokenizer, tokenizerConfig, onnx] = await Promise.all([
      readJson<TokenizerJson>(`${folder}tokenizer.json`),
      readJson<{ model_max_length?: number }>(`${folder}tokenizer_config.json`),
      readModelFile(`${folder}onnx/model.onnx`),
    ]);
    const encoder = tokenizer && wordPieceEncoderFor(tokenizer, tokenizerConfig ?? {});
    const table = onnx && readStaticTable(onnx);
    if (!encoder || !table || encoder.vocab.length > table.vocabSize) return null;
    return new StaticEmbedder(encoder, table, config, options.device);
  }

  async embedAll(
    texts: string[],
    batchSize: number,
    onProgress: (done: number, total: number) => void,
    resume: PartialEmbedding | null = null,
    home: VectorsHome = { roomPerRow: 0, allocate: (length) => new Float32Array(length) },
  ): Promise<EmbeddedTexts> {
    const { dims } = this.table;
    const resuming = resume?.dims === dims;
    const room = resuming ? 0 : home.roomPerRow;
    const vectors = resuming ? resume.vectors : new Float32Array(home.allocate(texts.length * (dims + room), dims + room).buffer, 0, texts.length * dims);
    const empty: number[] = [];
    const step = Math.max(batchSize, STATIC_BATCH);
    for (let start = resuming ? resume.done : 0; start < texts.length; start += step) {
      const end = Math.min(texts.length, start + step);
      for (const t of this.pooler.pool(this.encoder.encodeBatch(texts, start, end), vectors, start)) empty.push(start + t);
      onProgress(end, texts.length);
      // Lets the event loop turn between batches: the text worker, started just before, needs it to start
      // (without it, at 100,000 papers it started only once the embedding was over, and its fit ran after).
      await nextTask();
    }
    return { vectors, dims, empty, room };
  }

  get corpusFit() {
    return corpusFitHint(this.config);
  }

  tokenize(text: string): string[] {
    return this.encoder.tokenize(text);
  }

  async dispose(): Promise<void> {}
}
