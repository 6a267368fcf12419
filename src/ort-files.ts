/**
 * The onnxruntime-web runtime files the app self-hosts under ort/. The asyncify build runs both the
 * WASM and the WebGPU execution providers, and is what transformers.js would otherwise take from a CDN.
 */
export const ORT_FILES = {
  mjs: 'ort-wasm-simd-threaded.asyncify.mjs',
  wasm: 'ort-wasm-simd-threaded.asyncify.wasm',
} as const;

/** onnxruntime-web's version as installed (a unit test keeps it in step with node_modules). */
export const ORT_VERSION = '1.31.0-dev.20260914-8d85527a0';

/**
 * The offline cache that keeps the runtime: not filled on the first visit (the embedded model never
 * runs it, and it is 26 MB), but the first time a pretrained model loads it. Named by version, so a
 * deploy with another runtime never reads the old files; the page drops the caches of other versions.
 */
export const ORT_CACHE_PREFIX = 'papermap-ort-';
export const ORT_CACHE = `${ORT_CACHE_PREFIX}${ORT_VERSION}`;

/** WASM threads onnxruntime-web may use: threads need SharedArrayBuffer, hence cross-origin isolation. */
export function wasmThreads(): number {
  return globalThis.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
}
