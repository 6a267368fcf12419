/**
 * TF-IDF vectors of texts: the baseline `npm run eval` measures the embedding model against. Words are
 * lower-cased and accent-folded, stop words dropped; each weight is sublinear TF × smoothed IDF, the
 * weighting of the fit to the corpus (src/model/corpus-fit.ts), on the evaluated corpus's own
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
  // Most abstracts are plain ASCII: nothing to fold, and letters and digits are [a-z0-9] (the same words, twice as fast).
  if (ASCII.test(text)) return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 1 && /[a-z]/.test(w) && !STOPWORDS.has(w));
  const folded = text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1 && /\p{L}/u.test(w) && !STOPWORDS.has(w));
}

const ASCII = /^[\x00-\x7f]*$/;

/** The same rows, sparse: row i's (column, weight) pairs, columns ascending. */
export interface TfidfRows {
  rows: { cols: Int32Array; values: Float32Array }[];
  dims: number;
  terms: string[];
}

export function tfidfRows(texts: string[], options: TfidfOptions = DEFAULT_TFIDF_OPTIONS): TfidfRows {
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
  const rows = counts.map((tf) => {
    const row: [number, number][] = [];
    for (const [word, count] of tf) {
      const c = column.get(word);
      if (c !== undefined) row.push([c, (1 + Math.log(count)) * idf[c]!]);
    }
    row.sort((a, b) => a[0] - b[0]);
    const norm = Math.hypot(...row.map(([, w]) => w));
    const scale = norm > 0 ? 1 / norm : 0;
    return { cols: Int32Array.from(row, ([c]) => c), values: Float32Array.from(row, ([, w]) => w * scale) };
  });
  return { rows, dims: terms.length, terms };
}

export function tfidfVectors(texts: string[], options: TfidfOptions = DEFAULT_TFIDF_OPTIONS): TfidfVectors {
  const { rows, dims, terms } = tfidfRows(texts, options);
  const data = new Float32Array(texts.length * dims);
  rows.forEach((row, i) => row.cols.forEach((c, e) => (data[i * dims + c] = row.values[e]!)));
  return { data, dims, terms };
}
