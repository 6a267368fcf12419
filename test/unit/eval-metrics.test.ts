import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, chanceAgreement, knnLabelAgreement, normalizedMutualInformation } from '../../scripts/lib/eval/agreement';
import { exactEuclideanKnn, type KnnGraph } from '../../src/math/knn/knn';
import { continuity, neighbourhoodPreservation, trustworthiness } from '../../scripts/lib/eval/quality';
import { tfidfVectors, tfidfWords } from '../../src/math/text/tfidf';
import { STOPWORDS } from '../../src/math/text/stopwords';
import { readArxiv } from '../../scripts/lib/arxiv';
import { paperText } from '../../src/corpus/text';

/** A neighbour graph from rows of indices (distances do not matter to label agreement). */
function graph(rows: number[][]): KnnGraph {
  const k = rows[0]!.length;
  return { k, indices: Int32Array.from(rows.flat()), distances: new Float32Array(rows.length * k) };
}

describe('kNN label agreement', () => {
  it('is the share of each point’s neighbours with its label, averaged overall and per label', () => {
    // Labels 0 0 1 1; nearest other point: 1, 0, 3, 0.
    const result = knnLabelAgreement(graph([[0, 1], [1, 0], [2, 3], [3, 0]]), [0, 0, 1, 1], 1);
    expect(result.overall).toBe(0.75);
    expect(result.perLabel).toEqual([1, 0.5]);
  });

  it('leaves each point out of its own neighbours wherever the graph lists it', () => {
    // Point 0 is listed second (a tie at distance 0): its neighbours are 1 and 2.
    const result = knnLabelAgreement(graph([[1, 0, 2], [1, 0, 2], [2, 1, 0]]), [0, 0, 1], 2);
    expect(result.perLabel).toEqual([0.5, 0]);
  });

  it('refuses a graph with too few neighbours', () => {
    expect(() => knnLabelAgreement(graph([[0, 1], [1, 0]]), [0, 1], 2)).toThrow(/fewer than 2/);
  });

  it('has a chance level equal to the odds that two distinct points share a label', () => {
    expect(chanceAgreement([0, 0, 1, 1])).toBeCloseTo(1 / 3, 12);
    expect(chanceAgreement([0, 0, 0, 0])).toBe(1);
  });
});

describe('partition agreement (NMI, adjusted Rand)', () => {
  const truth = [0, 0, 0, 1, 1, 1];
  const found = [0, 0, 1, 1, 2, 2];

  it('is 1 for the same partition under other names, noise (−1) included', () => {
    expect(normalizedMutualInformation([0, 0, 1, 1, 2], [7, 7, -1, -1, 3])).toBeCloseTo(1, 12);
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [7, 7, -1, -1, 3])).toBeCloseTo(1, 12);
  });

  it('matches values worked out by hand', () => {
    // MI = (2/3) ln 2; H = ln 2 and ln 3; arithmetic normalisation.
    expect(normalizedMutualInformation(truth, found)).toBeCloseTo(((2 / 3) * Math.log(2)) / ((Math.log(2) + Math.log(3)) / 2), 12);
    // Σ C(n_ij, 2) = 2, rows 6, columns 3, C(6, 2) = 15: (2 − 1.2) / (4.5 − 1.2).
    expect(adjustedRandIndex(truth, found)).toBeCloseTo(0.8 / 3.3, 12);
  });

  it('gives 0 mutual information and a negative Rand index for crossed partitions', () => {
    expect(normalizedMutualInformation([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 12);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });

  it('is symmetric', () => {
    expect(normalizedMutualInformation(found, truth)).toBeCloseTo(normalizedMutualInformation(truth, found), 12);
    expect(adjustedRandIndex(found, truth)).toBeCloseTo(adjustedRandIndex(truth, found), 12);
  });
});

describe('trustworthiness and continuity', () => {
  // Five points on a line, and a map that moves point 0 to the far end (no ties in either).
  const high = Float32Array.from([0, 1, 3, 7, 15]);
  const low = Float32Array.from([12, 0, 1, 3, 7]);

  it('match values worked out by hand at k = 1', () => {
    // Map neighbours that are not true ones: 0→4 (true rank 4), 1→2 (true rank 2): penalty 3 + 1.
    // True neighbours the map lost: 0→1 (map rank 4), 1→0 (map rank 4): penalty 3 + 3. Scale 2 / (5·1·6).
    expect(trustworthiness(high, 1, low, 1, 5, 1)).toBeCloseTo(1 - (2 / 30) * 4, 6);
    expect(continuity(high, 1, low, 1, 5, 1)).toBeCloseTo(1 - (2 / 30) * 6, 6);
  });

  it('are 1 for a map that keeps every neighbourhood', () => {
    expect(neighbourhoodPreservation(high, 1, Float32Array.from([0, 0, 1, 0, 3, 0, 7, 0, 15, 0]), 2, 5, 2)).toEqual({ trustworthiness: 1, continuity: 1 });
  });

  it('swap roles: continuity of a map is the trustworthiness of the vectors seen from the map', () => {
    expect(continuity(high, 1, low, 1, 5, 2)).toBeCloseTo(trustworthiness(low, 1, high, 1, 5, 2), 12);
  });
});

describe('exact Euclidean kNN', () => {
  it('lists each point first, then its nearest others', () => {
    const knn = exactEuclideanKnn(Float32Array.from([0, 0, 1, 0, 3, 0, 7, 0]), 4, 2, 3);
    expect(Array.from(knn.indices)).toEqual([0, 1, 2, 1, 0, 2, 2, 1, 0, 3, 2, 1]);
    expect(Array.from(knn.distances.slice(9))).toEqual([0, 4, 6]);
  });
});

describe('TF-IDF vectors', () => {
  it('drops stop words and folds case and accents', () => {
    expect(tfidfWords('The Café of 3 graphs, and GRAPHS!')).toEqual(['cafe', 'graphs', 'graphs']);
  });

  it('reads a plain-ASCII text (its fast path) as the Unicode rules do, on 20,000 real abstracts and awkward texts', () => {
    /** The rules for any text: fold accents, lower case, runs of letters and digits, with a letter, not a stop word. */
    const unicodeWords = (text: string) =>
      (text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1 && /\p{L}/u.test(w) && !STOPWORDS.has(w));
    const awkward = ['', 'A', '3D 2x x2 42 a1b2_c3', 'WE THE THE Of', 'tab\there\nnew-line  $\\alpha$ {O}(n^2) ~ x@y.z', 'SELF-attention_is ALL you need!!'];
    const abstracts = readArxiv().filter((_, i) => i % 9 === 0).slice(0, 20_000).map((p) => paperText(p));
    expect(abstracts.filter((t) => /^[\x00-\x7f]*$/.test(t)).length).toBeGreaterThan(15_000);
    for (const text of [...awkward, ...abstracts]) expect(tfidfWords(text)).toEqual(unicodeWords(text));
  });

  it('gives unit rows whose dot products are cosines: same words 1, no shared word 0', () => {
    const texts = ['graph neural networks', 'graph neural networks', 'galaxy redshift survey', 'galaxy redshift survey'];
    const { data, dims } = tfidfVectors(texts);
    const dot = (a: number, b: number) => Array.from({ length: dims }, (_, c) => data[a * dims + c]! * data[b * dims + c]!).reduce((s, x) => s + x);
    expect(dot(0, 0)).toBeCloseTo(1, 6);
    expect(dot(0, 1)).toBeCloseTo(1, 6);
    expect(dot(0, 2)).toBe(0);
  });

  it('weighs a rarer word more, and leaves out words in too few papers', () => {
    const { data, dims, terms } = tfidfVectors(['graph kernels', 'graph networks', 'graph kernels'], { minDocFreq: 1, maxTerms: 100 });
    const weight = (row: number, term: string) => data[row * dims + terms.indexOf(term)]!;
    expect(weight(0, 'kernels')).toBeGreaterThan(weight(0, 'graph'));
    expect(tfidfVectors(['graph kernels', 'graph networks', 'graph kernels'], { minDocFreq: 2, maxTerms: 100 }).terms).toEqual(['graph', 'kernels']);
    expect(tfidfVectors(['graph kernels', 'graph networks', 'graph kernels'], { minDocFreq: 1, maxTerms: 1 }).terms).toEqual(['graph']);
  });
});
