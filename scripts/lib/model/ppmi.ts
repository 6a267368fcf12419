/**
 * Word vectors from co-occurrence (Levy, Goldberg & Dagan 2015): distance-weighted counts of tokens
 * within a window, positive PMI with context-distribution smoothing, each row's strongest entries
 * kept, and the top eigenvectors of the symmetric result (a truncated SVD of PPMI).
 */
import type { LinearOperator } from '../../../src/math/linalg/svd';

/**
 * Symmetric co-occurrence counts, dense V × V (float32: 34k tokens take 4.6 GB, and counting is
 * one add per pair, far faster than any sparse structure). A pair d apart adds (window − d + 1) / window.
 */
export function cooccurrence(sequences: Int32Array[], size: number, window: number): Float32Array {
  const counts = new Float32Array(size * size);
  const weight = Float32Array.from({ length: window + 1 }, (_, d) => (window - d + 1) / window);
  for (const s of sequences) {
    for (let i = 0; i < s.length; i++) {
      const a = s[i]!;
      const end = Math.min(s.length, i + 1 + window);
      for (let j = i + 1; j < end; j++) {
        const b = s[j]!;
        if (a === b) continue;
        counts[a * size + b]! += weight[j - i]!;
        counts[b * size + a]! += weight[j - i]!;
      }
    }
  }
  return counts;
}

/** A symmetric sparse matrix in compressed rows. */
export interface Csr {
  size: number;
  rowStart: Int32Array;
  cols: Int32Array;
  values: Float32Array;
}

/**
 * PPMI of the counts, each row cut to its `keep` largest entries, then made symmetric again as
 * (A + Aᵀ) / 2: a word's strongest contexts carry its meaning, and the SVD costs in proportion to
 * what is kept (all of it is 40M entries at 34k tokens; 250 a row is about 12M).
 */
export function prunedPpmi(counts: Float32Array, size: number, smoothing: number, keep: number): Csr {
  const rowSum = new Float64Array(size);
  for (let a = 0; a < size; a++) {
    let s = 0;
    for (let b = 0, base = a * size; b < size; b++) s += counts[base + b]!;
    rowSum[a] = s;
  }
  const smoothed = Float64Array.from(rowSum, (c) => c ** smoothing);
  const smoothedTotal = smoothed.reduce((s, x) => s + x, 0);
  // Each row's kept entries, in row order.
  const keptRow = new Int32Array(size * keep);
  const keptCol = new Int32Array(size * keep);
  const keptValue = new Float32Array(size * keep);
  let kept = 0;
  const pmiCols: number[] = [];
  const pmiValues: number[] = [];
  for (let a = 0; a < size; a++) {
    if (rowSum[a] === 0) continue;
    pmiCols.length = 0;
    pmiValues.length = 0;
    for (let b = 0, base = a * size; b < size; b++) {
      const c = counts[base + b]!;
      if (c <= 0) continue;
      const pmi = Math.log((c * smoothedTotal) / (rowSum[a]! * smoothed[b]!));
      if (pmi > 0) {
        pmiCols.push(b);
        pmiValues.push(pmi);
      }
    }
    let order = pmiCols.map((_, e) => e);
    if (order.length > keep) order = order.sort((x, y) => pmiValues[y]! - pmiValues[x]! || x - y).slice(0, keep);
    for (const e of order) {
      keptRow[kept] = a;
      keptCol[kept] = pmiCols[e]!;
      keptValue[kept++] = pmiValues[e]!;
    }
  }
  return symmetricHalves(size, keptRow.subarray(0, kept), keptCol.subarray(0, kept), keptValue.subarray(0, kept));
}

/** (A + Aᵀ) / 2 in compressed rows, from A's entries (repeats summed, columns ascending). */
function symmetricHalves(size: number, rows: Int32Array, cols: Int32Array, values: Float32Array): Csr {
  const start = new Int32Array(size + 1);
  for (let e = 0; e < rows.length; e++) {
    start[rows[e]! + 1]! += 1;
    start[cols[e]! + 1]! += 1;
  }
  for (let r = 0; r < size; r++) start[r + 1]! += start[r]!;
  const fill = start.slice(0, size);
  const allCols = new Int32Array(2 * rows.length);
  const allValues = new Float32Array(2 * rows.length);
  for (let e = 0; e < rows.length; e++) {
    const half = values[e]! / 2;
    allCols[fill[rows[e]!]!] = cols[e]!;
    allValues[fill[rows[e]!]!++] = half;
    allCols[fill[cols[e]!]!] = rows[e]!;
    allValues[fill[cols[e]!]!++] = half;
  }
  // Sort each row by column and merge the two halves of a pair kept from both ends.
  const rowStart = new Int32Array(size + 1);
  const outCols = new Int32Array(allCols.length);
  const outValues = new Float32Array(allCols.length);
  let n = 0;
  for (let r = 0; r < size; r++) {
    const order = Array.from({ length: start[r + 1]! - start[r]! }, (_, i) => start[r]! + i).sort((x, y) => allCols[x]! - allCols[y]!);
    for (const e of order) {
      if (n > rowStart[r]! && outCols[n - 1] === allCols[e]) outValues[n - 1]! += allValues[e]!;
      else {
        outCols[n] = allCols[e]!;
        outValues[n++] = allValues[e]!;
      }
    }
    rowStart[r + 1] = n;
  }
  return { size, rowStart, cols: outCols.slice(0, n), values: outValues.slice(0, n) };
}

/** The matrix as a LinearOperator (symmetric, so multiplyTransposed is multiply). */
export function csrOperator(m: Csr): LinearOperator {
  const multiply = (x: Float64Array, l: number): Float64Array => {
    const out = new Float64Array(m.size * l);
    for (let r = 0; r < m.size; r++) {
      const base = r * l;
      for (let e = m.rowStart[r]!; e < m.rowStart[r + 1]!; e++) {
        const v = m.values[e]!;
        const from = m.cols[e]! * l;
        for (let j = 0; j < l; j++) out[base + j]! += v * x[from + j]!;
      }
    }
    return out;
  };
  return { rows: m.size, cols: m.size, multiply, multiplyTransposed: multiply };
}
