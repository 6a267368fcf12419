/**
 * Bundles the cache probe (./page.ts) with Vite into a folder with an index.html, to be served
 * beside (or instead of) the built app so the page runs the app's own cache code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Builds the probe into `outDir` (index.html + cache-probe.js) and returns outDir. */
export async function buildCacheProbe(outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: false,
      minify: false,
      target: 'es2022',
      lib: { entry: join(ROOT, 'test/browser/cache-probe/page.ts'), formats: ['es'], fileName: () => 'cache-probe.js' },
    },
  });
  writeFileSync(join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>cache probe</title><script type="module" src="cache-probe.js"></script>\n');
  return outDir;
}
