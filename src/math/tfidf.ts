/**
 * TF-IDF vectors of texts: the baseline `npm run eval` measures the embedding model against. Words are
 * lower-cased and accent-folded, stop words dropped; each weight is sublinear TF × smoothed IDF, the
 * weighting of the embedded model's corpus LSA block (src/model/fit.ts), on the evaluated corpus's own
 * vocabulary and IDF. Rows are L2-normalised: dot = cosine.
 */
import { STOPWORDS } from './stopwords';

export interface TfidfOptions {
  /** A word in fewer papers than this cannot make two papers alike; it is left out. */
  minDocFreq: number;
  /** The most frequent words (by papers) kept, so n × terms stays affordable as a dense matrix. */
  maxTerms: number;
}

export const DEFAULT_TFIDF_OPTIONS: TfidfOptions = { minDocFreq: 2, maxTerms: 8192 };

export interface TfidfVectors {
  /** n × dims, row-major, each row of unit length (or zero when a text has no kept word). */
  data: Float32Array;
  dims: number;
  /** The word of each dimension. */
  terms: string[];
}

/** Lower-cased, accent-folded words with at least one letter, stop words left out. */
export function tfidfWords(text: string): string[] {
  const folded = text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1 && /\p{L}/u.test(w) && !STOPWORDS.has(w));
}

export function tfidfVectors(texts: string[], options: TfidfOptions = DEFAULT_TFIDF_OPTIONS): TfidfVectors {
  const n = texts.length;
  const counts = texts.map((text) => {
    const tf = new Map<string, number>();
    for (const word of tfidfWords(text)) tf.set(word, (tf.get(word) ?? 0) + 1);
    return tf;
  });
  const docFreq = new Map<string, number>();
  for (const tf of counts) for (const word of tf.keys()) docFreq.set(word, (docFreq.get(word) ?? 0) + 1);
  const terms = [...docFreq.entries()]
    .filter(([, df]) => df >= options.minDocFreq)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxTerms)
    .map(([word]) => word);
  const column = new Map(terms.map((word, c) => [word, c]));
  const idf = terms.map((word) => Math.log((n + 1) / (docFreq.get(word)! + 1)) + 1);
  const dims = terms.length;
  const data = new Float32Array(n * dims);
  counts.forEach((tf, i) => {
    let norm = 0;
    const row: [number, number][] = [];
    for (const [word, count] of tf) {
      const c = column.get(word);
      if (c === undefined) continue;
      const weight = (1 + Math.log(count)) * idf[c]!;
      row.push([c, weight]);
      norm += weight * weight;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const [c, weight] of row) data[i * dims + c] = weight * scale;
  });
  return { data, dims, terms };
}
