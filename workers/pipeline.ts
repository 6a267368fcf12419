/**
 * The pipeline's stages in order: load model -> embed -> exact kNN -> UMAP layout -> topics.
 * A plain async function with an event callback, so tests can run it without a worker.
 */
import { exactCosineKnn } from '../src/math/knn';
import { createLayout } from '../src/math/layout';
import { densityClusters } from '../src/math/clusters';
import { topicTerms } from '../src/math/labels';
import { chooseDevice, probeAdapter } from './device';
import { Embedder } from './embed';
import type { PipelineResult, RunRequest, Stage, WorkerMessage } from './messages';

type Emit = (message: WorkerMessage) => void;

/** An error that knows which stage it came from, so the page can say where the run failed. */
export class StageError extends Error {
  constructor(
    readonly stage: Stage,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** How often (in epochs) layout progress is reported. */
const LAYOUT_REPORT_EVERY = 10;

export async function runPipeline(request: RunRequest, emit: Emit): Promise<PipelineResult> {
  const timings: Partial<Record<Stage, number>> = {};
  let fallback: string | null = null;
  const timed = async <T>(stage: Stage, work: () => Promise<T> | T): Promise<T> => {
    const start = performance.now();
    let value: T;
    try {
      value = await work();
    } catch (error) {
      throw new StageError(stage, error);
    }
    timings[stage] = performance.now() - start;
    emit({ type: 'stage-done', stage, ms: timings[stage]! });
    return value;
  };
  const n = request.texts.length;
  const { params } = request;

  const choice = chooseDevice(request.device, request.device === 'wasm' ? null : await probeAdapter());
  emit({ type: 'device', choice });
  const onFallback = (reason: string) => {
    fallback = reason;
    emit({ type: 'fallback', reason });
  };

  emit({ type: 'progress', stage: 'model', done: 0, total: 1 });
  const embedder = await timed('model', () =>
    Embedder.load({ modelId: request.modelId, modelsUrl: request.modelsUrl, ortUrl: request.ortUrl, device: choice.device }, onFallback),
  );
  emit({ type: 'progress', stage: 'embed', done: 0, total: n });
  const { vectors, dims, empty } = await timed('embed', () =>
    embedder.embedAll(request.texts, params.batchSize, (done, total) => emit({ type: 'progress', stage: 'embed', done, total })),
  );
  const warnings: string[] = [];
  if (empty.length > 0) {
    warnings.push(`${empty.length} paper${empty.length === 1 ? ' has' : 's have'} no word the model knows; their place on the map means nothing (first: #${empty[0]! + 1})`);
  }
  const device = embedder.device;
  await embedder.dispose();

  const k = Math.min(params.nNeighbors, n - 1);
  const knn = await timed('knn', () => exactCosineKnn(vectors, n, dims, k, (done, total) => emit({ type: 'progress', stage: 'knn', done, total })));

  const coords = await timed('layout', () => {
    const layout = createLayout(vectors, n, dims, knn, params);
    for (let epoch = 0; epoch < layout.epochs; ) {
      epoch = layout.step();
      if (epoch % LAYOUT_REPORT_EVERY === 0 || epoch === layout.epochs) emit({ type: 'progress', stage: 'layout', done: epoch, total: layout.epochs });
    }
    return layout.coords();
  });

  const { topics, terms } = await timed('topics', () => {
    const topics = densityClusters(coords, n);
    return { topics, terms: topicTerms(request.texts, topics) };
  });

  return { n, dims, embeddings: vectors, coords, topics, topicTerms: terms, device, fallback, warnings, timings };
}
