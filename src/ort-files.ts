/**
 * The onnxruntime-web runtime files the app self-hosts under ort/. The asyncify build runs both the
 * WASM and the WebGPU execution providers, and is what transformers.js would otherwise take from a CDN.
 */
export const ORT_FILES = {
  mjs: 'ort-wasm-simd-threaded.asyncify.mjs',
  wasm: 'ort-wasm-simd-threaded.asyncify.wasm',
} as const;

/** WASM threads onnxruntime-web may use: threads need SharedArrayBuffer, hence cross-origin isolation. */
export function wasmThreads(): number {
  return globalThis.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
}
