/**
 * The pipeline's stages in order: load model -> embed -> kNN -> UMAP layout -> topics.
 * A plain async function with an event callback, so tests can run it without a worker.
 * The map shows early: the PCA start is drawn before the neighbour search, then refined.
 */
import { l2NormalizeRows } from '../src/math/knn/knn';
import { pcaInit, planLayout } from '../src/math/layout/layout';
import { cosineNeighbours, neighbourMethod } from '../src/math/knn/neighbours';
import { inSearchableMemory, searchableRows } from '../src/math/knn/row-dots';
import { requestKnnDevice, webgpuCosineKnn, MAX_GPU_K } from '../src/math/knn/webgpu-knn';
import type { KnnGraph } from '../src/math/knn/knn';
import { topicLevelsBeside } from '../src/math/topics/topics';
import { textSideInThisThread, type OpenTextSide, type TextSide } from './text-side';
import { layoutInThisThread, type OpenLayout } from './layout-side';
import { quantiseRows } from '../src/cache/quantise';
import { blendParts, withModel, DEFAULT_CORPUS_FIT, type CorpusFit, type CorpusFitHint, type CorpusFitOptions } from '../src/model/corpus-fit';
import { chooseDevice, neighbourSearch, probeAdapter } from './device';
import { Embedder, GpuFailure } from './embed';
import { fileGeometry, type Device, type DeviceChoice, type NeighbourMethodUsed, type PipelineResult, type Stage } from '../src/pipeline/types';
import type { RunRequest, WorkerMessage } from './messages';
import { freeNow } from '../src/free-now';

type Emit = (message: WorkerMessage, transfer?: Transferable[]) => void;

/** An error that knows which stage it came from, so the page can say where the run failed. */
export class StageError extends Error {
  constructor(
    readonly stage: Stage,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * The kNN graph: exact on the GPU where `onGpu` (workers/device.ts, neighbourSearch), else on the CPU
 * (exact or NN-descent by size). A GPU that fails or is lost hands the search to the CPU, with a warning.
 * `loseGpu`: fault injection, the device destroyed as the search starts.
 */
async function neighbours(vectors: Float32Array, n: number, d: number, k: number, onGpu: boolean, seed: number, emit: Emit, warnings: string[], loseGpu = false): Promise<{ knn: KnnGraph; method: NeighbourMethodUsed }> {
  const progress = (unit: string) => (done: number, total: number) => emit({ type: 'progress', stage: 'knn', done, total, unit });
  if (onGpu && k <= MAX_GPU_K) {
    const device = await requestKnnDevice();
    if (device) {
      try {
        if (loseGpu) device.destroy();
        return { knn: await webgpuCosineKnn(device, vectors, n, d, k, { onProgress: progress('rows, exact, GPU') }), method: 'webgpu' };
      } catch (error) {
        warnings.push(`The neighbour search on the GPU failed (${error instanceof Error ? error.message : String(error)}); the CPU did it instead.`);
      } finally {
        device.destroy();
      }
    }
  }
  const unit = neighbourMethod(n, d) === 'exact' ? 'rows, exact' : 'passes (NN-descent)';
  return cosineNeighbours(vectors, n, d, k, { seed, onProgress: progress(unit) });
}

/** How often (in epochs) layout progress is reported, and how often an intermediate layout is drawn. */
const LAYOUT_REPORT_EVERY = 10;
const LAYOUT_PREVIEW_EVERY = 50;

type Timed = <T>(stage: Stage, work: () => Promise<T> | T) => Promise<T>;

/**
 * Where the model and the neighbour search run, decided once per run: WASM when the run continues
 * one whose WebGPU failed; null when neither runs (the file gave positions and nothing is embedded),
 * and the adapter is then never asked for.
 */
async function decideDevice(request: RunRequest, needed: boolean): Promise<DeviceChoice | null> {
  if (!needed) return null;
  if (request.resume) return { device: 'wasm', reason: 'continuing on WASM after WebGPU failed', adapter: null };
  return chooseDevice(request.device, request.device === 'wasm' ? null : await probeAdapter());
}

/**
 * Loads the model on the chosen device and embeds every text (continuing a resumed run). Once the
 * model says whether it takes a corpus fit, `startText` starts the text side, which fits beside the embedding.
 */
async function embedTexts(request: RunRequest, choice: DeviceChoice, emit: Emit, timed: Timed, warnings: string[], startText: (hint: CorpusFitHint | null) => void): Promise<{ vectors: Float32Array; dims: number; room: number; device: Device; embeddedOn: Device | 'cpu'; fitHint: CorpusFitHint | null }> {
  const n = request.texts.length;
  emit({ type: 'device', choice });

  emit({ type: 'progress', stage: 'model', done: 0, total: 1 });
  const embedder = await timed('model', () =>
    Embedder.load({
      modelId: request.modelId,
      modelsUrl: request.modelsUrl,
      ortUrl: request.ortUrl,
      device: choice.device,
      ...(request.simulate === 'gpu-loss' ? { loseGpuAfterBatch: 2 } : {}),
      onFitHint: startText,
    }),
  );
  // A static model's lookup runs in JS on the CPU: the panel says so, and what the chosen device still does.
  if (embedder.embeddedOn === 'cpu') emit({ type: 'device', choice: { ...choice, embeddedOn: 'cpu' } });
  // Started already when the model's config was read (the static model), else now.
  startText(embedder.corpusFit);
  emit({ type: 'progress', stage: 'embed', done: request.resume?.partial?.done ?? 0, total: n });
  // The vectors are made where the neighbour search reads them (no copy of them beside them through
  // it), with room for the fit's dimensions, so the blend writes in place.
  const wanted = fitOptions(request, embedder.corpusFit);
  const home = { roomPerRow: 'options' in wanted ? wanted.options.dims : 0, allocate: searchableRows };
  const { vectors, dims, empty, room = 0 } = await timed('embed', () =>
    embedder.embedAll(request.texts, request.params.batchSize, (done, total) => {
      emit({ type: 'progress', stage: 'embed', done, total });
      // Fault injection: an uncaught error ends the worker the way a crash would.
      // (A library in the worker wraps setTimeout; a microtask's exception is reported as uncaught.)
      if (request.simulate === 'worker-crash' && done < total) queueMicrotask(() => { throw new Error('simulated worker crash'); });
    }, request.resume?.partial ?? null, home),
  );
  if (empty.length > 0) {
    warnings.push(`${empty.length} paper${empty.length === 1 ? ' has' : 's have'} no word the model knows; their place on the map means nothing (first: #${empty[0]! + 1})`);
  }
  const { device, embeddedOn, corpusFit: fitHint } = embedder;
  await embedder.dispose();
  return { vectors, dims, room, device, embeddedOn, fitHint };
}

/** The corpus fit a run takes, or why it takes none (the embedded static model asks for one; a pretrained transformer's vectors are used as they are). */
function fitOptions(request: RunRequest, hint: CorpusFitHint | null): { options: CorpusFitOptions } | { skip: string } {
  if (!hint) return { skip: 'not needed: a pretrained model' };
  if (!request.params.corpusFit) return { skip: 'turned off' };
  const options = { ...DEFAULT_CORPUS_FIT, dims: hint.dims };
  if (request.texts.length < options.minPapers) return { skip: `too few papers (${request.texts.length} < ${options.minPapers})` };
  return { options };
}

/** Blends the corpus's own latent space (fitted by the text side) into the model's vectors, when the run takes a fit. */
async function fitToCorpus(request: RunRequest, embedded: { vectors: Float32Array; dims: number; room: number; fitHint: CorpusFitHint | null }, text: TextSide, emit: Emit, timed: Timed): Promise<{ vectors: Float32Array; dims: number; fit: CorpusFit | null }> {
  const n = request.texts.length;
  const hint = embedded.fitHint;
  const wanted = fitOptions(request, hint);
  if ('skip' in wanted) {
    emit({ type: 'stage-skipped', stage: 'fit', reason: wanted.skip });
    return { vectors: embedded.vectors, dims: embedded.dims, fit: null };
  }
  emit({ type: 'progress', stage: 'fit', done: 0, total: 1 });
  return timed('fit', async () => {
    const words = await text.fit((done, total) => emit({ type: 'progress', stage: 'fit', done, total, unit: 'papers' }));
    if (text.inWorker) emit({ type: 'stage-note', stage: 'fit', text: 'in a second worker' });
    if (!words) return { vectors: embedded.vectors, dims: embedded.dims, fit: null };
    const fit = withModel(words.space, embedded, n, hint!.queryIgnores);
    return { vectors: blendParts(fit, embedded.vectors, embedded.dims, words.parts, n, embedded.room >= fit.dims), dims: embedded.dims + fit.dims, fit };
  });
}

/**
 * Above this many papers every paper's terms are not read ahead: the table would hold hundreds of
 * megabytes, and naming reads at most NAMING_SAMPLE papers a topic, a small share of such a map.
 */
const TERMS_AHEAD_MAX = 250_000;
/**
 * Up to this many papers the text worker keeps the terms it read and names the finest level of topics
 * while the pipeline worker names the others. Above, a second copy of every paper's terms, and two
 * levels named at once, cost more memory than the time saved is worth: on 100,000 real abstracts
 * naming beside took 13.7 s off a 141-s build but raised its peak from 2.8 to 3.3 GB.
 */
const NAME_BESIDE_MAX = 50_000;
/** Below this many papers the text side runs in the pipeline worker: starting a second worker costs about what it saves. */
const TEXT_WORKER_MIN = 2000;

/**
 * The workers a run may hand work to (the pipeline worker's own): the text side (./text-side.ts) and
 * the layout's second share (./layout-side.ts). By default, as in Node, both run in this thread.
 */
export interface Sides {
  openText: OpenTextSide;
  openLayout: OpenLayout;
}

/**
 * Runs a request to the end. `sides` start the work that can run beside the pipeline: in this thread by
 * default; the pipeline worker gives each a worker of its own, so the fit, the terms and half of a
 * large map's layout use the second core.
 */
export async function runPipeline(request: RunRequest, emit: Emit, sides: Partial<Sides> = {}): Promise<PipelineResult> {
  const openText = sides.openText ?? textSideInThisThread;
  let text: TextSide | null = null;
  const startText = (hint: CorpusFitHint | null) => {
    const wanted = fitOptions(request, hint);
    const fit = 'options' in wanted ? wanted.options : null;
    // Terms are read ahead only behind a layout, and not for a map so big that naming samples a small share of it.
    const readTerms = !request.given?.coords && request.texts.length <= TERMS_AHEAD_MAX;
    const nameBeside = request.texts.length <= NAME_BESIDE_MAX;
    // With neither to do beside the pipeline, a second worker would only copy the texts; on a small
    // map it costs about what it saves (336 papers: 2.5 s with it, 2.3 s without).
    const worthAWorker = (fit || readTerms) && request.texts.length >= TEXT_WORKER_MIN;
    text ??= (worthAWorker ? openText : textSideInThisThread)(request.texts, fit, { readTerms, nameBeside, crash: request.simulate === 'text-worker-crash' });
  };
  try {
    return await buildMap(request, emit, startText, () => text!, sides.openLayout ?? layoutInThisThread);
  } finally {
    (text as TextSide | null)?.close();
  }
}

async function buildMap(request: RunRequest, emit: Emit, startText: (hint: CorpusFitHint | null) => void, textSide: () => TextSide, openLayout: OpenLayout): Promise<PipelineResult> {
  const timings: Partial<Record<Stage, number>> = {};
  const fallback = request.resume?.reason ?? null;
  const timed: Timed = async <T,>(stage: Stage, work: () => Promise<T> | T): Promise<T> => {
    const start = performance.now();
    let value: T;
    try {
      value = await work();
    } catch (error) {
      // A WebGPU failure is not the run's failure: the page continues it on WASM in a fresh worker.
      if (error instanceof GpuFailure) throw error;
      throw new StageError(stage, error);
    }
    timings[stage] = performance.now() - start;
    emit({ type: 'stage-done', stage, ms: timings[stage]! });
    return value;
  };
  const n = request.texts.length;
  const { params } = request;

  const given = request.given ?? null;
  // The model runs unless the file gave vectors or positions; the neighbour search runs unless it gave positions.
  const embeds = fileGeometry(given) === null;
  const choice = await decideDevice(request, embeds || !given?.coords);
  const warnings: string[] = [];
  // No model runs: the text side has only the terms to read.
  if (!embeds) startText(null);
  let embedded: { vectors: Float32Array; dims: number; device: PipelineResult['device']; embeddedOn?: Device | 'cpu'; fit?: CorpusFit | null };
  if (given?.vectors) {
    // The file brought its own vectors: no model runs (search by meaning then needs the model that made them).
    embedded = { vectors: l2NormalizeRows(given.vectors.data, given.vectors.dims), dims: given.vectors.dims, device: null };
  } else if (given?.coords && !given.embed) {
    // The file brought its own layout: the map needs no vectors, and embedding a big file would cost
    // minutes (9 at 1,000,000 papers on WASM) for search by meaning alone. The map has none (dims 0).
    embedded = { vectors: new Float32Array(0), dims: 0, device: null };
  } else {
    const general = await embedTexts(request, choice!, emit, timed, warnings, startText); // embeds: a device was decided
    embedded = { ...(await fitToCorpus(request, general, textSide(), emit, timed)), device: general.device, embeddedOn: general.embeddedOn };
    // Blended into new rows (a resumed run's, which have no room), the model's own are dead: at
    // 100,000 papers, 128 MB not left for a full collection to find.
    if (embedded.vectors.buffer !== general.vectors.buffer) freeNow(general.vectors);
  }
  const { vectors, dims, device } = embedded;
  const corpusFit = embedded.fit ?? null;

  let coords: Float32Array;
  let usedNeighbours: NeighbourMethodUsed | null = null;
  if (given?.coords) {
    coords = given.coords;
  } else {
    // The PCA start, drawn at once: the map's broad shape before the neighbour search.
    const start = pcaInit(vectors, n, dims, params.seed);
    const first = start.slice();
    emit({ type: 'layout-preview', coords: first, epoch: 0, epochs: 0 }, [first.buffer as ArrayBuffer]);
    const k = Math.min(params.nNeighbors, n - 1);
    // On the GPU when the device decided above is WebGPU (the model ran there, or the file gave the
    // vectors) and the map is large enough for the GPU to win, or WebGPU was asked for by name.
    const { onGpu, cpuBecause } = neighbourSearch(choice, request.device, n, dims);
    if (cpuBecause) emit({ type: 'device', choice: { ...choice!, ...(embedded.embeddedOn === 'cpu' ? { embeddedOn: 'cpu' as const } : {}), cpuSearch: cpuBecause } });
    // Simulated GPU loss: where the model did not run on the GPU (a static model), the neighbour search loses it.
    const loseGpu = request.simulate === 'gpu-loss' && embedded.embeddedOn === 'cpu';
    const { knn, method } = await timed('knn', () => neighbours(vectors, n, dims, k, onGpu, params.seed, emit, warnings, loseGpu));
    usedNeighbours = method;
    coords = await timed('layout', async () => {
      const layout = openLayout(planLayout(vectors, n, dims, knn, params, start), { crash: request.simulate === 'layout-worker-crash' });
      try {
        for (let epoch = 0; epoch < layout.epochs; ) {
          epoch = await layout.step();
          if (epoch % LAYOUT_REPORT_EVERY === 0 || epoch === layout.epochs) emit({ type: 'progress', stage: 'layout', done: epoch, total: layout.epochs });
          if (epoch % LAYOUT_PREVIEW_EVERY === 0 && epoch < layout.epochs) {
            const preview = layout.coords();
            emit({ type: 'layout-preview', coords: preview, epoch, epochs: layout.epochs }, [preview.buffer as ArrayBuffer]);
          }
        }
        if (layout.inWorker) emit({ type: 'stage-note', stage: 'layout', text: 'on two cores' });
        if (layout.failure) warnings.push(`The layout's second worker stopped (${layout.failure}); the layout started again in the pipeline worker, so it took longer.`);
        return layout.coords();
      } finally {
        layout.close();
      }
    });
  }

  const levels = await timed('topics', async () => {
    const terms = await textSide().terms();
    let namedBeside = false;
    const levels = await topicLevelsBeside(coords, n, terms, (topics) => {
      const named = textSide().nameBeside(topics);
      namedBeside = named !== null;
      return named;
    });
    if (textSide().inWorker && textSide().readsTerms) emit({ type: 'stage-note', stage: 'topics', text: namedBeside ? 'terms and the finest names from a second worker' : 'terms from a second worker' });
    return levels;
  });

  const failure = textSide().failure;
  if (failure) warnings.push(`The second worker stopped (${failure}); the pipeline worker did its work instead, so the map took longer.`);
  const quantised = quantiseRows(vectors, dims, n);
  // Rows in the neighbour search's memory cannot be transferred: the page gets a copy.
  const embeddings = inSearchableMemory(vectors) ? vectors.slice() : vectors;
  return { n, dims, embeddings, corpusFit, coords, levels, device, neighbourMethod: usedNeighbours, fallback, warnings, timings, quantised };
}
