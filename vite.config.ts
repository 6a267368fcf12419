import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { ORT_CACHE } from './src/ort-files';

// Cross-origin isolation turns on SharedArrayBuffer, so onnxruntime-web can use WASM threads.
// The app also works without it (plain static hosts), single-threaded.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built app's Content-Security-Policy, as a <meta> tag so it holds on any static host: scripts and
 * workers only from the app's own files (no inline script, no eval; 'wasm-unsafe-eval' because
 * onnxruntime-web compiles WebAssembly), connections to the app's origin and the Hugging Face hub (for
 * pretrained models) only, no plugins, no framing of forms elsewhere. Build only: Vite's dev server
 * injects inline scripts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'papermap-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

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
  plugins: [
    contentSecurityPolicy(),
    // The offline cache: a Workbox service worker precaches everything the app needs from its own
    // origin (shell, workers, corpus, embedded model, onnxruntime-web's WASM), each file pinned to its
    // revision. A new deploy installs a complete new set beside the old one and waits: the page keeps
    // running on the old set until the user accepts the update, so old and new files never mix.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Papermap',
        short_name: 'Papermap',
        description: 'A topic map of research papers, computed in your browser.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#0f1218',
        theme_color: '#0f1218',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // Saved on the first visit: all the embedded model and its maps need. Not onnxruntime-web (ort/,
        // 26 MB), which only pretrained models run: it is saved the first time one loads it (below).
        globPatterns: ['*.html', 'assets/*.{js,css}', 'corpus/*.json', 'maps/*', 'models/papermap/**/*'],
        // The model is 11 MB: over Workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        runtimeCaching: [{ urlPattern: /\/ort\/ort-wasm[^/]*$/, handler: 'CacheFirst', options: { cacheName: ORT_CACHE } }],
        cleanupOutdatedCaches: true,
        // The first install takes over the open page at once, so it keeps working if the network goes
        // in this same visit. Updates still wait for the user (no skipWaiting).
        clientsClaim: true,
        // Links carry the view in the query string; any navigation inside the scope is the app.
        navigateFallback: 'index.html',
        ignoreURLParametersMatching: [/.*/],
      },
    }),
  ],
  server: { headers: isolation },
  preview: { headers: isolation },
});
