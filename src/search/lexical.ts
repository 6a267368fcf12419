/**
 * The lexical half of search by meaning: TF-IDF cosine of a query against every paper through an
 * inverted index. A static model compresses rare words (a method's name, a dataset, "Navier-Stokes")
 * into a few hundred dimensions, and those words are exactly what a query shares with the paper it
 * looks for; measured on held-out arXiv papers, adding this score to the vector cosine finds a
 * title's own abstract more often than either alone (README, "How good it is").
 */
import { tfidfWords } from '../math/text/tfidf';

export interface LexicalIndex {
  terms: Map<string, number>;
  idf: Float32Array;
  /** Papers holding term t are post[start[t] … start[t + 1]), with their unit-row TF-IDF weights. */
  start: Int32Array;
  post: Int32Array;
  weight: Float32Array;
  n: number;
}

/** Indexes every word of every text (sublinear TF × smoothed IDF, rows of unit length). */
export function buildLexicalIndex(texts: string[]): LexicalIndex {
  const n = texts.length;
  const terms = new Map<string, number>();
  const docFreq: number[] = [];
  const rows = texts.map((text) => {
    const counts = new Map<number, number>();
    for (const word of tfidfWords(text)) {
      let t = terms.get(word);
      if (t === undefined) {
        t = terms.size;
        terms.set(word, t);
        docFreq.push(0);
      }
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    for (const t of counts.keys()) docFreq[t]! += 1;
    return counts;
  });
  const idf = Float32Array.from(docFreq, (df) => Math.log((n + 1) / (df + 1)) + 1);
  const start = new Int32Array(terms.size + 1);
  for (const counts of rows) for (const t of counts.keys()) start[t + 1]! += 1;
  for (let t = 0; t < terms.size; t++) start[t + 1]! += start[t]!;
  const fill = start.slice(0, terms.size);
  const post = new Int32Array(start[terms.size]!);
  const weight = new Float32Array(post.length);
  rows.forEach((counts, i) => {
    let norm = 0;
    for (const [t, c] of counts) norm += ((1 + Math.log(c)) * idf[t]!) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const [t, c] of counts) {
      post[fill[t]!] = i;
      weight[fill[t]!++] = (1 + Math.log(c)) * idf[t]! * scale;
    }
  });
  return { terms, idf, start, post, weight, n };
}

/** Adds `scale` × the TF-IDF cosine of the query with each paper to `scores`; false when no query word is indexed. */
export function addLexicalScores(index: LexicalIndex, query: string, scores: Float32Array, scale: number): boolean {
  const counts = new Map<number, number>();
  for (const word of tfidfWords(query)) {
    const t = index.terms.get(word);
    if (t !== undefined) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  if (counts.size === 0) return false;
  let norm = 0;
  for (const [t, c] of counts) norm += ((1 + Math.log(c)) * index.idf[t]!) ** 2;
  const inv = 1 / Math.sqrt(norm);
  for (const [t, c] of counts) {
    const q = (1 + Math.log(c)) * index.idf[t]! * inv * scale;
    for (let p = index.start[t]!; p < index.start[t + 1]!; p++) scores[index.post[p]!]! += q * index.weight[p]!;
  }
  return true;
}
