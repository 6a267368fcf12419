/**
 * The pipeline's work that reads only the texts, never the model's vectors: the corpus fit's latent
 * space with every paper's corpus part (src/model/corpus-fit.ts), and every paper's terms for naming
 * topics (src/math/topics/term-table.ts). In the browser it runs in a second worker, on the second
 * core, while the pipeline worker embeds, searches neighbours and lays out the map; in Node (eval,
 * build-map, bench) and wherever that worker cannot start, it runs in the caller's thread when asked.
 * The same functions either way, so the same map.
 */
import { corpusParts, fitCorpusSpace, type CorpusFitOptions, type CorpusSpace } from '../src/model/corpus-fit';
import { sampledTopicTerms, type TermSource, type TopicTerms } from '../src/math/topics/labels';
import { termsReadOnce } from '../src/math/topics/topics';
import { decodeTermTable, type TermTable } from '../src/math/topics/term-table';
import { WorkerRpc } from '../src/worker-rpc';
import type { TextMessage, TextRequest } from './messages';
import { packedTransfer, packTexts, textsOf, type PackedTexts } from '../src/pipeline/packed-texts';

/** The corpus fit's words side: its space and each paper's part (n × space.dims). */
export interface CorpusWords {
  space: CorpusSpace;
  parts: Float32Array;
}

export interface TextSide {
  /** Whether the work ran beside the pipeline, in a worker of its own (false once it fell back to this thread). */
  readonly inWorker: boolean;
  /** Why the worker's work was done in this thread instead, if it was. */
  readonly failure: string | null;
  /** Whether every paper's terms are read ahead (by the worker), rather than when naming asks. */
  readonly readsTerms: boolean;
  /**
   * The fit's words side; null when the corpus is too small to fit or no fit was asked for. Asked for
   * when the caller has nothing else to do: it may then take a share of the work. `onProgress`: papers done.
   */
  fit(onProgress?: (done: number, total: number) => void): Promise<CorpusWords | null>;
  /** The papers' terms, as paperTerms reads them: read when asked for, or all read already and numbered. */
  terms(): Promise<TermSource>;
  /**
   * Names one level's topics (sampledTopicTerms) in the worker that read the terms, while the caller
   * names the other levels; null where no such worker is at hand (the caller names it). Never rejects:
   * should that worker fail, the level is named in this thread instead.
   */
  nameBeside(topics: Int32Array): Promise<TopicTerms[]> | null;
  /** Ends any work still running (the run is over or was cancelled). */
  close(): void;
}

/**
 * Starts the text side of a run over `texts`: `fit` is null when the map takes no corpus fit;
 * `readTerms` says whether to read every paper's terms ahead (while the layout runs), or only those
 * naming asks for, when it asks; `nameBeside`, whether a worker that read them keeps them to name a
 * level (see TextSide.nameBeside); `crash` stages a crash of its worker (?simulate=text-worker-crash).
 */
export type OpenTextSide = (texts: string[], fit: CorpusFitOptions | null, how?: TextSideHow) => TextSide;

export interface TextSideHow {
  readTerms: boolean;
  nameBeside: boolean;
  crash: boolean;
}

export function corpusWords(texts: string[], options: CorpusFitOptions | null): CorpusWords | null {
  const space = options && fitCorpusSpace(texts, options);
  return space ? { space, parts: corpusParts(space, texts) } : null;
}

/** In the caller's thread, each part when first asked for; terms only for the papers naming reads. */
export const textSideInThisThread: OpenTextSide = (texts, options) => {
  let words: CorpusWords | null | undefined;
  const termsOf = termsReadOnce(texts);
  return {
    inWorker: false,
    failure: null,
    readsTerms: false,
    fit: async () => (words === undefined ? (words = corpusWords(texts, options)) : words),
    terms: async () => termsOf,
    nameBeside: () => null,
    close: () => undefined,
  };
};

/**
 * Where the caller starts its share of the corpus parts: half of the papers the worker has not
 * reached (`reached`), from the end, in whole chunks. The worker stops there.
 */
export function shareFrom(reached: number, n: number, chunk: number): number {
  return Math.min(n, reached + Math.ceil((n - reached) / 2 / chunk) * chunk);
}

/** Papers the worker projects between two looks at its messages (~0.1 s at 100,000 papers). */
export const PARTS_CHUNK = 1000;

/**
 * In a worker of its own (workers/text.worker.ts), which starts at once: it fits the space, projects
 * papers from the first on until the caller (done embedding) asks for the fit and takes the rest from
 * the far end, then reads every paper's terms, and keeps them to name a level's topics once the map is
 * laid out. Should that worker fail to start or crash, the work is done in this thread instead:
 * slower, the same result.
 */
export function textSideInWorker(texts: string[], options: CorpusFitOptions | null, how: TextSideHow = { readTerms: true, nameBeside: true, crash: false }, packed?: PackedTexts): TextSide {
  const { readTerms, nameBeside: keepTerms, crash } = how;
  const n = texts.length;
  let reached = 0;
  let onProgress: ((done: number, total: number) => void) | undefined;
  const rpc = new WorkerRpc<TextRequest, TextMessage>(
    () => new Worker(new URL('./text.worker.ts', import.meta.url), { type: 'module', name: 'papermap-text' }),
    {
      answer: (m) => (m.type === 'progress' ? null : { id: m.id, value: m.type === 'space' ? m.space : m.type === 'parts' ? m.parts : m.type === 'terms' ? m.table : m.terms }),
      onEvent: (m) => {
        if (m.type !== 'progress') return;
        reached = m.done;
        onProgress?.(reached, n);
      },
      failure: (f) => new Error(f.kind === 'crashed' ? `the text worker crashed: ${f.detail ?? 'no details'}` : 'a message from the text worker could not be read'),
    },
  );
  const here = textSideInThisThread(texts, options);
  let failure: string | null = null;
  const fallBack = <T>(work: () => Promise<T>) => (error: unknown) => {
    failure ??= error instanceof Error ? error.message : String(error);
    return work();
  };
  // The worker answers in order: the space (the blend waits for it), its share of the parts, then the terms (naming waits for them, after the layout).
  // `packed`: these texts as the page packed them, moved on uncopied (it is detached after).
  const bytes = packed ?? packTexts(textsOf(texts));
  const space = rpc.request<CorpusSpace | null>((id) => ({ type: 'fit', id, texts: bytes, options, crash }), packedTransfer(bytes));
  const table = readTerms ? rpc.request<TermTable>((id) => ({ type: 'terms', id, keep: keepTerms })).then(decodeTermTable, fallBack(here.terms)) : here.terms();
  let fit: Promise<CorpusWords | null> | null = null;
  const share = async (): Promise<CorpusWords | null> => {
    const fitted = await space;
    if (!fitted) return null;
    const from = shareFrom(reached, n, PARTS_CHUNK);
    const theirs = rpc.request<Float32Array>((id) => ({ type: 'parts', id, upTo: from }));
    const parts = new Float32Array(n * fitted.dims);
    corpusParts(fitted, texts, from, n, parts);
    parts.set(await theirs);
    return { space: fitted, parts };
  };
  let fitted: () => void = () => undefined;
  const fitDone = options ? new Promise<void>((resolve) => (fitted = resolve)) : Promise.resolve();
  // Unless it keeps the terms to name a level later, the worker's work is over once they came and the
  // fit was shared (these promises never reject: a failure already fell back to this thread).
  if (!(readTerms && keepTerms)) void Promise.all([table, fitDone]).then(() => rpc.close());
  return {
    get inWorker() {
      return failure === null;
    },
    readsTerms: readTerms,
    get failure() {
      return failure;
    },
    fit: (progress) => {
      onProgress = progress;
      return (fit ??= share().catch(fallBack(here.fit)).finally(fitted));
    },
    terms: () => table,
    // Not after a failure: the worker that read the terms is gone, and a new one would know none.
    nameBeside: (topics) =>
      readTerms && keepTerms && failure === null
        ? rpc.request<TopicTerms[]>((id) => ({ type: 'name', id, topics })).catch(fallBack(async () => sampledTopicTerms(await table, topics)))
        : null,
    close: () => rpc.close(),
  };
}
