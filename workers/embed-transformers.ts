/**
 * The transformers.js path: every model but a static one (the pretrained sentence-transformers models,
 * self-hosted under models/ or, when online, the hub) runs through transformers.js's feature-extraction
 * pipeline on onnxruntime-web. Loaded only when such a model is asked for (workers/embed.ts), so the
 * embedded model's path never fetches or evaluates transformers.js. A WebGPU failure, at load or
 * mid-run, raises GpuFailure with what was embedded so far: a lost device leaves onnxruntime-web
 * unusable in this worker, even for WASM sessions, so a fresh worker carries on (src/pipeline/client.ts).
 *
 * The same code runs in Node for `npm run eval`: scripts/lib/node-ort.ts hands transformers.js
 * onnxruntime-web (its WASM backend) in place of onnxruntime-node.
 */
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { DEFAULT_MODEL_ID } from '../src/model/models';
import { ORT_FILES, wasmThreads } from '../src/ort-files';
import { lengthOrder } from '../src/model/length-order';
import { corpusFitHint, GpuFailure, type Embedder, type EmbedderOptions, type ModelConfig } from './embedder';
import type { Device, PartialEmbedding } from '../src/pipeline/types';

/** Destroys onnxruntime-web's WebGPU device: every later GPU call fails, as after a device loss. */
async function destroyGpuDevice(): Promise<void> {
  const webgpu = (env.backends.onnx as { webgpu?: { device?: Promise<GPUDevice> } }).webgpu;
  const device = await webgpu?.device;
  device?.destroy();
}

/** Where a JS runtime (here: Node, for npm run eval) hands transformers.js the ONNX runtime to use. */
const GIVEN_ORT = Symbol.for('onnxruntime');

/**
 * transformers.js's options for a device. Given a runtime through GIVEN_ORT, transformers.js knows no
 * device names, so the execution provider that its 'wasm' (or 'webgpu') device stands for is named directly.
 */
function deviceOptions(device: Device) {
  return GIVEN_ORT in globalThis ? { device: 'auto' as const, session_options: { executionProviders: [device] } } : { device };
}

function configureRuntime(options: EmbedderOptions): void {
  // transformers.js wants a path here, not a full URL (a URL makes the tokenizer config load as undefined).
  const models = new URL(options.modelsUrl);
  env.localModelPath = models.protocol === 'file:' ? decodeURIComponent(models.pathname) : models.pathname;
  env.allowLocalModels = true;
  // The embedded model only exists locally; other ids may come from the hub when online.
  env.allowRemoteModels = options.modelId !== DEFAULT_MODEL_ID;
  // Self-hosted model files are cached by the app's own offline cache, not a second copy here; Node has no Cache API.
  env.useBrowserCache = options.modelId !== DEFAULT_MODEL_ID && typeof caches !== 'undefined';
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
  if (onnx.wasm) {
    onnx.wasm.wasmPaths = { mjs: options.ortUrl + ORT_FILES.mjs, wasm: options.ortUrl + ORT_FILES.wasm };
    // Threads need SharedArrayBuffer, which needs cross-origin isolation (COOP/COEP headers).
    onnx.wasm.numThreads = wasmThreads();
  }
}

/** An error as one readable line: runtime messages can span lines and carry build paths. */
function describe(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return text.length > 240 ? `${text.slice(0, 120)} … ${text.slice(-110)}` : text;
}

/** A model run by transformers.js's feature-extraction pipeline (pretrained transformers; the bench runs the static model this way too, to compare). */
export class TransformersEmbedder implements Embedder {
  readonly embeddedOn: Device;

  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    readonly device: Device,
    private readonly options: EmbedderOptions,
  ) {
    this.embeddedOn = device;
  }

  static async load(options: EmbedderOptions): Promise<TransformersEmbedder> {
    configureRuntime(options);
    try {
      return new TransformersEmbedder(await TransformersEmbedder.open(options.modelId, options.device), options.device, options);
    } catch (error) {
      if (options.device === 'webgpu') throw new GpuFailure(`WebGPU could not load the model (${describe(error)})`, null);
      throw error;
    }
  }

  private static async open(modelId: string, device: Device): Promise<FeatureExtractionPipeline> {
    try {
      return (await pipeline('feature-extraction', modelId, { ...deviceOptions(device), dtype: 'fp32' })) as FeatureExtractionPipeline;
    } catch (error) {
      const where = modelId === DEFAULT_MODEL_ID ? `models/${modelId}/ (this copy of Papermap is missing its model files)` : `models/${modelId}/ or, when online, the Hugging Face hub`;
      throw new Error(`model "${modelId}" could not be loaded on ${device} from ${where}: ${describe(error)}`);
    }
  }

  /** Embeds one batch; returns rows × dims, normalised. */
  private async batch(texts: string[]): Promise<{ data: Float32Array; dims: number }> {
    const output = await this.extractor(texts, { pooling: 'mean', normalize: true });
    const dims = output.dims[output.dims.length - 1] as number;
    return { data: output.data as Float32Array, dims };
  }

  async embedAll(
    texts: string[],
    batchSize: number,
    onProgress: (done: number, total: number) => void,
    resume: PartialEmbedding | null = null,
  ): Promise<{ vectors: Float32Array; dims: number; empty: number[] }> {
    let vectors: Float32Array | null = resume?.vectors ?? null;
    let dims = resume?.dims ?? 0;
    const empty: number[] = [];
    const order = lengthOrder(texts);
    for (let start = resume?.done ?? 0, batch = 0; start < texts.length; start += batchSize, batch++) {
      if (this.device === 'webgpu' && batch === this.options.loseGpuAfterBatch) await destroyGpuDevice();
      const papers = order.subarray(start, start + batchSize);
      let result: { data: Float32Array; dims: number };
      try {
        result = await this.batch(Array.from(papers, (i) => texts[i]!));
      } catch (error) {
        if (this.device !== 'webgpu') throw error;
        const partial = vectors ? { vectors, dims, done: start } : null;
        throw new GpuFailure(`WebGPU failed while embedding (${describe(error)}): WASM took over at paper ${start + 1}`, partial);
      }
      dims = result.dims;
      vectors ??= new Float32Array(texts.length * dims);
      for (let r = 0; r < papers.length; r++) {
        const row = result.data.subarray(r * dims, (r + 1) * dims);
        if (row.some((x) => !Number.isFinite(x))) {
          row.fill(0);
          empty.push(papers[r]!);
        }
        vectors.set(row, papers[r]! * dims);
      }
      onProgress(Math.min(texts.length, start + batchSize), texts.length);
    }
    empty.sort((a, b) => a - b);
    return { vectors: vectors ?? new Float32Array(0), dims, empty };
  }

  get corpusFit() {
    return corpusFitHint(this.extractor.model.config as unknown as ModelConfig);
  }

  tokenize(text: string): string[] {
    return this.extractor.tokenizer.tokenize(text);
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}
