import { describe, expect, it } from 'vitest';
import { buildKeywordIndex, keywordSearch, queryWords } from '../../src/search/keyword';
import { cosineRank, nearestOnMap, nearestPapers } from '../../src/search/semantic';
import { topK } from '../../src/search/rank';
import { mulberry32 } from '../../src/math/random';

const papers = [
  { title: 'Diffusion models for image synthesis', abstract: 'We study diffusion.' },
  { title: 'Graph neural networks', abstract: 'Message passing, and a note on diffusion on graphs.' },
  { title: 'Pruning', abstract: 'Sparse networks. Nothing else.' },
  { title: 'Café résumé', abstract: 'Accents everywhere.' },
];
const index = buildKeywordIndex(papers);

describe('keyword search', () => {
  it('ranks title matches above abstract-only matches', () => {
    expect(keywordSearch(index, 'diffusion').map((h) => h.index)).toEqual([0, 1]);
  });
  it('requires every word, and matches word starts', () => {
    expect(keywordSearch(index, 'diffus graph').map((h) => h.index)).toEqual([1]);
    expect(keywordSearch(index, 'fusion')).toEqual([]);
  });
  it('ignores case, accents, punctuation and one-letter words', () => {
    expect(queryWords('  Café, a RÉSUMÉ!! ')).toEqual(['cafe', 'resume']);
    expect(keywordSearch(index, 'CAFE resume').map((h) => h.index)).toEqual([3]);
    expect(keywordSearch(index, '   ')).toEqual([]);
  });
  it('treats regular-expression characters as text', () => {
    expect(keywordSearch(index, 'networks.*')).toHaveLength(2);
    expect(() => keywordSearch(index, '(((')).not.toThrow();
  });
});

describe('semantic ranking', () => {
  const embeddings = Float32Array.from([1, 0, 0.8, 0.6, 0, 1]);
  it('ranks by cosine similarity to the query', () => {
    expect(cosineRank(embeddings, 2, Float32Array.from([2, 0]), 3).map((h) => h.index)).toEqual([0, 1, 2]);
    expect(cosineRank(embeddings, 2, Float32Array.from([0, 1]), 1)[0]).toEqual({ index: 2, score: 1 });
  });
  it('returns nothing for an empty (all-zero) query vector', () => {
    expect(cosineRank(embeddings, 2, new Float32Array(2), 3)).toEqual([]);
  });
  it('lists a paper’s nearest neighbours without the paper itself', () => {
    expect(nearestPapers(embeddings, 2, 0, 2).map((h) => h.index)).toEqual([1, 2]);
  });
});

describe('top k', () => {
  /** The reference: every index sorted by score (best first, ties to the lower index), NaN left out. */
  const bySort = (scores: ArrayLike<number>, k: number) =>
    Array.from({ length: scores.length }, (_, i) => i)
      .filter((i) => !Number.isNaN(scores[i]))
      .sort((a, b) => scores[b]! - scores[a]! || a - b)
      .slice(0, k);

  it('equals a full sort, ties included, for every k', () => {
    const random = mulberry32(3);
    for (const n of [0, 1, 2, 7, 100, 1000]) {
      // Few distinct values, so ties are common; some NaN.
      const scores = Float64Array.from({ length: n }, () => (random() < 0.05 ? NaN : Math.floor(random() * 20)));
      for (const k of [0, 1, 3, 10, n, n + 5]) expect(topK(scores, k), `n=${n} k=${k}`).toEqual(bySort(scores, k));
    }
  });
});

describe('nearest on the map', () => {
  it('lists the closest points by distance, without the paper itself, and says how far they are', () => {
    const random = mulberry32(9);
    const n = 500;
    const coords = Float32Array.from({ length: 2 * n }, () => random() * 10);
    const hits = nearestOnMap(coords, 17, 8);
    const distance = (j: number) => Math.hypot(coords[2 * j]! - coords[34]!, coords[2 * j + 1]! - coords[35]!);
    const expected = Array.from({ length: n }, (_, j) => j).filter((j) => j !== 17).sort((a, b) => distance(a) - distance(b)).slice(0, 8);
    expect(hits.map((h) => h.index)).toEqual(expected);
    for (const h of hits) expect(-h.score).toBeCloseTo(distance(h.index), 5);
  });
});
