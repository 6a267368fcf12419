/**
 * The GPU check's bundle: scripts/gpu/bench-gpu.ts and everything it imports (the app's modules,
 * transformers.js, onnxruntime-web's browser build with its WebGPU provider) in one file that a bare
 * Node runs. Two dependency texts are patched for Node; each patch fails loudly if its text moved.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = new URL('../../', import.meta.url).pathname;

/** Replaces `from` (which must occur once) in the files matching `filter` as esbuild loads them. */
function patch(name: string, filter: RegExp, from: string, to: string): Plugin {
  return {
    name,
    setup(b) {
      b.onLoad({ filter }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (text.split(from).length !== 2) throw new Error(`${name}: the text to replace is not in ${args.path} once (a dependency changed?)`);
        return { contents: text.replace(from, to), loader: 'js' };
      });
    },
  };
}

/** Bundles scripts/gpu/bench-gpu.ts, with the app modules it imports from this tree, into one ESM file for Node. */
export async function bundleGpuBench(outfile: string): Promise<void> {
  const ortWeb = join(root, 'node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs');
  await build({
    entryPoints: [join(root, 'scripts/gpu/bench-gpu.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    alias: { 'ort-webgpu': ortWeb },
    plugins: [
      // onnxruntime-web is handed to transformers.js (bench-gpu.ts, handOrt): the native runtime is never loaded.
      patch('no-onnxruntime-node', /transformers\.node\.mjs$/, 'requireFromHere("onnxruntime-node")', '{}'),
      // The browser build fetches its WASM-threads glue to make a blob: URL; Node cannot fetch file:
      // URLs and can import them, as onnxruntime-web's own Node build does.
      patch('ort-threads-in-node', /ort\.webgpu\.min\.mjs$/, 'i=!!1&&r&&a&&!lt(a,e)', 'i=!1&&r&&a&&!lt(a,e)'),
      {
        // transformers.js asks for an image library at load; nothing here reads images.
        name: 'no-sharp',
        setup(b) {
          b.onResolve({ filter: /^sharp$/ }, () => ({ path: 'sharp', namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default function sharp() { throw new Error("no images here"); }', loader: 'js' }));
        },
      },
    ],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
    legalComments: 'none',
    minify: true,
  });
}
