import { describe, expect, it } from 'vitest';
import { buildKeywordIndex, keywordSearch, queryWords } from '../../src/search/keyword';
import { cosineRank, nearestPapers } from '../../src/search/semantic';

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
