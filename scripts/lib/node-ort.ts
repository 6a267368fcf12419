/**
 * Runs transformers.js in Node on onnxruntime-web's WASM backend, the runtime the app's worker uses,
 * instead of the native onnxruntime-node it picks by itself in Node. transformers.js takes a runtime
 * handed to it through globalThis[Symbol.for('onnxruntime')] (meant for JS runtimes that bring their
 * own); workers/embed.ts then names the WASM execution provider itself. onnxruntime-web's Node entry
 * reads the model file that transformers.js gives it by path, and loads the same WASM build
 * (ort-wasm-simd-threaded.asyncify) from node_modules that the app self-hosts under ort/.
 *
 * Must run before anything imports @huggingface/transformers: it decides its runtime when first loaded.
 */
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ORT_FILES } from '../../src/ort-files';

const GIVEN_ORT = Symbol.for('onnxruntime');

/** file: URL of the folder holding onnxruntime-web's WASM files (the request's ortUrl). */
export function nodeOrtUrl(): string {
  const wasm = createRequire(import.meta.url).resolve(`onnxruntime-web/${ORT_FILES.wasm}`);
  return pathToFileURL(dirname(wasm) + '/').href;
}

/** Hands onnxruntime-web to transformers.js; checks that transformers.js took it. */
export async function useOnnxruntimeWeb(): Promise<void> {
  // Node 20's V8 spends about 50 s optimising the asyncify build on its first run (0.8 s with only
  // the baseline compiler, measured on this 2-core machine). Same WASM, same results; the flag is
  // process-wide and must be set before onnxruntime-web compiles it.
  v8.setFlagsFromString('--liftoff-only');
  const globals = globalThis as Record<symbol, unknown>;
  globals[GIVEN_ORT] ??= await import('onnxruntime-web');
  const { env } = await import('@huggingface/transformers');
  const versions = (env.backends.onnx as { versions?: Record<string, string> }).versions ?? {};
  if (!versions.web) {
    throw new Error('transformers.js was loaded before onnxruntime-web was handed to it, so it runs on onnxruntime-node: call useOnnxruntimeWeb() first');
  }
  // Its WASM pre-load fetches the files, and Node's fetch cannot read file: URLs; onnxruntime-web reads them itself.
  env.useWasmCache = false;
}
