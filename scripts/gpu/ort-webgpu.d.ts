/** onnxruntime-web's browser build with the WebGPU execution provider, aliased by scripts/gpu/prepare.ts. */
declare module 'ort-webgpu' {
  export * from 'onnxruntime-web';
}
