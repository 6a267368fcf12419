/**
 * Text embedding. The embedded static model takes the fast path (workers/embed-static.ts: its own
 * tokenizer and a table lookup in JS, no padding, no ONNX runtime); every other model runs through
 * transformers.js on onnxruntime-web (workers/embed-transformers.ts), loaded only then. Both give mean
 * pooling + L2 normalisation of the same tokens.
 */
import { StaticEmbedder } from './embed-static';
import type { Embedder as EmbedderApi, EmbedderOptions } from './embedder';

export type Embedder = EmbedderApi;
export type { EmbedderOptions } from './embedder';
export { GpuFailure } from './embedder';

/** Loads a model: the static fast path when the model is one, else transformers.js. */
export const Embedder = {
  async load(options: EmbedderOptions): Promise<Embedder> {
    return (await StaticEmbedder.load(options)) ?? (await import('./embed-transformers')).TransformersEmbedder.load(options);
  },
};
