/**
 * The embedded model's token vectors, learned from the training abstracts:
 * - general: PPMI-SVD of distance-weighted co-occurrence within a window (ppmi.ts), each token's row of
 *   the top eigenvectors scaled by |eigenvalue|^power;
 * - field: each token's positive PMI with the papers' primary arXiv categories (152 of them, the
 *   authors' own choice of field), reduced by SVD: which fields a word speaks of.
 * Each block is unit length per token and weighted; the whole vector is scaled by the SIF weight
 * a / (a + p(t)) (Arora et al. 2017) so frequent tokens count for less in the pooled mean, and the
 * common direction of all papers' means is removed from every token (it says only "this is an
 * abstract"). Stop words, punctuation, bare numbers and special tokens get zero vectors: they pool to nothing.
 */
import { randomizedSVD, symmetricEigen, symmetricTopEigen } from '../../../src/math/linalg/svd';
import { STOPWORDS } from '../../../src/math/text/stopwords';
import { SPECIAL_TOKENS } from '../../../src/model/vocab';
import { cooccurrence, csrOperator, prunedPpmi } from './ppmi';

export interface FitOptions {
  /** Dimensions of the general block. */
  generalDims: number;
  /** Dimensions of the field block (0: none). */
  fieldDims: number;
  /** The field block's share of a paper's vector: its length when the whole is unit length (see balanceBlocks). */
  fieldWeight: number;
  /** Training papers the discriminant analysis reads (evenly spaced). */
  fieldSample: number;
  /** Within-field scatter is regularised by this share of its mean variance. */
  fieldRegularisation: number;
  window: number;
  /** Context-distribution smoothing exponent of PPMI. */
  smoothing: number;
  /** PPMI entries kept per token before the SVD. */
  keepPerRow: number;
  /** Eigenvalue weighting of the general block. */
  power: number;
  /** SIF's a. */
  sif: number;
  iterations: number;
  seed: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = { generalDims: 256, fieldDims: 64, fieldWeight: 0.84, fieldSample: 60_000, fieldRegularisation: 0.1, window: 10, smoothing: 0.75, keepPerRow: 250, power: 0.5, sif: 1e-3, iterations: 3, seed: 7 };

/** Tokens that carry meaning: not special, not punctuation, not a stop word or a bare number. */
export function isContentToken(token: string): boolean {
  if ((SPECIAL_TOKENS as readonly string[]).includes(token)) return false;
  const piece = token.startsWith('##');
  const bare = piece ? token.slice(2) : token;
  if (!/[\p{L}\p{N}]/u.test(bare)) return false;
  if (piece) return true;
  return !STOPWORDS.has(bare) && !/^\p{N}+$/u.test(bare);
}

export interface TrainingText {
  /** Token ids of the text (the model's own tokenizer). */
  ids: readonly number[];
  /** Its primary category, an id 0 … categories − 1. */
  category: number;
}

export interface FitReport {
  tokens: number;
  ppmiEntries: number;
  seconds: Record<string, number>;
}

/** vocab × (generalDims + fieldDims) token vectors, row-major float32, and what it took. */
export function fitTokenVectors(texts: TrainingText[], vocab: readonly string[], categories: number, options: FitOptions = DEFAULT_FIT_OPTIONS, say: (line: string) => void = () => undefined): { table: Float32Array; dims: number; report: FitReport } {
  const seconds: Record<string, number> = {};
  let clock = performance.now();
  const lap = (name: string) => {
    seconds[name] = Math.round(performance.now() - clock) / 1000;
    clock = performance.now();
    say(`  ${name}: ${seconds[name]} s`);
  };
  // Content tokens get dense indices 0 … C − 1 for the co-occurrence matrix.
  const contentIndex = new Int32Array(vocab.length).fill(-1);
  const contentTokens: number[] = [];
  vocab.forEach((token, t) => {
    if (isContentToken(token)) contentIndex[t] = contentTokens.push(t) - 1;
  });
  const size = contentTokens.length;
  const sequences = texts.map(({ ids }) => {
    const out: number[] = [];
    for (const t of ids) if (contentIndex[t]! >= 0) out.push(contentIndex[t]!);
    return Int32Array.from(out);
  });
  const frequency = new Float64Array(size);
  let tokens = 0;
  for (const s of sequences) for (const c of s) (frequency[c]! += 1), tokens++;
  lap('content tokens');

  const ppmi = prunedPpmi(cooccurrence(sequences, size, options.window), size, options.smoothing, options.keepPerRow);
  lap('co-occurrence and PPMI');
  const eigen = symmetricTopEigen(csrOperator(ppmi), options.generalDims, { seed: options.seed, iterations: options.iterations });
  const eigenRows = new Float64Array(size * eigen.k);
  for (let c = 0; c < size; c++) for (let j = 0; j < eigen.k; j++) eigenRows[c * eigen.k + j] = eigen.vectors[c * eigen.k + j]! * Math.abs(eigen.values[j]!) ** options.power;
  lap('eigenvectors');

  // The general block: each token's unit row, scaled by its SIF weight.
  const gd = eigen.k;
  const general = new Float32Array(vocab.length * gd);
  contentTokens.forEach((t, c) => {
    if (frequency[c] === 0) return;
    const sif = options.sif / (options.sif + frequency[c]! / tokens);
    let norm = 0;
    for (let j = 0; j < gd; j++) norm += eigenRows[c * gd + j]! ** 2;
    if (norm > 0) for (let j = 0; j < gd; j++) general[t * gd + j] = (sif * eigenRows[c * gd + j]!) / Math.sqrt(norm);
  });
  removeCommonDirection(general, gd, texts, options.seed);
  lap('SIF weights and common direction');
  if (options.fieldDims === 0) return { table: general, dims: gd, report: { tokens, ppmiEntries: ppmi.values.length, seconds } };

  // The field block: the general vectors through the discriminant map, beside them.
  const map = discriminantMap(general, gd, texts, categories, options);
  const fd = options.fieldDims;
  const dims = fd + gd;
  const table = new Float32Array(vocab.length * dims);
  for (let t = 0; t < vocab.length; t++) {
    for (let j = 0; j < fd; j++) {
      let sum = 0;
      for (let a = 0; a < gd; a++) sum += general[t * gd + a]! * map[a * fd + j]!;
      table[t * dims + j] = sum;
    }
    for (let j = 0; j < gd; j++) table[t * dims + fd + j] = general[t * gd + j]!;
  }
  balanceBlocks(table, dims, fd, texts, options.fieldWeight);
  lap('field block');
  return { table, dims, report: { tokens, ppmiEntries: ppmi.values.length, seconds } };
}

/**
 * Linear discriminant analysis of the papers' pooled general vectors against their primary categories
 * (on an evenly spaced sample of training papers): the directions in which papers of one field lie
 * close together and fields lie apart. Returns the general dims × fieldDims map, each direction scaled
 * by √eigenvalue so the most telling directions weigh most. Pooling is linear, so applying it to every
 * token vector gives every paper its field coordinates.
 */
function discriminantMap(table: Float32Array, dims: number, texts: TrainingText[], categories: number, options: FitOptions): Float64Array {
  const sampleSize = Math.min(texts.length, options.fieldSample);
  const x = new Float64Array(dims);
  const classMean = new Float64Array(categories * dims);
  const classCount = new Float64Array(categories);
  const rows: { category: number; vector: Float64Array }[] = [];
  for (let s = 0; s < sampleSize; s++) {
    const { ids, category } = texts[Math.floor((s * texts.length) / sampleSize)]!;
    x.fill(0);
    for (const t of ids) for (let j = 0; j < dims; j++) x[j]! += table[t * dims + j]!;
    const norm = Math.hypot(...x);
    if (norm === 0) continue;
    const vector = Float64Array.from(x, (v) => v / norm);
    rows.push({ category, vector });
    classCount[category]! += 1;
    for (let j = 0; j < dims; j++) classMean[category * dims + j]! += vector[j]!;
  }
  const mean = new Float64Array(dims);
  for (let c = 0; c < categories; c++) {
    for (let j = 0; j < dims; j++) mean[j]! += classMean[c * dims + j]! / rows.length;
    if (classCount[c]! > 0) for (let j = 0; j < dims; j++) classMean[c * dims + j]! /= classCount[c]!;
  }
  // Scatter within fields (regularised towards a multiple of I) and between them.
  const within = new Float64Array(dims * dims);
  const between = new Float64Array(dims * dims);
  const d = new Float64Array(dims);
  for (const { category, vector } of rows) {
    for (let j = 0; j < dims; j++) d[j] = vector[j]! - classMean[category * dims + j]!;
    for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) within[a * dims + b]! += d[a]! * d[b]!;
  }
  for (let c = 0; c < categories; c++) {
    for (let j = 0; j < dims; j++) d[j] = classMean[c * dims + j]! - mean[j]!;
    for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) between[a * dims + b]! += classCount[c]! * d[a]! * d[b]!;
  }
  let trace = 0;
  for (let j = 0; j < dims; j++) trace += within[j * dims + j]!;
  for (let j = 0; j < dims; j++) within[j * dims + j]! += (options.fieldRegularisation * trace) / dims;
  // Whiten by within^(−1/2), then the top eigenvectors of the whitened between-field scatter.
  const w = symmetricEigen(within, dims);
  const whiten = new Float64Array(dims * dims);
  for (let a = 0; a < dims; a++) {
    for (let b = 0; b < dims; b++) {
      let sum = 0;
      for (let k = 0; k < dims; k++) sum += (w.vectors[a * dims + k]! * w.vectors[b * dims + k]!) / Math.sqrt(Math.max(w.values[k]!, 1e-12));
      whiten[a * dims + b] = sum;
    }
  }
  const whitened = multiply(multiply(whiten, between, dims), whiten, dims);
  const e = symmetricEigen(whitened, dims);
  const order = Array.from({ length: dims }, (_, i) => i).sort((p, q) => e.values[q]! - e.values[p]! || p - q);
  const out = new Float64Array(dims * options.fieldDims);
  for (let a = 0; a < dims; a++) {
    for (let j = 0; j < options.fieldDims; j++) {
      const c = order[j]!;
      let sum = 0;
      for (let b = 0; b < dims; b++) sum += whiten[a * dims + b]! * e.vectors[b * dims + c]!;
      out[a * options.fieldDims + j] = sum * Math.sqrt(Math.max(e.values[c]!, 0));
    }
  }
  return out;
}

/** a · b for square dims × dims matrices. */
function multiply(a: Float64Array, b: Float64Array, dims: number): Float64Array {
  const out = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++) for (let k = 0; k < dims; k++) {
    const x = a[i * dims + k]!;
    if (x !== 0) for (let j = 0; j < dims; j++) out[i * dims + j]! += x * b[k * dims + j]!;
  }
  return out;
}

/**
 * Scales the two blocks (field: columns 0 … fieldDims − 1, general: the rest) so that in the papers'
 * pooled vectors the field block has, on average, `fieldWeight`² of the squared length: a cosine is
 * then about fieldWeight² × the field cosine + (1 − fieldWeight²) × the general cosine.
 */
function balanceBlocks(table: Float32Array, dims: number, fieldDims: number, texts: TrainingText[], fieldWeight: number): void {
  const sampleSize = Math.min(texts.length, 20_000);
  let field = 0;
  let general = 0;
  const x = new Float64Array(dims);
  for (let s = 0; s < sampleSize; s++) {
    x.fill(0);
    for (const t of texts[Math.floor((s * texts.length) / sampleSize)]!.ids) for (let j = 0; j < dims; j++) x[j]! += table[t * dims + j]!;
    let f = 0;
    let g = 0;
    for (let j = 0; j < dims; j++) (j < fieldDims ? (f += x[j]! ** 2) : (g += x[j]! ** 2));
    if (f + g === 0) continue;
    field += Math.sqrt(f);
    general += Math.sqrt(g);
  }
  const fieldScale = fieldWeight / (field / sampleSize);
  const generalScale = Math.sqrt(1 - fieldWeight ** 2) / (general / sampleSize);
  for (let i = 0; i < table.length; i++) table[i]! *= i % dims < fieldDims ? fieldScale : generalScale;
}

/**
 * The first principal direction of the papers' pooled vectors (on an evenly spaced sample), projected
 * out of every token vector: pooling is linear, so every paper's mean loses it too (SIF's last step).
 */
function removeCommonDirection(table: Float32Array, dims: number, texts: TrainingText[], seed: number): void {
  const sampleSize = Math.min(texts.length, 20_000);
  const means = new Float64Array(sampleSize * dims);
  for (let s = 0; s < sampleSize; s++) {
    const { ids } = texts[Math.floor((s * texts.length) / sampleSize)]!;
    for (const t of ids) for (let j = 0; j < dims; j++) means[s * dims + j]! += table[t * dims + j]!;
    if (ids.length > 0) for (let j = 0; j < dims; j++) means[s * dims + j]! /= ids.length;
  }
  const op = {
    rows: sampleSize,
    cols: dims,
    multiply(m: Float64Array, l: number) {
      const out = new Float64Array(sampleSize * l);
      for (let i = 0; i < sampleSize; i++) for (let c = 0; c < dims; c++) for (let j = 0; j < l; j++) out[i * l + j]! += means[i * dims + c]! * m[c * l + j]!;
      return out;
    },
    multiplyTransposed(m: Float64Array, l: number) {
      const out = new Float64Array(dims * l);
      for (let i = 0; i < sampleSize; i++) for (let c = 0; c < dims; c++) for (let j = 0; j < l; j++) out[c * l + j]! += means[i * dims + c]! * m[i * l + j]!;
      return out;
    },
  };
  // Right singular vector: the direction in token space.
  const { u, k } = randomizedSVD({ rows: dims, cols: sampleSize, multiply: op.multiplyTransposed, multiplyTransposed: op.multiply }, 1, { seed, powerIterations: 4 });
  const direction = Float64Array.from({ length: dims }, (_, j) => u[j * k]!);
  const vocabSize = table.length / dims;
  for (let t = 0; t < vocabSize; t++) {
    let dot = 0;
    for (let j = 0; j < dims; j++) dot += table[t * dims + j]! * direction[j]!;
    for (let j = 0; j < dims; j++) table[t * dims + j]! -= dot * direction[j]!;
  }
}
