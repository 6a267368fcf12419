/**
 * Fit to the corpus being mapped: the latent space of the corpus's own words (LSA: a truncated SVD of
 * its TF-IDF matrix), blended with the general vectors of the embedded model. General vectors learned
 * from 160k arXiv abstracts know scientific English; the fit knows what this corpus's papers tell
 * apart (its field's own jargon, a user's corpus from another field). Measured on held-out arXiv
 * papers, the blend beats either part alone (README, "How good it is").
 *
 * The fit is kept with the map, so that a search query lands in the same blended space: its general
 * vector from the model, its corpus part from the same words, IDF and loadings.
 */
import { tfidfWords } from '../math/text/tfidf';
import { randomizedSVD } from '../math/linalg/svd';
import { sparseColumnsOperator } from '../math/linalg/sparse';
import { addScaled } from '../math/linalg/add-scaled';

export interface CorpusFitOptions {
  /** Dimensions of the corpus's latent space. */
  dims: number;
  /** The corpus part's share of a blended cosine (its weight²). */
  share: number;
  /** Below this many papers there is too little to fit: the general vectors are used alone. */
  minPapers: number;
  /** Papers the SVD reads at most (evenly spaced); every paper is then projected. */
  sample: number;
  /** A word in fewer papers than this cannot make two papers alike. */
  minDocFreq: number;
  maxTerms: number;
  seed: number;
}

export const DEFAULT_CORPUS_FIT: CorpusFitOptions = {
  dims: 64,
  share: 0.3,
  minPapers: 40,
  sample: 20_000,
  minDocFreq: 2,
  maxTerms: 20_000,
  seed: 7,
};

/** What the fit learns from the corpus's words alone: computed without the model, so it can run beside the embedding. */
export interface CorpusSpace {
  /** The fitted vocabulary. */
  terms: string[];
  /** Smoothed IDF of each term in the corpus. */
  idf: Float32Array;
  /** terms × dims: a text's corpus part is its unit TF-IDF row times this (LSA fold-in). */
  loadings: Float32Array;
  dims: number;
  /** Length of the corpus part in a blended unit vector; the model's part has √(1 − weight²). */
  weight: number;
}

export interface CorpusFit extends CorpusSpace {
  /**
   * The mean of the corpus's model vectors, taken off each before it is blended: what all its papers
   * share ("this is machine learning") says nothing about how they differ.
   */
  centre: Float32Array;
  /** Leading model dimensions a search query leaves out (see blendQuery). */
  queryIgnores: number;
}

/** Sublinear TF × IDF of a text over the fit's terms, as unit-length sparse (term, weight) pairs, terms ascending. */
function tfidfRow(words: string[], column: Map<string, number>, idf: ArrayLike<number>): { cols: number[]; values: number[] } {
  // The text's terms sorted, so each term's count is the length of its run (no map of counts).
  const hits = new Int32Array(words.length);
  let found = 0;
  for (const word of words) {
    const c = column.get(word);
    if (c !== undefined) hits[found++] = c;
  }
  const sorted = hits.subarray(0, found).sort();
  const cols: number[] = [];
  const values: number[] = [];
  for (let from = 0; from < found; ) {
    let to = from + 1;
    while (to < found && sorted[to] === sorted[from]) to++;
    cols.push(sorted[from]!);
    values.push((1 + Math.log(to - from)) * idf[sorted[from]!]!);
    from = to;
  }
  const norm = Math.hypot(...values);
  return { cols, values: norm > 0 ? values.map((v) => v / norm) : values };
}

/**
 * Fits the corpus's latent space to blend with the model's unit vectors (n × modelDims, whose mean is
 * the fit's centre); null when the corpus is too small or has too few shared words.
 */
export function fitCorpus(texts: string[], model: { vectors: Float32Array; dims: number }, options: CorpusFitOptions = DEFAULT_CORPUS_FIT, queryIgnores = 0): CorpusFit | null {
  const space = fitCorpusSpace(texts, options);
  return space && withModel(space, model, texts.length, queryIgnores);
}

/** The corpus's latent space from its words alone (the SVD); null when the corpus is too small or has too few shared words. */
export function fitCorpusSpace(texts: string[], options: CorpusFitOptions = DEFAULT_CORPUS_FIT): CorpusSpace | null {
  const n = texts.length;
  if (n < options.minPapers) return null;
  const size = Math.min(n, options.sample);
  const sample = Array.from({ length: size }, (_, s) => tfidfWords(texts[Math.floor((s * n) / size)]!));

  const docFreq = new Map<string, number>();
  for (const words of sample) for (const w of new Set(words)) docFreq.set(w, (docFreq.get(w) ?? 0) + 1);
  const terms = [...docFreq.entries()]
    .filter(([, df]) => df >= options.minDocFreq)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxTerms)
    .map(([w]) => w);
  const dims = Math.min(options.dims, terms.length - 1, sample.length - 1);
  if (dims < 2) return null;
  const column = new Map(terms.map((w, c) => [w, c]));
  const idf = Float32Array.from(terms, (w) => Math.log((sample.length + 1) / (docFreq.get(w)! + 1)) + 1);

  // Term × paper matrix, so the SVD's left vectors are the terms' loadings; held by paper (see sparseColumnsOperator).
  const byPaper = sample.map((words) => {
    const row = tfidfRow(words, column, idf);
    return { rows: Int32Array.from(row.cols), values: Float64Array.from(row.values) };
  });
  const op = sparseColumnsOperator(byPaper, terms.length);
  // The term side is orthonormalised once, not every pass (same subspace): on a small corpus terms far outnumber papers, and that was half the fit's time.
  const { u, k } = randomizedSVD(op, dims, { seed: options.seed, powerIterations: 4, rowsOnce: true });
  return { terms, idf, loadings: Float32Array.from(u), dims: k, weight: Math.sqrt(options.share) };
}

/** The fit of a space to a model's unit vectors (n × model.dims): their centre, and what a query leaves out. */
export function withModel(space: CorpusSpace, model: { vectors: Float32Array; dims: number }, n: number, queryIgnores: number): CorpusFit {
  const centre = new Float32Array(model.dims);
  for (let i = 0; i < n; i++) for (let j = 0; j < model.dims; j++) centre[j]! += model.vectors[i * model.dims + j]! / n;
  return { ...space, centre, queryIgnores };
}

/** A text's corpus part: unit length, or all zero when it has none of the fit's terms. */
export function corpusVector(fit: CorpusSpace, column: Map<string, number>, text: string): Float32Array {
  return writeCorpusVector(fit, column, text, new Float32Array(fit.dims), 0);
}

/** corpusVector written into out[at … at + dims) (zeroed there), for many papers without a vector each. */
function writeCorpusVector(fit: CorpusSpace, column: Map<string, number>, text: string, out: Float32Array, at: number): Float32Array {
  const { dims, loadings } = fit;
  out.fill(0, at, at + dims);
  const row = tfidfRow(tfidfWords(text), column, fit.idf);
  for (let e = 0; e < row.cols.length; e++) addScaled(out, at, row.values[e]!, loadings, row.cols[e]! * dims, dims);
  const norm = Math.hypot(...out.subarray(at, at + dims));
  if (norm > 0) for (let j = at; j < at + dims; j++) out[j]! /= norm;
  return out;
}

/** What a model's config.json asks of the fit (see workers/embed.ts): its dimensions, and the leading dims a query leaves out. */
export interface CorpusFitHint {
  dims: number;
  queryIgnores: number;
}

const columnsOfFit = new WeakMap<CorpusSpace, Map<string, number>>();

/** Each term's column, made once per fit: every search query of a map reads it. */
export function termColumns(fit: CorpusSpace): Map<string, number> {
  let columns = columnsOfFit.get(fit);
  if (!columns) columnsOfFit.set(fit, (columns = new Map(fit.terms.map((w, c) => [w, c]))));
  return columns;
}

/**
 * The corpus parts of texts[from..to), (to − from) × space.dims (see corpusVector): the words' share of
 * the blend, which needs no model. Written into `out` from row `from` on when given (n × dims), else
 * into an array of their own.
 */
export function corpusParts(space: CorpusSpace, texts: string[], from = 0, to = texts.length, out?: Float32Array): Float32Array {
  const rows = out ?? new Float32Array((to - from) * space.dims);
  const first = out ? 0 : from;
  const column = termColumns(space);
  for (let i = from; i < to; i++) writeCorpusVector(space, column, texts[i]!, rows, (i - first) * space.dims);
  return rows;
}

/**
 * Unit general vectors (n × generalDims) and the texts → blended unit vectors, n × (generalDims + fit.dims):
 * [√(1 − w²)·centred general, w·corpus], so a cosine is (1 − w²)·general cosine + w²·corpus cosine.
 * A row with only one part is renormalised onto it.
 */
export function blendWithFit(fit: CorpusFit, general: Float32Array, generalDims: number, texts: string[]): Float32Array {
  return blendParts(fit, general, generalDims, corpusParts(fit, texts), texts.length);
}

/** blendWithFit with the corpus parts already made (corpusParts), e.g. by another worker while the model ran. */
export function blendParts(fit: CorpusFit, general: Float32Array, generalDims: number, parts: Float32Array, n: number, inPlace = false): Float32Array {
  const dims = generalDims + fit.dims;
  // In place, in the general vectors' buffer (left long enough by the embedder): at 100,000 papers the
  // model's rows and the blended ones were 280 MB side by side, at the build's peak. Wider rows are
  // written from the last back, so a row overwrites only rows already blended and its own, which is
  // read into a copy first: the same values as blending into a new array.
  if (inPlace && general.buffer.byteLength < general.byteOffset + n * dims * 4) throw new Error('blendParts: no room to blend in place');
  const out = inPlace ? new Float32Array(general.buffer, general.byteOffset, n * dims) : new Float32Array(n * dims);
  const row = new Float32Array(generalDims);
  for (let i = n - 1; i >= 0; i--) {
    row.set(general.subarray(i * generalDims, (i + 1) * generalDims));
    blendRow(fit, row, parts.subarray(i * fit.dims, (i + 1) * fit.dims), out.subarray(i * dims, (i + 1) * dims));
  }
  return out;
}

function blendRow(fit: CorpusFit, general: Float32Array, corpus: Float32Array, out: Float32Array): void {
  const gd = general.length;
  // The model's part, centred and unit length again; a text the model knows nothing of keeps none.
  let norm = 0;
  if (general.some((x) => x !== 0)) for (let j = 0; j < gd; j++) norm += (general[j]! - fit.centre[j]!) ** 2;
  const g = norm > 0 ? Math.sqrt(1 - fit.weight * fit.weight) / Math.sqrt(norm) : 0;
  for (let j = 0; j < gd; j++) out[j] = g * (general[j]! - fit.centre[j]!);
  for (let j = 0; j < fit.dims; j++) out[gd + j] = fit.weight * corpus[j]!;
  let length = 0;
  for (let j = 0; j < out.length; j++) length += out[j]! * out[j]!;
  const scale = length > 0 ? 1 / Math.sqrt(length) : 0;
  for (let j = 0; j < out.length; j++) out[j]! *= scale;
}

/**
 * A search query in the map's blended space: its general vector (from the model) and its words, less
 * the dimensions the model says a query cannot fill (the embedded model's field block: a title's
 * few words guess a field poorly, and ranking by field buries the one paper it names; measured on the
 * development papers). Not unit length: rank by cosine.
 */
export function blendQuery(fit: CorpusFit, general: Float32Array, text: string): Float32Array {
  const out = new Float32Array(general.length + fit.dims);
  blendRow(fit, general, corpusVector(fit, termColumns(fit), text), out);
  out.fill(0, 0, fit.queryIgnores);
  return out;
}
