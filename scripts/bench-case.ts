/**
 * One benchmark case, run in its own process so its peak memory (max RSS) is its own.
 * Prints one JSON line: { case, n, runs: [ms…], cpuMs: [ms…], maxRssMB, ...extra }. Used by scripts/bench.ts.
 *
 *   lasso-index | lasso-naive <n> <runs>
 *   layout-ours | layout-umapjs | layout-atlas <n> <runs> <out-prefix> <sample-rows>
 *   embed-fast | embed-transformers <n> <runs> <out-prefix>
 *   bert-corpus-order | bert-length-order <n> <runs> <out-prefix> <models-dir>
 *
 * Layout cases build the map of the same synthetic vectors (scripts/lib/synthetic-vectors.ts) and
 * write the last run's positions (<out>.coords.f32) and the kNN lists of the sampled rows
 * (<out>.knn.i32, k − 1 others per row) for scripts/bench.ts to score all methods alike.
 * Embedding cases embed the texts in <out>.texts.json with the shipped model, by the app's fast
 * static path or through transformers.js (onnxruntime-web's WASM, one thread, as on a plain host),
 * and write the last run's vectors to <out>.f32. BERT cases embed them with the random-weight BERT in
 * <models-dir>/bench/random-bert: transformers.js's pipeline called on batches in corpus order (what
 * its docs show), or the app's transformers.js path (longest texts first, src/model/length-order.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UMAP } from 'umap-js';
import { buildGridIndex } from '../src/math/geometry/grid-index';
import { selectInPolygon, selectInPolygonNaive } from '../src/math/geometry/polygon';
import { createLayout, DEFAULT_LAYOUT_PARAMS } from '../src/math/layout/layout';
import { cosineNeighbours } from '../src/math/knn/neighbours';
import { gaussian, mulberry32 } from '../src/math/random';
import { defaultEpochs } from '../src/math/layout/umap-sgd';
import { ATLAS_MODULE, BENCH_DIMS, BENCH_K, sampleRows, type AtlasUmapModule } from './lib/bench-layout';
import { nodeOrtUrl, useOnnxruntimeWeb } from './lib/node-ort';
import { DEFAULT_MODEL_ID } from '../src/model/models';
import { DEFAULT_PIPELINE_PARAMS } from '../src/pipeline/types';
import { StaticEmbedder } from '../workers/embed-static';
import type { Embedder, EmbedderOptions } from '../workers/embedder';
import { syntheticEmbeddings } from './lib/synthetic-vectors';

const [name, nArg, runsArg, outPrefix, sampleArg] = process.argv.slice(2);
const n = Number(nArg);
const runs = Number(runsArg ?? 5);

/** n points in 2D around 30 cluster centres, seeded. */
function clusteredPoints(count: number): Float32Array {
  const random = mulberry32(11);
  const normal = gaussian(random);
  const centres = Array.from({ length: 30 }, () => [random() * 100, random() * 100]);
  const out = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const [cx, cy] = centres[i % 30]!;
    out[2 * i] = cx! + normal() * 4;
    out[2 * i + 1] = cy! + normal() * 4;
  }
  return out;
}

/** A wobbly 200-vertex lasso covering about a fifth of the map. */
function lassoPolygon(): number[] {
  const random = mulberry32(5);
  const polygon: number[] = [];
  for (let v = 0; v < 200; v++) {
    const angle = (2 * Math.PI * v) / 200;
    const r = 25 * (0.7 + 0.3 * random());
    polygon.push(50 + r * Math.cos(angle), 50 + r * Math.sin(angle));
  }
  return polygon;
}

/** The first k − 1 neighbours other than the row itself, from any method's lists. */
function othersOf(row: number, list: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let s = 0; s < list.length && out.length < BENCH_K - 1; s++) if (list[s] !== row && list[s]! >= 0) out.push(list[s]!);
  while (out.length < BENCH_K - 1) out.push(-1);
  return out;
}

const report: Record<string, unknown> = { case: name, n };
const times: number[] = [];
const cpuTimes: number[] = [];

function measure(work: () => unknown): void {
  const cpu = process.cpuUsage();
  const start = performance.now();
  work();
  times.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
}

async function measureAsync(work: () => Promise<unknown>): Promise<void> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  times.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
}

if (name === 'lasso-index' || name === 'lasso-naive') {
  const coords = clusteredPoints(n);
  const polygon = lassoPolygon();
  if (name === 'lasso-index') {
    let index = buildGridIndex(coords, n);
    const start = performance.now();
    index = buildGridIndex(coords, n);
    report.indexBuildMs = performance.now() - start;
    for (let r = 0; r < runs; r++) measure(() => (report.selected = selectInPolygon(index, coords, polygon).length));
  } else {
    for (let r = 0; r < runs; r++) measure(() => (report.selected = selectInPolygonNaive(coords, n, polygon).length));
  }
} else if (name === 'layout-ours' || name === 'layout-umapjs' || name === 'layout-atlas') {
  const d = BENCH_DIMS;
  const { vectors } = syntheticEmbeddings(n, d);
  const sample = sampleRows(n, Number(sampleArg ?? 1000));
  const nEpochs = defaultEpochs(n);
  report.nEpochs = nEpochs;
  report.dataRssMB = Math.round(process.memoryUsage().rss / 2 ** 20);
  let coords: Float32Array = new Float32Array(0);
  let neighbourRows: (row: number) => ArrayLike<number> = () => [];

  if (name === 'layout-ours') {
    const stages = { knnMs: [] as number[], layoutMs: [] as number[] };
    for (let r = 0; r < runs; r++) {
      measure(() => {
        const t0 = performance.now();
        const { knn, method } = cosineNeighbours(vectors, n, d, BENCH_K, { seed: 42 });
        const t1 = performance.now();
        const layout = createLayout(vectors, n, d, knn, { ...DEFAULT_LAYOUT_PARAMS, nEpochs });
        while (layout.step() < layout.epochs);
        coords = layout.coords();
        stages.knnMs.push(t1 - t0);
        stages.layoutMs.push(performance.now() - t1);
        report.neighbourMethod = method;
        neighbourRows = (row) => knn.indices.subarray(row * knn.k, (row + 1) * knn.k);
      });
    }
    Object.assign(report, stages);
  } else if (name === 'layout-umapjs') {
    // Plain umap-js as its README shows it: arrays of rows, its own NN-descent, random start.
    const rows = Array.from({ length: n }, (_, i) => Array.from(vectors.subarray(i * d, (i + 1) * d)));
    for (let r = 0; r < runs; r++) {
      measure(() => {
        const umap = new UMAP({ nNeighbors: BENCH_K, minDist: DEFAULT_LAYOUT_PARAMS.minDist, nEpochs, random: mulberry32(42) });
        coords = Float32Array.from(umap.fit(rows).flat());
        const knnIndices = (umap as unknown as { knnIndices: number[][] }).knnIndices;
        neighbourRows = (row) => knnIndices[row]!;
      });
    }
  } else {
    // Embedding Atlas's WASM UMAP (its own NN-descent and spectral start), as its docs show it.
    const { createUMAP } = (await import(ATLAS_MODULE.href)) as AtlasUmapModule;
    for (let r = 0; r < runs; r++) {
      await measureAsync(async () => {
        const umap = await createUMAP(n, d, 2, vectors, { metric: 'cosine', nNeighbors: BENCH_K, minDist: DEFAULT_LAYOUT_PARAMS.minDist, nEpochs, seed: 42 });
        await umap.run();
        coords = new Float32Array(umap.embedding);
        const knnIndices = new Int32Array(umap.knnIndices);
        const k = knnIndices.length / n;
        neighbourRows = (row) => knnIndices.subarray(row * k, (row + 1) * k);
        umap.destroy();
      });
    }
  }
  const lists = new Int32Array(sample.length * (BENCH_K - 1));
  sample.forEach((row, r) => lists.set(othersOf(row, neighbourRows(row)), r * (BENCH_K - 1)));
  writeFileSync(`${outPrefix}.coords.f32`, new Uint8Array(coords.buffer, coords.byteOffset, coords.byteLength));
  writeFileSync(`${outPrefix}.knn.i32`, new Uint8Array(lists.buffer));
} else if (name === 'embed-fast' || name === 'embed-transformers') {
  const texts = JSON.parse(readFileSync(`${outPrefix}.texts.json`, 'utf8')) as string[];
  if (texts.length !== n) throw new Error(`${outPrefix}.texts.json holds ${texts.length} texts, not ${n}`);
  report.dataRssMB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const options: EmbedderOptions = { modelId: DEFAULT_MODEL_ID, modelsUrl: pathToFileURL(new URL('../public/models/', import.meta.url).pathname).href, ortUrl: nodeOrtUrl(), device: 'wasm' };
  const start = performance.now();
  let embedder: Embedder;
  if (name === 'embed-fast') embedder = (await StaticEmbedder.load(options))!;
  else {
    // transformers.js must find onnxruntime-web before it is first imported (scripts/lib/node-ort.ts).
    await useOnnxruntimeWeb();
    embedder = await (await import('../workers/embed-transformers')).TransformersEmbedder.load(options);
  }
  report.loadMs = performance.now() - start;
  let vectors: Float32Array = new Float32Array(0);
  for (let r = 0; r < runs; r++) await measureAsync(async () => (vectors = (await embedder.embedAll(texts, DEFAULT_PIPELINE_PARAMS.batchSize, () => undefined)).vectors));
  report.tokens = texts.reduce((sum, t) => sum + embedder.tokenize(t).length + 2, 0);
  writeFileSync(`${outPrefix}.f32`, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
} else if (name === 'bert-corpus-order' || name === 'bert-length-order') {
  const texts = JSON.parse(readFileSync(`${outPrefix}.texts.json`, 'utf8')) as string[];
  const options: EmbedderOptions = { modelId: 'bench/random-bert', modelsUrl: pathToFileURL(sampleArg! + '/').href, ortUrl: nodeOrtUrl(), device: 'wasm' };
  await useOnnxruntimeWeb();
  const embedder = await (await import('../workers/embed-transformers')).TransformersEmbedder.load(options);
  const { pipeline } = await import('@huggingface/transformers');
  const extractor = name === 'bert-corpus-order' ? await pipeline('feature-extraction', options.modelId, { device: 'auto', session_options: { executionProviders: ['wasm'] }, dtype: 'fp32' }) : null;
  const batch = DEFAULT_PIPELINE_PARAMS.batchSize;
  let vectors: Float32Array = new Float32Array(0);
  for (let r = 0; r < runs; r++) {
    await measureAsync(async () => {
      if (!extractor) return void (vectors = (await embedder.embedAll(texts, batch, () => undefined)).vectors);
      const parts: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batch) parts.push((await extractor(texts.slice(start, start + batch), { pooling: 'mean', normalize: true })).data as Float32Array);
      vectors = new Float32Array(parts.reduce((sum, p) => sum + p.length, 0));
      parts.reduce((at, p) => (vectors.set(p, at), at + p.length), 0);
    });
  }
  report.tokens = texts.reduce((sum, t) => sum + embedder.tokenize(t).length + 2, 0);
  writeFileSync(`${outPrefix}.f32`, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
} else {
  throw new Error(`unknown case ${name}`);
}

report.runs = times;
report.cpuMs = cpuTimes;
report.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(report));
