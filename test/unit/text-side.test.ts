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
import { termTable, termsOfTable } from '../../src/math/topics/term-table';
import { DEFAULT_PIPELINE_PARAMS } from '../../src/pipeline/types';
import { runPipeline } from '../../workers/pipeline';
import { corpusWords, textSideInThisThread, type OpenTextSide } from '../../workers/text-side';
import type { WorkerMessage } from '../../workers/messages';

const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;
const texts = corpus.papers.map(paperText);

describe('the term table', () => {
  it('gives every paper the terms paperTerms reads, in order, for the shipped corpus and awkward texts', () => {
    const all = [...texts, '', '.', '3.14 2.71', 'Ångström naïve 東京 terms. Title-case Words Here', 'A title. '];
    const termsOf = termsOfTable(termTable(all));
    all.forEach((text, i) => expect(termsOf(i)).toEqual(paperTerms(text)));
  });

  it('stores each distinct term once', () => {
    const table = termTable(['graph neural networks', 'graph neural networks']);
    expect(new TextDecoder().decode(table.text).split('\n').length).toBe(new Set([...paperTerms('graph neural networks').title]).size);
    expect(table.ids.length).toBe(2 * paperTerms('graph neural networks').title.length);
  });

  it('reads a corpus with no terms at all', () => {
    const termsOf = termsOfTable(termTable(['', '42']));
    expect([termsOf(0), termsOf(1)]).toEqual([{ title: [], body: [] }, { title: [], body: [] }]);
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

describe('a run with the text side apart', () => {
  /** What the text worker does, in this thread: everything at once, the terms through a table. */
  const apart: OpenTextSide = (all, options) => {
    const words = corpusWords(all, options);
    const termsOf = termsOfTable(termTable(all));
    return { inWorker: true, failure: null, fit: async () => words, terms: async () => termsOf, close: () => undefined };
  };
  const request = {
    type: 'run' as const,
    texts,
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
    const one = await runPipeline(request, () => undefined, textSideInThisThread);
    const two = await runPipeline(request, (m) => m.type === 'stage-note' && notes.push(m), apart);
    expect(two.embeddings).toEqual(one.embeddings);
    expect(two.coords).toEqual(one.coords);
    expect(two.levels).toEqual(one.levels);
    expect(two.corpusFit).toEqual(one.corpusFit);
    expect(notes.map((m) => m.type === 'stage-note' && m.stage)).toEqual(['fit', 'topics']);
  }, 120_000);
});
