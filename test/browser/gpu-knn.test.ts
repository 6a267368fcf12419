/**
 * The WebGPU kNN search in a real browser (Chromium's WebGPU on SwiftShader) against the CPU search
 * in Node on the same seeded vectors. The module is not in the app bundle yet, so the test bundles
 * it on its own with Vite and serves it beside a bare page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveDist, type StaticServer } from './harness';
import { exactCosineKnn, l2NormalizeRows, type KnnGraph } from '../../src/math/knn/knn';
import { gaussian, mulberry32 } from '../../src/math/random';
import type { KnnTuning } from '../../src/math/knn/webgpu-knn';

type GpuKnnModule = typeof import('../../src/math/knn/webgpu-knn');
interface PageWindow {
  gpuKnn: GpuKnnModule;
  rejections: string[];
}

const MODULE = new URL('../../src/math/knn/webgpu-knn.ts', import.meta.url).pathname;
const PAGE = `<!doctype html><meta charset="utf-8"><title>gpu knn</title>
<script type="module">
  window.rejections = [];
  addEventListener('unhandledrejection', (event) => window.rejections.push(String(event.reason)));
  import('./knn.js').then((module) => { window.gpuKnn = module; });
</script>`;
/** A module worker that runs one search on the vectors it is sent and posts the graph back. */
const WORKER = `import { requestKnnDevice, webgpuCosineKnn } from './knn.js';
onmessage = async ({ data: { vectors, n, d, k } }) => {
  try {
    const device = await requestKnnDevice();
    const graph = await webgpuCosineKnn(device, vectors, n, d, k);
    device.destroy();
    postMessage({ indices: graph.indices, distances: graph.distances });
  } catch (error) {
    postMessage({ error: String(error) });
  }
};`;

let dir: string;
let server: StaticServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** Console errors and warnings other than the missing favicon (WebGPU reports uncaptured errors there). */
const consoleProblems: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'papermap-gpu-knn-'));
  const out = join(dir, 'out');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: dir,
    publicDir: false,
    build: { outDir: out, minify: false, target: 'es2022', lib: { entry: MODULE, formats: ['es'], fileName: () => 'knn.js' } },
  });
  await writeFile(join(out, 'index.html'), PAGE);
  await writeFile(join(out, 'worker.js'), WORKER);
  server = await serveDist({ root: out });
  browser = await launchChromium('webgpu');
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if ((message.type() === 'error' || message.type() === 'warning') && !message.text().startsWith('Failed to load resource')) consoleProblems.push(message.text());
  });
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as PageWindow).gpuKnn !== undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** n unit-length gaussian rows of d dimensions from a seed; `shape` may rewrite rows before normalising. */
function seededVectors(n: number, d: number, seed: number, shape?: (raw: Float32Array) => void): Float32Array {
  const normal = gaussian(mulberry32(seed));
  const raw = new Float32Array(n * d);
  for (let i = 0; i < raw.length; i++) raw[i] = normal();
  shape?.(raw);
  return l2NormalizeRows(raw, d);
}

const toBase64 = (array: Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');

interface PageRun {
  name?: string;
  message?: string;
  indices?: string;
  distances?: string;
  progress: number[];
  created: number;
  destroyed: number;
  ms: number;
  /** After an abort: how a second search on the same device went. */
  after?: string;
}

type Interrupt = 'destroy' | 'abort' | undefined;

/** Runs webgpuCosineKnn in the page on a fresh device, counting the buffers it creates and destroys. */
function runInPage(vectors: Float32Array, n: number, d: number, k: number, tuning?: KnnTuning, interrupt?: Interrupt): Promise<PageRun> {
  return page.evaluate(async ({ data, n, d, k, tuning, interrupt }) => {
    const { gpuKnn } = window as unknown as PageWindow;
    const device = await gpuKnn.requestKnnDevice();
    if (!device) throw new Error('no WebGPU device');
    const live = new Set<GPUBuffer>();
    let created = 0;
    let destroyed = 0;
    const createBuffer = device.createBuffer.bind(device);
    device.createBuffer = (descriptor: GPUBufferDescriptor) => {
      const buffer = createBuffer(descriptor);
      created++;
      live.add(buffer);
      const destroy = buffer.destroy.bind(buffer);
      buffer.destroy = () => {
        if (live.delete(buffer)) destroyed++;
        destroy();
      };
      return buffer;
    };
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const vectors = new Float32Array(bytes.buffer);
    const encode = (array: Int32Array | Float32Array) => {
      let text = '';
      const view = new Uint8Array(array.buffer);
      for (let i = 0; i < view.length; i += 0x8000) text += String.fromCharCode(...view.subarray(i, i + 0x8000));
      return btoa(text);
    };
    const progress: number[] = [];
    const controller = new AbortController();
    const start = performance.now();
    try {
      const graph = await gpuKnn.webgpuCosineKnn(device, vectors, n, d, k, {
        tuning,
        signal: controller.signal,
        onProgress(done) {
          progress.push(done);
          if (progress.length === 1 && interrupt === 'destroy') device.destroy();
          if (progress.length === 1 && interrupt === 'abort') controller.abort();
        },
      });
      return { indices: encode(graph.indices), distances: encode(graph.distances), progress, created, destroyed, ms: performance.now() - start };
    } catch (error) {
      const { name, message } = error as Error;
      const ms = performance.now() - start;
      // The device is the caller's: after a cancel it must still work, its error scopes balanced.
      const after = interrupt === 'abort' ? await gpuKnn.webgpuCosineKnn(device, vectors, 50, d, 3).then(() => 'ok', (e: Error) => e.message) : undefined;
      return { name, message, progress, created, destroyed, ms, after };
    } finally {
      if (interrupt !== 'destroy') device.destroy();
    }
  }, { data: toBase64(vectors), n, d, k, tuning, interrupt });
}

async function gpuKnn(vectors: Float32Array, n: number, d: number, k: number, tuning?: KnnTuning): Promise<KnnGraph & { run: PageRun }> {
  const run = await runInPage(vectors, n, d, k, tuning);
  if (run.name) throw new Error(`${run.name}: ${run.message}`);
  const indices = new Int32Array(new Uint8Array(Buffer.from(run.indices!, 'base64')).buffer);
  const distances = new Float32Array(new Uint8Array(Buffer.from(run.distances!, 'base64')).buffer);
  return { k, indices, distances, run };
}

/**
 * Checks the GPU graph against the CPU one: slot 0 the row itself, distances ascending, each row's
 * distances equal to the CPU's within 1e-5 (ties may swap which index holds a distance, so indices
 * are held to recall, and every reported index to its own recomputed distance).
 */
function expectSameGraph(gpu: KnnGraph, cpu: KnnGraph, vectors: Float32Array, n: number, d: number, minRecall = 0.99): void {
  const k = cpu.k;
  expect(gpu.indices.length).toBe(n * k);
  expect(gpu.distances.length).toBe(n * k);
  let shared = 0;
  const problems: string[] = [];
  for (let i = 0; i < n && problems.length < 5; i++) {
    const base = i * k;
    if (gpu.indices[base] !== i || gpu.distances[base] !== 0) problems.push(`row ${i} does not start with itself`);
    const seen = new Set<number>();
    for (let s = 0; s < k; s++) {
      const j = gpu.indices[base + s]!;
      const dist = gpu.distances[base + s]!;
      if (s > 0 && dist < gpu.distances[base + s - 1]!) problems.push(`row ${i} distances not ascending at slot ${s}`);
      if (Math.abs(dist - cpu.distances[base + s]!) > 1e-5) problems.push(`row ${i} slot ${s}: ${dist} on the GPU, ${cpu.distances[base + s]} on the CPU`);
      if (j < 0 || j >= n || seen.has(j) || (s > 0 && j === i)) problems.push(`row ${i} slot ${s}: bad index ${j}`);
      seen.add(j);
      if (s > 0) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += vectors[i * d + c]! * vectors[j * d + c]!;
        if (Math.abs(dist - Math.max(0, 1 - dot)) > 1e-5) problems.push(`row ${i} slot ${s}: index ${j} is at ${1 - dot}, reported ${dist}`);
      }
    }
    for (let s = 0; s < k; s++) if (seen.has(cpu.indices[base + s]!)) shared++;
  }
  expect(problems).toEqual([]);
  expect(shared / (n * k)).toBeGreaterThanOrEqual(minRecall);
}

async function compareWithCpu(n: number, d: number, k: number, seed: number, options: { tuning?: KnnTuning; shape?: (raw: Float32Array) => void; minRecall?: number } = {}) {
  const vectors = seededVectors(n, d, seed, options.shape);
  const cpu = exactCosineKnn(vectors, n, d, k);
  const gpu = await gpuKnn(vectors, n, d, k, options.tuning);
  expectSameGraph(gpu, cpu, vectors, n, d, options.minRecall);
  expect(gpu.run.created).toBeGreaterThan(0);
  expect(gpu.run.destroyed).toBe(gpu.run.created);
  expect(gpu.run.progress.at(-1)).toBe(n);
  return { gpu, cpu, vectors };
}

describe('the WebGPU kNN search matches the CPU search', () => {
  it('on 1000 rows of 128 dimensions, k = 15', async () => {
    const { gpu } = await compareWithCpu(1000, 128, 15, 1);
    console.info(`gpu knn n=1000 d=128 k=15 on SwiftShader: ${gpu.run.ms.toFixed(0)} ms`);
  });

  it('when d is not a multiple of the tile width and the rows come in several chunks', async () => {
    const { gpu } = await compareWithCpu(777, 100, 10, 2, { tuning: { chunkRows: 256 } });
    expect(gpu.run.progress).toEqual([256, 512, 768, 777]);
  });

  it('with fewer rows than one tile', async () => {
    await compareWithCpu(40, 24, 15, 3);
  });

  it('with the candidates in several slabs, parts and resumed steps, a submit each', async () => {
    await compareWithCpu(300, 40, 12, 4, { tuning: { slabRows: 128, chunkRows: 64, partRows: 48, stepRows: 16, submitWork: 1 } });
  });

  it('with the most neighbours it keeps (k = 64)', async () => {
    await compareWithCpu(130, 8, 64, 5, { tuning: { partRows: 40 } });
  });

  it('with duplicate vectors (ties)', async () => {
    const n = 210;
    const d = 32;
    // The first 80 rows come in identical pairs: each one's nearest other is its twin, at distance 0,
    // and a pair near another row ties there.
    const { gpu } = await compareWithCpu(n, d, 10, 6, {
      tuning: { partRows: 32 },
      shape: (raw) => {
        for (let i = 1; i < 80; i += 2) raw.copyWithin(i * d, (i - 1) * d, i * d);
      },
    });
    for (let i = 0; i < 80; i++) {
      expect(gpu.indices[i * 10 + 1]).toBe(i ^ 1);
      expect(gpu.distances[i * 10 + 1]).toBeLessThan(1e-6);
    }
  });

  it('with all-zero rows, which stay nobody\'s near neighbour', async () => {
    const d = 16;
    const zero = [5, 77, 149];
    const { gpu } = await compareWithCpu(150, d, 8, 7, { shape: (raw) => zero.forEach((i) => raw.fill(0, i * d, i * d + d)) });
    for (const i of zero) expect([...gpu.distances.subarray(i * 8 + 1, i * 8 + 8)]).toEqual(new Array(7).fill(1));
    for (let i = 0; i < 150; i++) {
      if (zero.includes(i)) continue;
      for (let s = 1; s < 8; s++) expect(zero).not.toContain(gpu.indices[i * 8 + s]);
    }
  });
});

describe('the WebGPU kNN search at its edges', () => {
  it('refuses more neighbours than points, as the CPU search does', async () => {
    const vectors = seededVectors(5, 4, 8);
    expect(() => exactCosineKnn(vectors, 5, 4, 6)).toThrow('k = 6 neighbours asked of only 5 points');
    const run = await runInPage(vectors, 5, 4, 6);
    expect(run.message).toBe('k = 6 neighbours asked of only 5 points');
    expect(run.created).toBe(0);
  });

  it('with k = 1 gives each row itself, without the GPU', async () => {
    const graph = await gpuKnn(seededVectors(7, 4, 9), 7, 4, 1);
    expect([...graph.indices]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...graph.distances]).toEqual(new Array(7).fill(0));
  });

  it('rejects with GpuKnnLost when the device is destroyed mid-run, leaking nothing', async () => {
    const run = await runInPage(seededVectors(640, 32, 10), 640, 32, 10, { chunkRows: 64 }, 'destroy');
    expect(run.name).toBe('GpuKnnLost');
    expect(run.message).toMatch(/lost|destroyed|read/i);
    expect(run.progress).toEqual([64]);
    expect(run.created).toBeGreaterThan(0);
    expect(run.destroyed).toBe(run.created);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as PageWindow).rejections)).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });

  it('stops when its signal aborts, leaking nothing', async () => {
    const run = await runInPage(seededVectors(640, 32, 11), 640, 32, 10, { chunkRows: 64 }, 'abort');
    expect(run.name).toBe('AbortError');
    expect(run.progress).toEqual([64]);
    expect(run.destroyed).toBe(run.created);
    expect(run.after).toBe('ok');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as PageWindow).rejections)).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });
});

describe('the WebGPU kNN search in a module worker', () => {
  it('runs there as it does on the page', async () => {
    const n = 120;
    const d = 20;
    const k = 6;
    const vectors = seededVectors(n, d, 12);
    const result = await page.evaluate(({ data, n, d, k }) => new Promise<{ indices?: Int32Array; distances?: Float32Array; error?: string }>((resolve) => {
      const vectors = new Float32Array(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)).buffer);
      const worker = new Worker('./worker.js', { type: 'module' });
      worker.onmessage = ({ data: reply }) => {
        worker.terminate();
        resolve({ ...reply, indices: reply.indices && [...reply.indices], distances: reply.distances && [...reply.distances] });
      };
      worker.onerror = (event) => resolve({ error: event.message || 'worker failed to start' });
      worker.postMessage({ vectors, n, d, k });
    }), { data: toBase64(vectors), n, d, k });
    expect(result.error).toBeUndefined();
    const gpu: KnnGraph = { k, indices: Int32Array.from(result.indices!), distances: Float32Array.from(result.distances!) };
    expectSameGraph(gpu, exactCosineKnn(vectors, n, d, k), vectors, n, d);
  });
});
