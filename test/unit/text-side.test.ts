/**
 * The text side of a run (workers/text-side.ts): what the second worker computes (the corpus fit's
 * words side, every paper's terms as a table) is what the pipeline computes in one thread, so a map
 * built with the second worker is the map built without it.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { paperText } from '../../src/corpus/text';
import type { Corpus } from '../../src/corpus/types';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { blendParts, blendWithFit, corpusParts, fitCorpus, fitCorpusSpace, withModel, DEFAULT_CORPUS_FIT } from '../../src/model/corpus-fit';
import { paperTerms } from '../../src/math/topics/terms';
import { decodeTermTable, numberTerms, selectPapers, termTable, type NumberedTerms } from '../../src/math/topics/term-table';
import { sampledTopicTerms } from '../../src/math/topics/labels';
import { mulberry32 } from '../../src/math/random';
import { DEFAULT_PIPELINE_PARAMS } from '../../src/pipeline/types';
import { runPipeline } from '../../workers/pipeline';
import { corpusWords, shareFrom, textSideInThisThread, textSideInWorker, type OpenTextSide, type TextSide } from '../../workers/text-side';
import type { TextMessage, TextRequest, WorkerMessage } from '../../workers/messages';
import { numberTexts, termTableCopy } from '../../src/math/topics/term-table';
import { termsReadOnce, topicLevels, topicLevelsBeside, type TopicLevel } from '../../src/math/topics/topics';
import { unpackTexts } from '../../src/pipeline/packed-texts';
import { tfidfMap } from '../support/tfidf-map';

const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;
const texts = corpus.papers.map(paperText);

/** Paper i's terms, read back from their numbers. */
const paperAt = ({ terms, ids, start }: NumberedTerms, i: number) => ({
  title: Array.from(ids.subarray(start[2 * i]!, start[2 * i + 1]!), (id) => terms[id]!),
  body: Array.from(ids.subarray(start[2 * i + 1]!, start[2 * i + 2]!), (id) => terms[id]!),
});

describe('the term table', () => {
  it('gives every paper the terms paperTerms reads, in order, for the shipped corpus and awkward texts', () => {
    const all = [...texts, '', '.', '3.14 2.71', 'Ångström naïve 東京 terms. Title-case Words Here', 'A title. '];
    const table = decodeTermTable(termTable(all));
    all.forEach((text, i) => expect(paperAt(table, i)).toEqual(paperTerms(text)));
    const some = [5, 0, all.length - 1, 5];
    const selected = selectPapers(table, some);
    some.forEach((i, j) => expect(paperAt(selected, j)).toEqual(paperTerms(all[i]!)));
  });

  it('names topics the same from numbered terms as from each paper\'s terms read on demand', () => {
    const classes = Int32Array.from(texts, (_, i) => (i % 7 === 6 ? -1 : i % 5));
    const numbered = decodeTermTable(termTable(texts));
    for (const cap of [2000, 20]) expect(sampledTopicTerms(numbered, classes, 5, cap)).toEqual(sampledTopicTerms((i) => paperTerms(texts[i]!), classes, 5, cap));
    expect(paperAt(numberTerms([['a b', 'c']]), 0)).toEqual({ title: [], body: ['a b', 'c'] });
  });

  it('stores each distinct term once', () => {
    const table = termTable(['graph neural networks', 'graph neural networks']);
    expect(new TextDecoder().decode(table.text).split('\n').length).toBe(new Set([...paperTerms('graph neural networks').title]).size);
    expect(table.ids.length).toBe(2 * paperTerms('graph neural networks').title.length);
  });

  it('reads a corpus with no terms at all', () => {
    const table = decodeTermTable(termTable(['', '42']));
    expect([paperAt(table, 0), paperAt(table, 1)]).toEqual([{ title: [], body: [] }, { title: [], body: [] }]);
  });
});

describe('the corpus fit in two parts', () => {
  it('blends the same vectors whether the words side is computed apart (another worker) or with the model', () => {
    const dims = 8;
    const vectors = Float32Array.from({ length: texts.length * dims }, (_, i) => Math.sin(i * 0.37));
    const fit = fitCorpus(texts, { vectors, dims })!;
    const space = fitCorpusSpace(texts)!;
    const apart = blendParts(withModel(space, { vectors, dims }, texts.length, 0), vectors, dims, corpusParts(space, texts), texts.length);
    expect(apart).toEqual(blendWithFit(fit, vectors, dims, texts));
  });

  it('has no words side for a corpus too small to fit, or when no fit is asked for', () => {
    expect(corpusWords(texts.slice(0, DEFAULT_CORPUS_FIT.minPapers - 1), DEFAULT_CORPUS_FIT)).toBeNull();
    expect(corpusWords(texts, null)).toBeNull();
  });
});

describe('sharing the corpus parts', () => {
  it('gives the caller half of what the worker has not reached, from the end, in whole chunks', () => {
    expect(shareFrom(0, 100_000, 1000)).toBe(50_000);
    expect(shareFrom(30_000, 100_000, 1000)).toBe(65_000);
    expect(shareFrom(99_000, 100_000, 1000)).toBe(100_000);
    expect(shareFrom(100_000, 100_000, 1000)).toBe(100_000);
    expect(shareFrom(0, 336, 1000)).toBe(336);
  });

  it('projects the same parts in pieces as at once', () => {
    const space = fitCorpusSpace(texts)!;
    const whole = corpusParts(space, texts);
    const pieces = new Float32Array(whole.length);
    for (const [from, to] of [[0, 100], [100, 101], [101, texts.length]] as const) pieces.set(corpusParts(space, texts, from, to), from * space.dims);
    expect(pieces).toEqual(whole);
    // Written into one array of all the rows, as the workers do.
    const into = new Float32Array(whole.length);
    for (const [from, to] of [[0, 100], [100, 101], [101, texts.length]] as const) corpusParts(space, texts, from, to, into);
    expect(into).toEqual(whole);
  });

  it('blends in place, in a buffer the embedder left room in, to the same values as into a new array', () => {
    const space = fitCorpusSpace(texts)!;
    const n = texts.length;
    const dims = 8;
    const random = mulberry32(3);
    const roomy = new Float32Array(new ArrayBuffer(n * (dims + space.dims) * 4), 0, n * dims);
    for (let i = 0; i < roomy.length; i++) roomy[i] = random() - 0.5;
    roomy.fill(0, 5 * dims, 6 * dims); // a paper the model knew nothing of
    const general = roomy.slice();
    const fit = withModel(space, { vectors: general, dims }, n, 0);
    const parts = corpusParts(space, texts);
    const apart = blendParts(fit, general, dims, parts, n);
    const inPlace = blendParts(fit, roomy, dims, parts, n, true);
    expect(inPlace.buffer).toBe(roomy.buffer);
    expect(inPlace).toEqual(apart);
    expect(() => blendParts(fit, general, dims, parts, n, true)).toThrow(/no room/);
  });
});

describe('a run with the text side apart', () => {
  /** What the text worker does, in this thread: everything at once, the terms through a table. */
  const apart: OpenTextSide = (all, options) => {
    const words = corpusWords(all, options);
    const terms = decodeTermTable(termTable(all));
    return { inWorker: true, failure: null, readsTerms: true, fit: async () => words, terms: async () => terms, nameBeside: async (topics) => sampledTopicTerms(terms, topics), close: () => undefined };
  };
  // Enough papers for a second worker to be worth starting (smaller maps keep the text side in the pipeline worker).
  const many = Array.from({ length: 6 }, (_, copy) => texts.map((text) => `${text} Copy ${copy}.`)).flat();
  const request = {
    type: 'run' as const,
    texts: many,
    modelId: DEFAULT_MODEL_ID,
    modelsUrl: pathToFileURL(new URL('../../public/models/', import.meta.url).pathname).href,
    ortUrl: '',
    device: 'wasm' as const,
    params: DEFAULT_PIPELINE_PARAMS,
    simulate: null,
    resume: null,
  };

  it('builds the same map (vectors, positions, topics) as one thread, and says where the work was done', async () => {
    const notes: WorkerMessage[] = [];
    const one = await runPipeline(request, () => undefined, { openText: textSideInThisThread });
    const two = await runPipeline(request, (m) => m.type === 'stage-note' && notes.push(m), { openText: apart });
    expect(two.embeddings).toEqual(one.embeddings);
    expect(two.coords).toEqual(one.coords);
    expect(two.levels).toEqual(one.levels);
    expect(two.corpusFit).toEqual(one.corpusFit);
    expect(notes.map((m) => m.type === 'stage-note' && m.stage)).toEqual(['fit', 'topics']);
  }, 120_000);

  it('starts the text side once the model\'s config is read, before the rest of the model has loaded (the fit starts sooner)', async () => {
    const seen: string[] = [];
    const spy: OpenTextSide = (...args) => (seen.push('text side opened'), apart(...args));
    await runPipeline(request, (m) => m.type === 'stage-done' && seen.push(`${m.stage} done`), { openText: spy });
    expect(seen.slice(0, 3)).toEqual(['text side opened', 'model done', 'embed done']);
  }, 120_000);

  it('starts no second worker for a file that brought its positions (no fit, no layout to read terms behind), nor for a small map', async () => {
    const opened: unknown[] = [];
    const spy: OpenTextSide = (...args) => (opened.push(args), apart(...args));
    const coords = Float32Array.from({ length: 2 * many.length }, (_, i) => Math.cos(i));
    const result = await runPipeline({ ...request, given: { vectors: null, coords } }, () => undefined, { openText: spy });
    expect(result.levels.length).toBe(3);
    await runPipeline({ ...request, texts }, () => undefined, { openText: spy });
    expect(opened).toEqual([]);
  }, 120_000);
});

/**
 * A stand-in for workers/text.worker.ts in Node (which has no Web Worker): the same answers to the
 * same requests, asynchronously (no fit asked for here), and it can die naming.
 */
class FakeTextWorker extends EventTarget {
  static dieNaming = false;
  static named = 0;
  private texts: string[] = [];
  private read: NumberedTerms | null = null;
  postMessage(request: TextRequest): void {
    setTimeout(() => {
      const answer = (data: TextMessage) => this.dispatchEvent(new MessageEvent('message', { data }));
      if (request.type === 'fit') {
        this.texts = unpackTexts(request.texts);
        answer({ type: 'space', id: request.id, space: null });
      } else if (request.type === 'terms') {
        this.read = numberTexts(this.texts);
        answer({ type: 'terms', id: request.id, table: termTableCopy(this.read) });
      } else if (request.type === 'name') {
        if (FakeTextWorker.dieNaming) {
          this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'Uncaught Error: the worker died' }));
          return;
        }
        FakeTextWorker.named++;
        answer({ type: 'named', id: request.id, terms: sampledTopicTerms(this.read!, request.topics) });
      }
    }, 0);
  }
  terminate(): void {}
}

describe('naming beside the pipeline, in the worker that read the terms', () => {
  const coords = tfidfMap(texts);
  const oneThread = topicLevels(coords, texts.length, termsReadOnce(texts));
  /** The text side in a stand-in worker (which may die naming), and the levels named with it beside this thread. */
  const nameWithWorker = async (how: { nameBeside: boolean; dieNaming: boolean }, check: (side: TextSide, levels: TopicLevel[]) => void) => {
    const saved = (globalThis as { Worker?: unknown }).Worker;
    (globalThis as { Worker?: unknown }).Worker = FakeTextWorker;
    Object.assign(FakeTextWorker, { dieNaming: how.dieNaming, named: 0 });
    const side = textSideInWorker(texts, null, { readTerms: true, nameBeside: how.nameBeside, crash: false });
    try {
      check(side, await topicLevelsBeside(coords, texts.length, await side.terms(), (topics) => side.nameBeside(topics)));
    } finally {
      side.close();
      (globalThis as { Worker?: unknown }).Worker = saved;
    }
  };

  it('names the finest level there while this thread names the others: the levels one thread names', async () => {
    await nameWithWorker({ nameBeside: true, dieNaming: false }, (side, levels) => {
      expect(levels).toEqual(oneThread);
      expect(FakeTextWorker.named).toBe(1);
      expect(side.inWorker).toBe(true);
    });
  });

  it('names every level in this thread when the worker keeps no terms (big maps: memory before time)', async () => {
    await nameWithWorker({ nameBeside: false, dieNaming: false }, (side, levels) => {
      expect(levels).toEqual(oneThread);
      expect(FakeTextWorker.named).toBe(0);
      expect(side.nameBeside(levels[0]!.topics)).toBeNull();
    });
  });

  it('names the level in this thread when that worker dies naming, the same levels, and says why', async () => {
    await nameWithWorker({ nameBeside: true, dieNaming: true }, (side, levels) => {
      expect(levels).toEqual(oneThread);
      expect(side.inWorker).toBe(false);
      expect(side.failure).toMatch(/the text worker crashed: .*the worker died/);
      // A worker that failed is not asked again (a new one would know no terms).
      expect(side.nameBeside(levels[0]!.topics)).toBeNull();
    });
  });
});
