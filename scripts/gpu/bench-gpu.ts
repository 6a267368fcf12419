/**
 * The GPU check (`npm run bench:gpu`): the app's own modules, read from this tree and bundled by
 * scripts/gpu/prepare.ts, run in Node on Dawn (npm `webgpu`'s dawn.node, the WebGPU implementation
 * Chrome uses) on a lent GPU machine that has no Node, no browser and no network. Each subcommand is
 * one process (scripts/gpu/run.sh), so a hang or a lost device costs only its own step; each result
 * is appended at once to $OUT/results.jsonl.
 *
 *   probe                                   the adapter, its limits and features, the app's device choice
 *   knn <n>x<d>,… <sample rows>             the app's exact GPU search vs its CPU search, recall of both
 *   pipeline <papers> <auto|wasm>           the app's whole pipeline (runPipeline) on real abstracts
 *   genmodel <minilm|tiny>                  a random-weight BERT (scripts/lib/model/random-bert.ts)
 *   genstatic                               the embedded model as transformers.js runs it (int8 table,
 *                                           as shipped) and with a float32 table: the first WebGPU
 *                                           run of the int8 graph took 33–35 s on an H200 (issue #15)
 *   embed <model> <webgpu|wasm> <batch> <papers> <seconds> <length|corpus>
 *                                           a model through the app's transformers.js path, batches
 *                                           longest first (the app) or in corpus order (the baseline)
 *   summary                                 summary.txt from results.jsonl
 *
 * The payload folder (this bundle's own folder) holds dawn.node, ort/ (onnxruntime-web's WASM) and
 * texts.json (development abstracts, none the model was fitted on); the embedded model is read from
 * the repository's public/models (PM_MODELS), which travels with the working tree; generated models
 * are written to generated/ beside the bundle.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { syntheticEmbeddings } from '../lib/synthetic-vectors';
import { MINILM_L6, writeRandomBert } from '../lib/model/random-bert';
import { rowDots } from '../../src/math/knn/row-dots';
import { mulberry32 } from '../../src/math/random';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { DEFAULT_PIPELINE_PARAMS, type DevicePreference } from '../../src/pipeline/types';
import type { KnnGraph } from '../../src/math/knn/knn';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = process.env.OUT || '/tmp/out';
const RESULTS = join(OUT, 'results.jsonl');
/** Wall-clock deadline (ms since epoch) after which a step starts no new work (set by run.sh). */
const UNTIL = Number(process.env.PM_UNTIL || 0) || Date.now() + 600_000;
const K = DEFAULT_PIPELINE_PARAMS.nNeighbors;
const started = performance.now();
mkdirSync(OUT, { recursive: true });

function record(kind: string, data: Record<string, unknown>): void {
  const line = JSON.stringify({ kind, at: new Date().toISOString(), ...data });
  appendFileSync(RESULTS, line + '\n');
  console.log(`RESULT ${line.length > 1500 ? line.slice(0, 1500) + '…' : line}`);
}
const log = (message: string) => console.log(`[${process.argv[2]} +${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`);
const secondsLeft = () => (UNTIL - Date.now()) / 1000;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);

/** dawn.node can hang at exit while its GPU threads wind down: the results are on disk, so end hard. */
function finish(code = 0): never {
  process.exitCode = code;
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

function defineNavigator(value: Record<string, unknown>): void {
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true, enumerable: true });
}

/**
 * Loads dawn.node and puts the WebGPU globals and navigator.gpu where browser code looks for them.
 * Dawn's Node binding rejects writeBuffer from a view of a SharedArrayBuffer (onnxruntime-web's
 * threaded WASM memory), which browsers accept: such data is copied first.
 */
function setupWebGpu(): void {
  const { create, globals } = createRequire(import.meta.url)(join(HERE, 'dawn.node')) as { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
  Object.assign(globalThis, globals);
  const queue = (globals.GPUQueue as { prototype: { writeBuffer: (...args: unknown[]) => unknown } }).prototype;
  const writeBuffer = queue.writeBuffer;
  queue.writeBuffer = function (this: unknown, ...args: unknown[]) {
    const [buffer, offset, data, dataOffset, size] = args as [unknown, number, ArrayBufferView, number | undefined, number | undefined];
    if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) {
      const element = (data as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
      const start = (dataOffset ?? 0) * element;
      const length = size === undefined ? data.byteLength - start : size * element;
      return writeBuffer.call(this, buffer, offset, new Uint8Array(data.buffer, data.byteOffset + start, length).slice());
    }
    return writeBuffer.apply(this, args);
  };
  const flags = (process.env.DAWN_FLAGS ?? '').split(/\s+/).filter(Boolean);
  defineNavigator({ gpu: create(flags), hardwareConcurrency: os.cpus().length, userAgent: `Node.js/${process.version}`, language: 'en-GB' });
}

/**
 * Hands transformers.js onnxruntime-web's browser build (WebGPU and WASM execution providers), which
 * must happen before transformers.js is first imported; model files go to it as bytes, as the app's
 * fetch gives them. Counts each run's padded shape and time.
 */
const runs: { rows: number; padded: number; real: number; ms: number }[] = [];
async function handOrt(): Promise<void> {
  const ort = await import('ort-webgpu');
  const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (...args: unknown[]) => Promise<{ run: (...args: unknown[]) => Promise<unknown> }>;
  const wrapped = async (source: unknown, ...rest: unknown[]) => {
    const session = await create(typeof source === 'string' ? readFileSync(source) : source, ...rest);
    const run = session.run.bind(session);
    session.run = async (...args: unknown[]) => {
      const feeds = args[0] as Record<string, { dims: readonly number[]; data: ArrayLike<bigint | number> }>;
      let real = 0;
      const mask = feeds.attention_mask;
      if (mask) for (let i = 0; i < mask.data.length; i++) real += Number(mask.data[i]);
      const t = performance.now();
      try {
        return await run(...args);
      } finally {
        runs.push({ rows: feeds.input_ids?.dims[0] ?? 0, padded: feeds.input_ids?.dims[1] ?? 0, real, ms: performance.now() - t });
      }
    };
    return session;
  };
  const InferenceSession = new Proxy(ort.InferenceSession, { get: (target, key, receiver) => (key === 'create' ? wrapped : Reflect.get(target, key, receiver)) });
  (globalThis as Record<symbol, unknown>)[Symbol.for('onnxruntime')] = { ...ort, InferenceSession };
  const { env } = await import('@huggingface/transformers');
  env.useWasmCache = false;
}

const LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupsPerDimension'];

async function probe(): Promise<void> {
  setupWebGpu();
  const gpu = (globalThis.navigator as unknown as { gpu: GPU }).gpu;
  const adapters: Record<string, unknown>[] = [];
  for (const options of [{ powerPreference: 'high-performance' }, { forceFallbackAdapter: true }] as GPURequestAdapterOptions[]) {
    const adapter = await gpu.requestAdapter(options).catch((error: unknown) => describe(error));
    if (!adapter || typeof adapter === 'string') {
      adapters.push({ options, adapter: adapter ?? null });
      continue;
    }
    const info = adapter.info as GPUAdapterInfo & Record<string, unknown>;
    const limits = Object.fromEntries(LIMITS.map((key) => [key, (adapter.limits as unknown as Record<string, number>)[key]]));
    const facts = Object.fromEntries(['vendor', 'architecture', 'device', 'description', 'isFallbackAdapter', 'subgroupMinSize', 'subgroupMaxSize'].map((key) => [key, info[key]]));
    adapters.push({ options, info: facts, shaderF16: adapter.features.has('shader-f16'), features: [...adapter.features].sort(), limits });
  }
  const { probeAdapter, chooseDevice } = await import('../../workers/device');
  const choice = chooseDevice('auto', await probeAdapter());
  record('adapter', { node: process.version, adapters, appChoice: choice, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) });
  finish(adapters.some((a) => a.info) ? 0 : 3);
}

/** Rows of a sample spread over [0, n), seeded. */
function sampleRows(n: number, count: number): number[] {
  const random = mulberry32(5);
  const rows = new Set<number>();
  while (rows.size < Math.min(n, count)) rows.add(Math.floor(random() * n));
  return [...rows].sort((a, b) => a - b);
}

/** Recall of a graph's lists (slot 0 = the row itself) against an exact sweep, on the sample rows; a tie at the k-th distance counts. */
function recall(graph: KnnGraph, vectors: Float32Array, n: number, d: number, rows: number[]): number {
  const dot = rowDots(vectors, n, d);
  let found = 0;
  for (const i of rows) {
    const sims = new Float32Array(n);
    for (let j = 0; j < n; j++) sims[j] = j === i ? -Infinity : dot(i, j);
    const kth = [...sims].sort((a, b) => b - a)[graph.k - 2]!;
    for (let s = 1; s < graph.k; s++) if (sims[graph.indices[i * graph.k + s]!]! >= kth - 1e-6) found++;
  }
  return round(found / (rows.length * (graph.k - 1)), 4);
}

async function knn(spec: string, sample: number): Promise<void> {
  setupWebGpu();
  const { requestKnnDevice, webgpuCosineKnn } = await import('../../src/math/knn/webgpu-knn');
  const { cosineNeighbours } = await import('../../src/math/knn/neighbours');
  const { neighbourSearch } = await import('../../workers/device');
  for (const [n, d] of spec.split(',').map((s) => s.split('x').map(Number) as [number, number])) {
    if (secondsLeft() < 8 + (n / 50_000) ** 2 * 10) {
      record('knn', { n, d, skipped: `only ${round(secondsLeft())} s left` });
      continue;
    }
    const { vectors } = syntheticEmbeddings(n, d);
    const device = await requestKnnDevice();
    if (!device) {
      record('knn', { n, d, error: 'requestKnnDevice() gave no device' });
      break;
    }
    // The first search pays for the pipeline's compilation and the upload, as the app's single search does.
    const gpuMs: number[] = [];
    let gpu: KnnGraph | null = null;
    try {
      for (let r = 0; r < (n <= 20_000 ? 3 : 1); r++) {
        const t = performance.now();
        gpu = await webgpuCosineKnn(device, vectors, n, d, K);
        gpuMs.push(performance.now() - t);
      }
    } catch (error) {
      record('knn', { n, d, gpuMs, error: describe(error) });
      continue;
    } finally {
      device.destroy();
    }
    const t = performance.now();
    const cpu = cosineNeighbours(vectors, n, d, K, { seed: 42 });
    const cpuMs = performance.now() - t;
    const rows = sampleRows(n, n > 50_000 ? Math.min(sample, 100) : sample);
    const autoOnGpu = neighbourSearch({ device: 'webgpu', reason: '', adapter: null }, 'auto', n, d).onGpu;
    record('knn', {
      n, d, k: K, gpuFirstMs: round(gpuMs[0]!), gpuBestMs: round(Math.min(...gpuMs)), cpuMs: round(cpuMs), cpuMethod: cpu.method,
      gpuRecall: recall(gpu!, vectors, n, d, rows), cpuRecall: recall(cpu.knn, vectors, n, d, rows), rowsChecked: rows.length,
      // The app's single search pays the first run's cost: was the automatic choice the faster one?
      appChoosesGpu: autoOnGpu, appChoiceFaster: autoOnGpu === gpuMs[0]! < cpuMs,
    });
  }
  finish();
}

/** `count` of the payload's development abstracts, spread evenly over them (repeated past their number). */
function texts(count: number): string[] {
  const all = JSON.parse(readFileSync(join(HERE, 'texts.json'), 'utf8')) as string[];
  return Array.from({ length: count }, (_, i) => (count <= all.length ? all[Math.floor((i * all.length) / count)]! : all[i % all.length]!));
}

/** The repository's public/models (the embedded model), and the folder of models generated here. */
const APP_MODELS = process.env.PM_MODELS ?? join(HERE, '../../public/models');
const GENERATED = join(HERE, 'generated');
const modelsUrl = (modelId: string) => pathToFileURL((modelId === DEFAULT_MODEL_ID ? APP_MODELS : GENERATED) + '/').href;
const ortUrl = () => pathToFileURL(join(HERE, 'ort') + '/').href;

/** The app's own pipeline, as its worker runs it, on `count` development abstracts. */
async function pipelineRun(count: number, device: DevicePreference): Promise<void> {
  setupWebGpu();
  await handOrt();
  const { runPipeline } = await import('../../workers/pipeline');
  const stages: Record<string, number> = {};
  const notes: string[] = [];
  let choice: unknown = null;
  const t = performance.now();
  const result = await runPipeline(
    { type: 'run', texts: texts(count), modelId: DEFAULT_MODEL_ID, modelsUrl: modelsUrl(DEFAULT_MODEL_ID), ortUrl: ortUrl(), device, params: DEFAULT_PIPELINE_PARAMS, simulate: null, resume: null },
    (message) => {
      if (message.type === 'stage-done') stages[message.stage] = round(message.ms);
      if (message.type === 'stage-note') notes.push(`${message.stage}: ${message.text}`);
      if (message.type === 'device') choice = message.choice;
    },
  );
  record('pipeline', { papers: count, preference: device, totalMs: round(performance.now() - t), stages, notes, choice, neighbours: result.neighbourMethod ?? null, warnings: result.warnings });
  finish();
}

async function genModel(shape: string): Promise<void> {
  const t = performance.now();
  const tiny = { layers: 2, hidden: 64, heads: 4, intermediate: 256, positions: 512 };
  const facts = writeRandomBert(join(GENERATED, 'bench', 'random-bert'), join(APP_MODELS, DEFAULT_MODEL_ID), shape === 'tiny' ? tiny : MINILM_L6);
  record('model', { id: 'bench/random-bert', shape: shape === 'tiny' ? tiny : MINILM_L6, ms: round(performance.now() - t), ...facts });
  finish();
}

/**
 * The embedded model as a plain transformers.js model (config without its papermap block, so nothing
 * takes the static fast path), twice: its own int8 graph (Gather, Cast, Gather, Mul) and the same
 * lookup on a float32 table (one Gather). Which one starts slowly on WebGPU says where the 33 s go.
 */
async function genStatic(): Promise<void> {
  const { readStaticTable } = await import('../../src/model/static-model');
  const { floatEmbeddingOnnx } = await import('./float-table');
  const from = join(APP_MODELS, DEFAULT_MODEL_ID);
  const shipped = new Uint8Array(readFileSync(join(from, 'onnx', 'model.onnx')));
  const table = readStaticTable(shipped)!;
  const config = JSON.parse(readFileSync(join(from, 'config.json'), 'utf8')) as Record<string, unknown>;
  delete config.papermap;
  for (const [id, bytes] of [['bench/static-int8', shipped], ['bench/static-f32', floatEmbeddingOnnx(table, 'papermap bench:gpu')]] as const) {
    const dir = join(GENERATED, id);
    mkdirSync(join(dir, 'onnx'), { recursive: true });
    writeFileSync(join(dir, 'onnx', 'model.onnx'), bytes);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) writeFileSync(join(dir, file), readFileSync(join(from, file)));
    record('model', { id, params: table.vocabSize * table.dims, onnxBytes: bytes.length, ms: 0 });
  }
  finish();
}

class Stop extends Error {}

/**
 * A model through the app's transformers.js path (workers/embed.ts). `length`: its own embedAll,
 * longest texts first. `corpus`: the same embedder fed one corpus-order batch at a time, which is
 * what batching in corpus order costs (each batch padded to its longest).
 */
async function embed(modelId: string, device: 'webgpu' | 'wasm', batch: number, count: number, maxSeconds: number, order: 'length' | 'corpus'): Promise<void> {
  if (device === 'webgpu') setupWebGpu();
  else defineNavigator({ hardwareConcurrency: os.cpus().length, userAgent: `Node.js/${process.version}`, language: 'en-GB' });
  await handOrt();
  const { TransformersEmbedder } = await import('../../workers/embed-transformers');
  const label = `${modelId} ${device} b${batch} ${order === 'length' ? 'longest first' : 'corpus order'}`;
  const t0 = performance.now();
  let embedder: Awaited<ReturnType<typeof TransformersEmbedder.load>>;
  try {
    embedder = await TransformersEmbedder.load({ modelId, modelsUrl: modelsUrl(modelId), ortUrl: ortUrl(), device });
  } catch (error) {
    record('embed', { label, modelId, device, batch, order, error: describe(error) });
    finish(4);
  }
  const loadMs = performance.now() - t0;
  const all = texts(count);
  const stamps: number[] = [];
  const t1 = performance.now();
  const stopIfLate = () => {
    stamps.push(performance.now());
    const last = stamps.length > 1 ? stamps.at(-1)! - stamps.at(-2)! : stamps[0]! - t1;
    if (performance.now() - t1 + last > maxSeconds * 1000 || secondsLeft() * 1000 < last * 1.2 + 5000) throw new Stop();
  };
  let dims = 0;
  try {
    if (order === 'length') ({ dims } = await embedder!.embedAll(all, batch, stopIfLate));
    else {
      for (let start = 0; start < all.length; start += batch) {
        dims = (await embedder!.embedAll(all.slice(start, start + batch), batch, () => {})).dims;
        stopIfLate();
      }
    }
  } catch (error) {
    if (!(error instanceof Stop)) {
      record('embed', { label, modelId, device, batch, order, loadMs: round(loadMs), batchesDone: stamps.length, error: describe(error) });
      finish(5);
    }
  }
  const batches = stamps.map((s, i) => s - (i === 0 ? t1 : stamps[i - 1]!));
  const steady = batches.slice(1);
  const done = Math.min(all.length, stamps.length * batch);
  const fed = runs.slice(0, stamps.length);
  // The first four texts, embedded apart after the timed run, for the agreement between devices.
  const four = await embedder!.embedAll(all.slice(0, 4), 4, () => {}).catch(() => null);
  const firstRows = four ? Array.from({ length: 4 }, (_, r) => Array.from(four.vectors.subarray(r * four.dims, (r + 1) * four.dims), (x) => round(x, 6))) : [];
  record('embed', {
    label, modelId, device, batch, order, papersAsked: all.length, papersDone: done, loadMs: round(loadMs), firstBatchMs: round(batches[0] ?? NaN),
    papersPerSecond: round((done - Math.min(batch, done)) / (steady.reduce((a, b) => a + b, 0) / 1000)), medianBatchMs: round(median(steady)),
    ortRunMsMedian: round(median(fed.slice(1).map((r) => r.ms))), paddedPerReal: round(fed.reduce((a, r) => a + r.rows * r.padded, 0) / Math.max(1, fed.reduce((a, r) => a + r.real, 0)), 3),
    dims, firstRows,
  });
  finish();
}

/** summary.txt: one readable line per result. */
function summary(): void {
  if (!existsSync(RESULTS)) return void console.log('no results');
  const rows = readFileSync(RESULTS, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);
  const lines: string[] = [];
  for (const r of rows) {
    if (r.kind === 'adapter') {
      const a = r.adapters.find((x: any) => x.info);
      lines.push(a ? `adapter: ${a.info.vendor} | ${a.info.architecture} | ${a.info.description} | fallback=${a.info.isFallbackAdapter} | shader-f16=${a.shaderF16}; app chooses ${r.appChoice.device} (${r.appChoice.reason}); ${r.cpus} CPUs` : 'adapter: NONE');
    } else if (r.kind === 'knn') {
      lines.push(r.skipped || r.error ? `knn ${r.n}×${r.d}: ${r.skipped ?? r.error}` : `knn ${r.n}×${r.d}: GPU first ${r.gpuFirstMs} ms, best ${r.gpuBestMs} ms (recall ${r.gpuRecall}); CPU ${r.cpuMethod} ${r.cpuMs} ms (recall ${r.cpuRecall}); app picks ${r.appChoosesGpu ? 'GPU' : 'CPU'}${r.appChoiceFaster ? '' : ' (the slower one)'}`);
    } else if (r.kind === 'pipeline') {
      lines.push(`pipeline ${r.papers} papers, device ${r.preference} → ${r.choice?.device}: ${round(r.totalMs / 1000)} s; ${Object.entries(r.stages).map(([s, ms]) => `${s} ${round((ms as number) / 1000)} s`).join(', ')}; kNN ${r.neighbours}`);
    } else if (r.kind === 'embed') {
      lines.push(r.error ? `embed ${r.label}: ERROR ${r.error}` : `embed ${r.label}: ${r.papersPerSecond ?? 'no steady rate (one batch)'}${r.papersPerSecond === null ? '' : ' papers/s'} (${r.papersDone}/${r.papersAsked}), first batch ${r.firstBatchMs} ms, median batch ${r.medianBatchMs} ms (ORT ${r.ortRunMsMedian} ms), padded/real tokens ${r.paddedPerReal}, load ${r.loadMs} ms`);
    } else if (r.kind === 'model') lines.push(`model ${r.id}: ${r.params} parameters, ${r.onnxBytes} bytes, written in ${r.ms} ms`);
    else if (r.kind === 'skipped') lines.push(`step ${r.step} skipped: ${r.secondsLeft} s left`);
    else if (r.kind === 'error') lines.push(`step ${r.step} failed: ${r.error}`);
  }
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
  const embeds = rows.filter((r) => r.kind === 'embed' && r.firstRows?.length);
  for (const g of embeds.filter((r) => r.device === 'webgpu')) {
    const w = embeds.find((r) => r.device === 'wasm' && r.modelId === g.modelId);
    if (w) lines.push(`agreement ${g.modelId}: cosine(WebGPU ${g.order}, WASM ${w.order}) of rows 0–3 = ${g.firstRows.map((row: number[], i: number) => cos(row, w.firstRows[i]).toFixed(6)).join(', ')}`);
  }
  // The embedded model's two graphs must give the same vectors: only their start-up may differ.
  const [int8, f32] = ['bench/static-int8', 'bench/static-f32'].map((id) => embeds.find((r) => r.modelId === id));
  if (int8 && f32) lines.push(`agreement static: cosine(int8 graph, float32 table) of rows 0–3 = ${int8.firstRows.map((row: number[], i: number) => cos(row, f32.firstRows[i]).toFixed(6)).join(', ')}`);
  const text = lines.join('\n') + '\n';
  writeFileSync(join(OUT, 'summary.txt'), text);
  console.log(text);
}

const [command, ...args] = process.argv.slice(2);
const commands: Record<string, () => Promise<void> | void> = {
  probe,
  knn: () => knn(args[0]!, Number(args[1] ?? 300)),
  pipeline: () => pipelineRun(Number(args[0]), args[1] as DevicePreference),
  genmodel: () => genModel(args[0] ?? 'minilm'),
  genstatic: genStatic,
  embed: () => embed(args[0]!, args[1] as 'webgpu' | 'wasm', Number(args[2]), Number(args[3]), Number(args[4]), args[5] as 'length' | 'corpus'),
  summary,
};
if (!command || !commands[command]) {
  console.error(`usage: bench.mjs ${Object.keys(commands).join('|')} …`);
  process.exit(2);
}
log(`start (${secondsLeft().toFixed(0)} s left)`);
Promise.resolve(commands[command]!()).catch((error) => {
  record('error', { step: command, args, error: describe(error), stack: error instanceof Error ? error.stack?.slice(0, 3000) : undefined });
  finish(1);
});
