/**
 * Truncated SVD by randomized subspace iteration (Halko, Martinsson & Tropp 2011), on any matrix that
 * can multiply a block of vectors. Used to fit the embedded model (sparse term × document matrix) and
 * to initialise the layout (PCA of the embedding vectors). Deterministic for a given seed.
 *
 * Matrices are row-major Float64Arrays: an n × l block stores entry (i, j) at i * l + j.
 */
import { addScaled } from './add-scaled';
import { gaussian, mulberry32 } from '../random';

export interface LinearOperator {
  rows: number;
  cols: number;
  /** A · M for M of shape cols × l; returns rows × l. */
  multiply(m: Float64Array, l: number): Float64Array;
  /** Aᵀ · M for M of shape rows × l; returns cols × l. */
  multiplyTransposed(m: Float64Array, l: number): Float64Array;
}

export interface TruncatedSVD {
  k: number;
  /** Left singular vectors, rows × k. */
  u: Float64Array;
  /** Singular values, descending. */
  s: Float64Array;
}

/**
 * Orthonormalises the columns of an n × l block in place (modified Gram–Schmidt). The columns are
 * copied out to be contiguous first: walking a row-major column strides through memory, which made
 * this most of a corpus fit's time at 100,000 papers. Same operations in the same order, same result.
 */
export function orthonormalizeColumns(a: Float64Array, n: number, l: number): void {
  const t = transposed(a, n, l);
  for (let j = 0; j < l; j++) {
    const cj = t.subarray(j * n, (j + 1) * n);
    for (let p = 0; p < j; p++) {
      const cp = t.subarray(p * n, (p + 1) * n);
      // −dot · x added is dot · x taken away, exactly.
      addScaled(cj, 0, -dotProduct(cj, cp, n), cp, 0, n);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += cj[i]! ** 2;
    norm = Math.sqrt(norm);
    // A column that collapsed (rank-deficient input) becomes zero rather than noise.
    const inv = norm > 1e-12 ? 1 / norm : 0;
    for (let i = 0; i < n; i++) cj[i]! *= inv;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) a[i * l + j] = t[j * n + i]!;
}

/** a · b over n elements, summed in order (one sum, so the same rounding as the plain loop), four per turn. */
function dotProduct(a: Float64Array, b: Float64Array, n: number): number {
  let dot = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    dot += a[i]! * b[i]!;
    dot += a[i + 1]! * b[i + 1]!;
    dot += a[i + 2]! * b[i + 2]!;
    dot += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) dot += a[i]! * b[i]!;
  return dot;
}

/** Eigen-decomposition of a symmetric n × n matrix by cyclic Jacobi rotations; eigenvalues descending. */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y]! - a[x * n + x]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

/**
 * Top-k left singular vectors and values of `op`. `rowsOnce`: orthonormalise the rows side (rows × l)
 * only at the end, not on every pass. The subspace is the same — the columns side is orthonormalised
 * every pass, and orthonormalising a block's columns does not change what they span — so the result
 * agrees to rounding (1e-10 on a corpus fit), and an operator with many more rows than columns (terms
 * × papers) skips most of the Gram–Schmidt work.
 */
export function randomizedSVD(op: LinearOperator, k: number, options: { seed?: number; oversample?: number; powerIterations?: number; rowsOnce?: boolean } = {}): TruncatedSVD {
  const l = Math.min(k + (options.oversample ?? 10), op.rows, op.cols);
  const normal = gaussian(mulberry32(options.seed ?? 42));
  const omega = new Float64Array(op.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = normal();
  let y = op.multiply(omega, l);
  for (let it = 0; it < (options.powerIterations ?? 4); it++) {
    if (!options.rowsOnce) orthonormalizeColumns(y, op.rows, l);
    const z = op.multiplyTransposed(y, l);
    orthonormalizeColumns(z, op.cols, l);
    y = op.multiply(z, l);
  }
  orthonormalizeColumns(y, op.rows, l);
  // B = Qᵀ A (l × cols), held transposed as Aᵀ Q (cols × l); B Bᵀ = (AᵀQ)ᵀ(AᵀQ) is l × l.
  const bt = op.multiplyTransposed(y, l);
  const gram = new Float64Array(l * l);
  for (let i = 0; i < op.cols; i++) {
    for (let p = 0; p < l; p++) {
      const bip = bt[i * l + p]!;
      if (bip !== 0) addScaled(gram, p * l, bip, bt, i * l, l);
    }
  }
  const { values, vectors } = symmetricEigen(gram, l);
  const kk = Math.min(k, l);
  const u = new Float64Array(op.rows * kk);
  // u = Y · V (V's first kk columns), each sum in the order of p.
  for (let i = 0; i < op.rows; i++) for (let p = 0; p < l; p++) addScaled(u, i * kk, y[i * l + p]!, vectors, p * l, kk);
  const s = new Float64Array(kk);
  for (let j = 0; j < kk; j++) s[j] = Math.sqrt(Math.max(0, values[j]!));
  return { k: kk, u, s };
}

/** Row vectors (n × d, Float32) centred on their mean, as a LinearOperator: its SVD is PCA. */
export function centredDenseOperator(data: Float32Array, n: number, d: number): LinearOperator {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]! / n;
  // Centred once, and held both ways, so both products read rows (the same doubles as centring each time).
  const rows = new Float64Array(n * d);
  const columns = new Float64Array(d * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      const v = data[i * d + c]! - mean[c]!;
      rows[i * d + c] = v;
      columns[c * n + i] = v;
    }
  }
  return {
    rows: n,
    cols: d,
    multiply: (m, l) => timesTransposed(rows, n, d, transposed(m, d, l), l),
    multiplyTransposed: (m, l) => timesTransposed(columns, d, n, transposed(m, n, l), l),
  };
}

/** The r × c block m, transposed (c × r). */
function transposed(m: Float64Array, r: number, c: number): Float64Array {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = m[i * c + j]!;
  return t;
}

/**
 * a · btᵀ for a (rows × len) and bt (l × len): entry (i, j) is a's row i dotted with bt's row j, each
 * sum in order (the plain triple loop's rounding), four of them per pass over a row.
 */
function timesTransposed(a: Float64Array, rows: number, len: number, bt: Float64Array, l: number): Float64Array {
  const out = new Float64Array(rows * l);
  for (let i = 0; i < rows; i++) {
    const at = i * len;
    let j = 0;
    for (; j + 3 < l; j += 4) {
      const b0 = j * len;
      const b1 = b0 + len;
      const b2 = b1 + len;
      const b3 = b2 + len;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < len; k++) {
        const v = a[at + k]!;
        s0 += v * bt[b0 + k]!;
        s1 += v * bt[b1 + k]!;
        s2 += v * bt[b2 + k]!;
        s3 += v * bt[b3 + k]!;
      }
      out[i * l + j] = s0;
      out[i * l + j + 1] = s1;
      out[i * l + j + 2] = s2;
      out[i * l + j + 3] = s3;
    }
    for (; j < l; j++) out[i * l + j] = dotProduct(a.subarray(at, at + len), bt.subarray(j * len, (j + 1) * len), len);
  }
  return out;
}

/**
 * Orthonormalises the columns of an n × l block in place by Cholesky QR, done twice (CholQR2): it
 * reads the block row by row, so it is many times faster than Gram–Schmidt on tall blocks, and the
 * second pass restores the orthogonality the first loses on ill-conditioned input.
 */
export function cholQrColumns(a: Float64Array, n: number, l: number): void {
  const r = new Float64Array(l * l);
  const row = new Float64Array(l);
  for (let pass = 0; pass < 2; pass++) {
    const gram = new Float64Array(l * l);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < l; p++) {
        const x = a[i * l + p]!;
        if (x === 0) continue;
        for (let q = p; q < l; q++) gram[p * l + q]! += x * a[i * l + q]!;
      }
    }
    // Gram = Rᵀ R with R upper triangular; a tiny ridge keeps a rank-deficient block finite.
    let trace = 0;
    for (let p = 0; p < l; p++) trace += gram[p * l + p]!;
    const ridge = (1e-13 * trace) / l || 1e-300;
    r.fill(0);
    for (let p = 0; p < l; p++) {
      let d = gram[p * l + p]! + ridge;
      for (let k = 0; k < p; k++) d -= r[k * l + p]! ** 2;
      const rpp = Math.sqrt(Math.max(d, ridge));
      r[p * l + p] = rpp;
      for (let q = p + 1; q < l; q++) {
        let s = gram[p * l + q]!;
        for (let k = 0; k < p; k++) s -= r[k * l + p]! * r[k * l + q]!;
        r[p * l + q] = s / rpp;
      }
    }
    // Each row ← row · R⁻¹ (forward substitution).
    for (let i = 0; i < n; i++) {
      for (let q = 0; q < l; q++) {
        let s = a[i * l + q]!;
        for (let k = 0; k < q; k++) s -= row[k]! * r[k * l + q]!;
        row[q] = s / r[q * l + q]!;
      }
      a.set(row, i * l);
    }
  }
}

/**
 * The k eigenpairs of largest magnitude of a symmetric matrix (op.multiply only), by randomized
 * subspace iteration and a Rayleigh–Ritz step. Half the work of randomizedSVD on a symmetric matrix,
 * whose eigenvectors are its singular vectors. Deterministic for a given seed.
 */
export function symmetricTopEigen(op: LinearOperator, k: number, options: { seed?: number; oversample?: number; iterations?: number } = {}): { k: number; vectors: Float64Array; values: Float64Array } {
  const n = op.rows;
  const l = Math.min(k + (options.oversample ?? 10), n);
  const normal = gaussian(mulberry32(options.seed ?? 42));
  let q: Float64Array = new Float64Array(n * l);
  for (let i = 0; i < q.length; i++) q[i] = normal();
  cholQrColumns(q, n, l);
  for (let it = 0; it < (options.iterations ?? 4); it++) {
    q = op.multiply(q, l);
    cholQrColumns(q, n, l);
  }
  // Rayleigh–Ritz: eigenpairs of the l × l matrix Qᵀ A Q, lifted back by Q.
  const aq = op.multiply(q, l);
  const small = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < l; p++) {
      const x = q[i * l + p]!;
      if (x === 0) continue;
      for (let c = 0; c < l; c++) small[p * l + c]! += x * aq[i * l + c]!;
    }
  }
  for (let p = 0; p < l; p++) {
    for (let c = p + 1; c < l; c++) small[p * l + c] = small[c * l + p] = (small[p * l + c]! + small[c * l + p]!) / 2;
  }
  const eig = symmetricEigen(small, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => Math.abs(eig.values[y]!) - Math.abs(eig.values[x]!) || x - y);
  const kk = Math.min(k, l);
  const vectors = new Float64Array(n * kk);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < kk; j++) {
      const c = order[j]!;
      let sum = 0;
      for (let p = 0; p < l; p++) sum += q[i * l + p]! * eig.vectors[p * l + c]!;
      vectors[i * kk + j] = sum;
    }
  }
  return { k: kk, vectors, values: Float64Array.from(order.slice(0, kk), (c) => eig.values[c]!) };
}
