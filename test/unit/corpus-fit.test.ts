import { describe, expect, it } from 'vitest';
import { blendQuery, blendWithFit, fitCorpus, DEFAULT_CORPUS_FIT } from '../../src/model/corpus-fit';
import { addLexicalScores, buildLexicalIndex } from '../../src/search/lexical';
import { meaningRank, LEXICAL_WEIGHT } from '../../src/search/semantic';
import { exactCosineKnn } from '../../src/math/knn/knn';
import { tfidfRows, tfidfVectors } from '../../src/math/text/tfidf';
import { sparseCosineDistance, sparseCosineKnn } from '../../scripts/lib/sparse-knn';
import { mulberry32 } from '../../src/math/random';

// Two fields with their own words, and words both share: enough for a latent space to find.
const astro = ['galaxy', 'telescope', 'redshift', 'stellar', 'nebula', 'quasar', 'photometry'];
const bio = ['protein', 'enzyme', 'membrane', 'cellular', 'genome', 'ribosome', 'mutation'];
const shared = ['measurement', 'analysis', 'results', 'observed', 'method', 'sample'];
function corpus(n: number, seed = 1): { texts: string[]; field: number[] } {
  const random = mulberry32(seed);
  const pick = (words: string[], k: number) => Array.from({ length: k }, () => words[Math.floor(random() * words.length)]!);
  const field = Array.from({ length: n }, (_, i) => i % 2);
  const texts = field.map((f) => [...pick(f === 0 ? astro : bio, 5), ...pick(shared, 4)].join(' '));
  return { texts, field };
}
const unit = (v: Float32Array, dims: number, i: number) => Math.hypot(...v.subarray(i * dims, (i + 1) * dims));
/** Unit "model vectors" of n papers in `dims` dimensions: row i points along axis i mod dims. */
const axes = (n: number, dims: number) => {
  const vectors = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) vectors[i * dims + (i % dims)] = 1;
  return { vectors, dims };
};
/** No model at all: one empty column, so the blend is the corpus part alone. */
const none = (n: number) => ({ vectors: new Float32Array(n), dims: 1 });

describe('the fit to the corpus', () => {
  it('needs enough papers, and is deterministic', () => {
    expect(fitCorpus(corpus(DEFAULT_CORPUS_FIT.minPapers - 1).texts, none(DEFAULT_CORPUS_FIT.minPapers - 1))).toBeNull();
    const { texts } = corpus(120);
    const a = fitCorpus(texts, none(120))!;
    const b = fitCorpus(texts, none(120))!;
    expect(a.loadings).toEqual(b.loadings);
    expect(a.terms).toEqual(b.terms);
    expect(a.loadings.length).toBe(a.terms.length * a.dims);
  });

  it('separates what the corpus separates: a paper\'s nearest papers share its field', () => {
    const { texts, field } = corpus(200);
    const fit = fitCorpus(texts, none(200), { ...DEFAULT_CORPUS_FIT, share: 1 })!;
    // No general vectors at all (one zero column): the corpus's part alone.
    const v = blendWithFit(fit, new Float32Array(200), 1, texts);
    const knn = exactCosineKnn(v, 200, fit.dims + 1, 6);
    let same = 0;
    for (let i = 0; i < 200; i++) for (let r = 1; r < 6; r++) same += field[knn.indices[i * 6 + r]!] === field[i] ? 1 : 0;
    expect(same / (200 * 5)).toBeGreaterThan(0.95);
  });

  it('blends unit vectors: the model\'s part centred, the corpus part as long as the weight says', () => {
    const { texts } = corpus(100);
    const model = axes(100, 4);
    const fit = fitCorpus(texts, model, { ...DEFAULT_CORPUS_FIT, share: 0.36 })!;
    expect(fit.weight).toBeCloseTo(0.6);
    for (const x of fit.centre) expect(x).toBeCloseTo(0.25, 6);
    const v = blendWithFit(fit, model.vectors, 4, texts);
    const dims = 4 + fit.dims;
    for (let i = 0; i < 100; i++) {
      expect(unit(v, dims, i)).toBeCloseTo(1, 5);
      expect(Math.hypot(...v.subarray(i * dims, i * dims + 4))).toBeCloseTo(0.8, 5);
      // Centred: row i's own axis positive, the others negative.
      expect(v[i * dims + (i % 4)]).toBeGreaterThan(0);
      expect(v[i * dims + ((i + 1) % 4)]).toBeLessThan(0);
    }
    // A paper with none of the corpus's words keeps its (centred) model vector alone; one the model knows nothing of keeps the corpus part.
    const lone = blendWithFit(fit, Float32Array.from([0, 1, 0, 0]), 4, ['zzz qqq']);
    expect(Math.hypot(...lone.subarray(0, 4))).toBeCloseTo(1, 5);
    const unknown = blendWithFit(fit, new Float32Array(4), 4, [texts[0]!]);
    expect(Array.from(unknown.subarray(0, 4)).every((x) => x === 0)).toBe(true);
    expect(unit(unknown, dims, 0)).toBeCloseTo(1, 5);
  });

  it('puts a query in the same space as the papers: blending a paper\'s text as a query gives its own vector', () => {
    const { texts } = corpus(80);
    const general = Float32Array.from({ length: 80 * 3 }, (_, i) => Math.cos(i));
    for (let i = 0; i < 80; i++) {
      const row = general.subarray(i * 3, (i + 1) * 3);
      const norm = Math.hypot(...row);
      for (let j = 0; j < 3; j++) row[j]! /= norm;
    }
    const fit = fitCorpus(texts, { vectors: general, dims: 3 })!;
    const papers = blendWithFit(fit, general, 3, texts);
    const dims = 3 + fit.dims;
    for (const i of [0, 17, 79]) {
      const q = blendQuery(fit, general.subarray(i * 3, (i + 1) * 3), texts[i]!);
      Array.from(q).forEach((x, j) => expect(x).toBeCloseTo(papers[i * dims + j]!, 5));
    }
  });
});

describe('a query in the fitted space', () => {
  it('leaves out the dimensions the model says a query cannot fill', () => {
    const { texts } = corpus(60);
    const model = axes(60, 4);
    const fit = fitCorpus(texts, model, DEFAULT_CORPUS_FIT, 2)!;
    const q = blendQuery(fit, Float32Array.from([0.5, 0.5, 0.5, 0.5]), texts[0]!);
    expect(Array.from(q.subarray(0, 2))).toEqual([0, 0]);
    expect(q.subarray(2).some((x) => x !== 0)).toBe(true);
  });
});

describe('search by meaning, words beside vectors', () => {
  it('scores TF-IDF cosine through the inverted index, as the dense vectors do', () => {
    const texts = ['spectral clustering of graphs', 'graphs and spectra', 'protein folding dynamics', 'spectral graph theory'];
    const index = buildLexicalIndex(texts);
    const scores = new Float32Array(4);
    expect(addLexicalScores(index, 'spectral graph', scores, 1)).toBe(true);
    const all = tfidfVectors([...texts, 'spectral graph'], { minDocFreq: 1, maxTerms: 1000 });
    // Same words and weights, except that the dense version also counts the query as a document.
    expect(scores[2]).toBe(0);
    expect(scores[3]).toBeGreaterThan(scores[1]!);
    expect(all.dims).toBeGreaterThan(0);
    expect(addLexicalScores(index, 'zebra', new Float32Array(4), 1)).toBe(false);
  });

  it('ranks by the mean of the two cosines; without an index, by the vectors alone', () => {
    const embeddings = Float32Array.from([1, 0, 0, 1, Math.SQRT1_2, Math.SQRT1_2]);
    const texts = ['alpha beta', 'gamma delta', 'alpha gamma'];
    const index = buildLexicalIndex(texts);
    const query = Float32Array.from([0, 1]);
    expect(meaningRank(embeddings, 2, query, 'alpha', null, 3).map((h) => h.index)).toEqual([1, 2, 0]);
    const hybrid = meaningRank(embeddings, 2, query, 'alpha', index, 3);
    expect(hybrid[0]!.index).toBe(2);
    for (const h of hybrid) expect(h.score).toBeLessThanOrEqual(1);
    expect(LEXICAL_WEIGHT).toBeGreaterThan(0);
  });
});

describe('sparse kNN (the evaluation\'s TF-IDF baseline)', () => {
  it('finds the same neighbours as the dense exact search', () => {
    const { texts } = corpus(150, 3);
    const rows = tfidfRows(texts, { minDocFreq: 1, maxTerms: 100 });
    const dense = tfidfVectors(texts, { minDocFreq: 1, maxTerms: 100 });
    const a = sparseCosineKnn(rows, 8);
    const b = exactCosineKnn(dense.data, 150, dense.dims, 8);
    for (let i = 0; i < 150; i++) {
      expect(a.indices[i * 8]).toBe(i);
      for (let r = 1; r < 8; r++) expect(a.distances[i * 8 + r]).toBeCloseTo(b.distances[i * 8 + r]!, 5);
    }
    const distance = sparseCosineDistance(rows);
    expect(distance(3, 3)).toBeCloseTo(0, 6);
  });
});
