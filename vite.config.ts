import { defineConfig } from 'vite';

// Cross-origin isolation turns on SharedArrayBuffer, so onnxruntime-web can use WASM threads.
// The app also works without it (plain static hosts), single-threaded.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative base: the built dist/ works from any sub-path of any static host.
  base: './',
  // onnxruntime-web's default build embeds a URL to its .wasm, which Vite would copy into assets/ a
  // second time; this condition picks its build that loads the runtime from env.wasm.wasmPaths (ort/).
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
  },
  server: { headers: isolation },
  preview: { headers: isolation },
});
