/**
 * Fits the embedded model's token vectors by LSA: a truncated SVD of the token × document TF-IDF
 * matrix. Each token's vector is its left singular row scaled by its IDF, so the mean of a text's token
 * vectors (what the feature-extraction pipeline computes) is the classic LSA fold-in of its TF-IDF
 * vector. Stop words, punctuation and special tokens get zero vectors: they pool to nothing.
 */
import { randomizedSVD, sparseRowsOperator } from '../math/svd';
import { STOPWORDS } from '../math/stopwords';
import { SPECIAL_TOKENS } from './vocab';

export interface FitOptions {
  dims: number;
  seed: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = { dims: 64, seed: 7 };

function isContentToken(token: string): boolean {
  const bare = token.startsWith('##') ? token.slice(2) : token;
  if ((SPECIAL_TOKENS as readonly string[]).includes(token)) return false;
  if (!/[\p{L}\p{N}]/u.test(bare)) return false;
  return token.startsWith('##') || !STOPWORDS.has(bare);
}

/** Returns a vocab.length × dims table of token vectors (row-major Float32). */
export function fitTokenVectors(documents: number[][], vocab: string[], options: FitOptions = DEFAULT_FIT_OPTIONS): Float32Array {
  const nDocs = documents.length;
  const content = vocab.map(isContentToken);
  const docFreq = new Float64Array(vocab.length);
  const termCounts = documents.map((ids) => {
    const counts = new Map<number, number>();
    for (const t of ids) {
      if (content[t]) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    for (const t of counts.keys()) docFreq[t]! += 1;
    return counts;
  });
  const idf = Float64Array.from(docFreq, (df) => (df > 0 ? Math.log((nDocs + 1) / (df + 1)) + 1 : 0));

  // Token × document matrix, one sparse row per token, sublinear TF × IDF.
  const rows: { cols: number[]; values: number[] }[] = vocab.map(() => ({ cols: [], values: [] }));
  termCounts.forEach((counts, d) => {
    for (const [t, n] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
      rows[t]!.cols.push(d);
      rows[t]!.values.push((1 + Math.log(n)) * idf[t]!);
    }
  });
  const op = sparseRowsOperator(
    rows.map((r) => ({ cols: Int32Array.from(r.cols), values: Float64Array.from(r.values) })),
    nDocs,
  );
  const dims = Math.min(options.dims, nDocs - 1);
  const { u, k } = randomizedSVD(op, dims, { seed: options.seed, powerIterations: 6 });

  const table = new Float32Array(vocab.length * options.dims);
  for (let t = 0; t < vocab.length; t++) {
    if (!content[t] || docFreq[t] === 0) continue;
    for (let j = 0; j < k; j++) table[t * options.dims + j] = u[t * k + j]! * idf[t]!;
  }
  return table;
}
