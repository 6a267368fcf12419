/**
 * The pipeline's work that reads only the texts, never the model's vectors: the corpus fit's latent
 * space with every paper's corpus part (src/model/corpus-fit.ts), and every paper's terms for naming
 * topics (src/math/topics/term-table.ts). In the browser it runs in a second worker, on the second
 * core, while the pipeline worker embeds, searches neighbours and lays out the map; in Node (eval,
 * build-map, bench) and wherever that worker cannot start, it runs in the caller's thread when asked.
 * The same functions either way, so the same map.
 */
import { corpusParts, fitCorpusSpace, type CorpusFitOptions, type CorpusSpace } from '../src/model/corpus-fit';
import type { PaperTerms } from '../src/math/topics/terms';
import { termsReadOnce } from '../src/math/topics/topics';
import { termsOfTable, type TermTable } from '../src/math/topics/term-table';
import { WorkerRpc } from '../src/worker-rpc';
import type { TextMessage, TextRequest } from './messages';

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
  /** The fit's words side; null when the corpus is too small to fit or no fit was asked for. */
  fit(): Promise<CorpusWords | null>;
  /** Paper i's terms, as paperTerms reads them. */
  terms(): Promise<(index: number) => PaperTerms>;
  /** Ends any work still running (the run is over or was cancelled). */
  close(): void;
}

/** Starts the text side of a run over `texts`; `fit` is null when the map takes no corpus fit; `crash` stages a crash of its worker (?simulate=text-worker-crash). */
export type OpenTextSide = (texts: string[], fit: CorpusFitOptions | null, crash?: boolean) => TextSide;

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
    fit: async () => (words === undefined ? (words = corpusWords(texts, options)) : words),
    terms: async () => termsOf,
    close: () => undefined,
  };
};

/**
 * In a worker of its own (workers/text.worker.ts), which starts at once and reads every paper's terms
 * after the fit. Should that worker fail to start or crash, the work is done in this thread instead:
 * slower, the same result.
 */
export const textSideInWorker: OpenTextSide = (texts, options, crash = false) => {
  const rpc = new WorkerRpc<TextRequest, TextMessage>(
    () => new Worker(new URL('./text.worker.ts', import.meta.url), { type: 'module', name: 'papermap-text' }),
    {
      answer: (m) => (m.type === 'error' ? { id: m.id, error: new Error(m.message) } : { id: m.id, value: m.type === 'fit' ? m.words : m.table }),
      failure: (f) => new Error(f.kind === 'crashed' ? `the text worker crashed: ${f.detail ?? 'no details'}` : 'a message from the text worker could not be read'),
    },
  );
  const here = textSideInThisThread(texts, options);
  let failure: string | null = null;
  const fallBack = <T>(work: () => Promise<T>) => (error: unknown) => {
    failure ??= error instanceof Error ? error.message : String(error);
    return work();
  };
  // The worker answers in order: the fit first (the embedding waits for it), then the terms (naming does, after the layout).
  const fit = rpc.request<CorpusWords | null>((id) => ({ type: 'fit', id, texts, options, crash })).catch(fallBack(here.fit));
  const table = rpc.request<TermTable>((id) => ({ type: 'terms', id })).then(termsOfTable, fallBack(here.terms));
  // These promises never reject: a failure already fell back to this thread.
  void table.then(() => rpc.close());
  return {
    get inWorker() {
      return failure === null;
    },
    get failure() {
      return failure;
    },
    fit: () => fit,
    terms: () => table,
    close: () => rpc.close(),
  };
};
