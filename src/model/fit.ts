/**
 * Fits the embedded model's token vectors, in two blocks that mean pooling adds up side by side:
 * - general: word co-occurrence in general English text (WordNet contexts and the corpus) within a
 *   window, as positive PMI, reduced to its top eigenvectors (PPMI-SVD, Levy & Goldberg 2015);
 * - corpus: LSA of the shipped corpus (truncated SVD of its token × paper TF-IDF matrix), so the
 *   map of that corpus keeps the distinctions its own papers make.
 * Each block is unit length per token, and the whole vector is scaled by the SIF weight a / (a + p(t))
 * (Arora et al. 2017) so that frequent tokens count for less in the pooled mean. Stop words,
 * punctuation, special tokens and tokens never seen get zero vectors: they pool to nothing.
 */
import { randomizedSVD, sparseRowsOperator, symmetricTopEigen } from '../math/svd';
import { STOPWORDS } from '../math/stopwords';
import { SPECIAL_TOKENS } from './vocab';

export interface FitOptions {
  generalDims: number;
  corpusDims: number;
  /** Length of the corpus block relative to the general block (both unit length before this). */
  corpusWeight: number;
  /** Tokens at most this far apart co-occur. */
  window: number;
  /** Context-distribution smoothing exponent of PPMI. */
  smoothing: number;
  /** SIF's a: a token with probability p is weighted a / (a + p). */
  sif: number;
  iterations: number;
  seed: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = { generalDims: 96, corpusDims: 32, corpusWeight: 0.5, window: 10, smoothing: 0.75, sif: 1e-3, iterations: 4, seed: 7 };

export function isContentToken(token: string): boolean {
  const bare = token.startsWith('##') ? token.slice(2) : token;
  if ((SPECIAL_TOKENS as readonly string[]).includes(token)) return false;
  if (!/[\p{L}\p{N}]/u.test(bare)) return false;
  return token.startsWith('##') || !STOPWORDS.has(bare);
}

type SparseRows = { cols: Int32Array; values: Float64Array }[];

/** Symmetric counts of distinct tokens at most `window` positions apart, one sparse row per token. */
export function cooccurrenceCounts(contexts: Int32Array[], vocabSize: number, window: number): SparseRows {
  // Every pair (a, b) becomes the key a·V + b; sorting the keys groups equal pairs and orders rows.
  let keys = new Float64Array(1 << 20);
  let n = 0;
  const push = (key: number) => {
    if (n === keys.length) {
      const grown = new Float64Array(keys.length * 2);
      grown.set(keys);
      keys = grown;
    }
    keys[n++] = key;
  };
  for (const ids of contexts) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < Math.min(ids.length, i + 1 + window); j++) {
        if (ids[i] === ids[j]) continue;
        push(ids[i]! * vocabSize + ids[j]!);
        push(ids[j]! * vocabSize + ids[i]!);
      }
    }
  }
  const sorted = keys.subarray(0, n).sort();
  const cols: number[][] = Array.from({ length: vocabSize }, () => []);
  const counts: number[][] = Array.from({ length: vocabSize }, () => []);
  for (let e = 0; e < n; e++) {
    const a = Math.floor(sorted[e]! / vocabSize);
    if (e > 0 && sorted[e] === sorted[e - 1]) counts[a]![counts[a]!.length - 1]! += 1;
    else {
      cols[a]!.push(sorted[e]! - a * vocabSize);
      counts[a]!.push(1);
    }
  }
  return cols.map((c, a) => ({ cols: Int32Array.from(c), values: Float64Array.from(counts[a]!) }));
}

/** Positive pointwise mutual information of symmetric counts, with context-distribution smoothing. */
export function positivePmi(counts: SparseRows, smoothing: number): SparseRows {
  const rowSums = counts.map((r) => r.values.reduce((s, x) => s + x, 0));
  const total = rowSums.reduce((s, x) => s + x, 0);
  const smoothed = rowSums.map((c) => c ** smoothing);
  const smoothedTotal = smoothed.reduce((s, x) => s + x, 0);
  return counts.map((row, a) => {
    const cols: number[] = [];
    const values: number[] = [];
    row.cols.forEach((b, e) => {
      const pmi = Math.log((row.values[e]! * smoothedTotal) / (rowSums[a]! * smoothed[b]!));
      if (pmi > 0) {
        cols.push(b);
        values.push(pmi);
      }
    });
    return { cols: Int32Array.from(cols), values: Float64Array.from(values) };
  });
}

/** LSA of documents: each token's row of U·S of the token × document (sublinear TF × IDF) matrix. */
export function lsaVectors(documents: Int32Array[], vocabSize: number, dims: number, seed: number): Float64Array {
  const docFreq = new Float64Array(vocabSize);
  const termCounts = documents.map((ids) => {
    const counts = new Map<number, number>();
    for (const t of ids) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of counts.keys()) docFreq[t]! += 1;
    return counts;
  });
  const idf = Float64Array.from(docFreq, (df) => Math.log((documents.length + 1) / (df + 1)) + 1);
  const rows = Array.from({ length: vocabSize }, () => ({ cols: [] as number[], values: [] as number[] }));
  termCounts.forEach((counts, d) => {
    for (const [t, n] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
      rows[t]!.cols.push(d);
      rows[t]!.values.push((1 + Math.log(n)) * idf[t]!);
    }
  });
  const op = sparseRowsOperator(rows.map((r) => ({ cols: Int32Array.from(r.cols), values: Float64Array.from(r.values) })), documents.length);
  const { u, s, k } = randomizedSVD(op, Math.min(dims, documents.length - 1), { seed, powerIterations: 6 });
  const out = new Float64Array(vocabSize * dims);
  for (let t = 0; t < vocabSize; t++) for (let j = 0; j < k; j++) out[t * dims + j] = u[t * k + j]! * s[j]!;
  return out;
}

/**
 * Returns a vocab.length × (generalDims + corpusDims) table of token vectors (row-major Float32).
 * `general` and `corpus` are token-id sequences (the corpus's papers also count as general text).
 */
export function fitTokenVectors(general: number[][], corpus: number[][], vocab: string[], options: FitOptions = DEFAULT_FIT_OPTIONS): Float32Array {
  const content = vocab.map(isContentToken);
  const keep = (ids: number[]) => Int32Array.from(ids.filter((t) => content[t]));
  const generalContexts = [...general, ...corpus].map(keep);
  const corpusContexts = corpus.map(keep);

  const frequency = new Float64Array(vocab.length);
  let tokens = 0;
  for (const ids of generalContexts) for (const t of ids) (frequency[t]! += 1), tokens++;

  const ppmi = positivePmi(cooccurrenceCounts(generalContexts, vocab.length, options.window), options.smoothing);
  const g = symmetricTopEigen(sparseRowsOperator(ppmi, vocab.length), options.generalDims, { seed: options.seed, iterations: options.iterations });
  const c = options.corpusDims > 0 && corpus.length > 1 ? lsaVectors(corpusContexts, vocab.length, options.corpusDims, options.seed) : new Float64Array(vocab.length * options.corpusDims);

  const dims = options.generalDims + options.corpusDims;
  const table = new Float32Array(vocab.length * dims);
  const block = (source: Float64Array, width: number, t: number, offset: number, scale: number) => {
    const row = source.subarray(t * width, (t + 1) * width);
    const norm = Math.hypot(...row);
    if (norm > 0) for (let j = 0; j < width; j++) table[t * dims + offset + j] = (scale * row[j]!) / norm;
  };
  for (let t = 0; t < vocab.length; t++) {
    if (!content[t] || frequency[t] === 0) continue;
    const weight = options.sif / (options.sif + frequency[t]! / tokens);
    block(g.vectors, g.k, t, 0, weight);
    block(c, options.corpusDims, t, options.generalDims, weight * options.corpusWeight);
  }
  return table;
}
