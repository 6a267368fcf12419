import { describe, expect, it } from 'vitest';
import { exactCosineKnn, l2NormalizeRows } from '../../src/math/knn/knn';
import { densityClusters, neighbourScale } from '../../src/math/topics/clusters';
import { extractTerms, topicTerms } from '../../src/math/topics/labels';
import { centredDenseOperator, cholQrColumns, orthonormalizeColumns, randomizedSVD, symmetricEigen, symmetricTopEigen, type LinearOperator } from '../../src/math/linalg/svd';
import { sparseColumnsOperator, sparseRowsOperator } from '../../src/math/linalg/sparse';
import { addScaled } from '../../src/math/linalg/add-scaled';
import { gaussian, mulberry32 } from '../../src/math/random';

function normalise(rows: number[][]): Float32Array {
  return Float32Array.from(rows.flatMap((r) => {
    const norm = Math.hypot(...r);
    return r.map((v) => v / norm);
  }));
}

/** Points scattered around the given centres: `perBlob` each, seeded. */
function blobs(centres: [number, number][], perBlob: number, spread: number, seed = 1): Float32Array {
  const normal = gaussian(mulberry32(seed));
  const out: number[] = [];
  for (const [cx, cy] of centres) for (let i = 0; i < perBlob; i++) out.push(cx + normal() * spread, cy + normal() * spread);
  return Float32Array.from(out);
}

describe('l2NormalizeRows', () => {
  it('scales each row to unit length and leaves a zero row at zero', () => {
    const out = l2NormalizeRows(Float32Array.from([3, 4, 0, 0, 0, -2]), 2);
    expect(Array.from(out)).toEqual([0.6000000238418579, 0.800000011920929, 0, 0, 0, -1]);
  });
});

describe('exact cosine kNN', () => {
  it('lists each point first, then its neighbours by angle', () => {
    const v = normalise([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [-1, 0]]);
    const knn = exactCosineKnn(v, 5, 2, 3);
    expect(Array.from(knn.indices.slice(0, 3))).toEqual([0, 1, 3]);
    expect(Array.from(knn.indices.slice(6, 9))).toEqual([2, 3, 1]);
    expect(knn.distances[0]).toBe(0);
    expect(knn.distances[1]!).toBeLessThan(knn.distances[2]!);
  });

  it('matches a brute-force sort on random vectors across block boundaries', () => {
    const n = 150, d = 8, k = 6;
    const random = gaussian(mulberry32(3));
    const v = normalise(Array.from({ length: n }, () => Array.from({ length: d }, random)));
    const knn = exactCosineKnn(v, n, d, k);
    for (const i of [0, 63, 64, 149]) {
      const dist = (j: number) => 1 - Array.from({ length: d }, (_, c) => v[i * d + c]! * v[j * d + c]!).reduce((a, b) => a + b);
      const expected = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).sort((a, b) => dist(a) - dist(b)).slice(0, k - 1);
      expect(Array.from(knn.indices.slice(i * k + 1, i * k + k))).toEqual(expected);
    }
  });
});

describe('density clusters', () => {
  it('finds three well separated blobs without being told how many', () => {
    const coords = blobs([[0, 0], [10, 0], [5, 9]], 40, 0.8);
    const labels = densityClusters(coords, 120);
    const found = new Set(labels);
    expect(found.size).toBe(3);
    for (let b = 0; b < 3; b++) {
      const ids = new Set(Array.from(labels.slice(b * 40, b * 40 + 40)));
      expect(ids.size).toBe(1);
    }
  });

  it('keeps one blob as one cluster', () => {
    const labels = densityClusters(blobs([[0, 0]], 100, 1), 100);
    expect(new Set(labels)).toEqual(new Set([0]));
  });

  it('numbers clusters by size, largest first, and marks tiny groups as noise', () => {
    const big = blobs([[0, 0]], 60, 0.5, 2);
    const small = blobs([[20, 20]], 20, 0.5, 3);
    const lone = Float32Array.from([-20, 20, -20, 20.1]);
    const coords = Float32Array.from([...small, ...big, ...lone]);
    const labels = densityClusters(coords, 82);
    expect(labels[20]).toBe(0);
    expect(labels[0]).toBe(1);
    expect(labels[80]).toBe(-1);
  });

  it('measures the map\'s scale exactly as sorting every distance would (ties, duplicates and huge maps included)', () => {
    // The definition: on an evenly strided sample of m ≤ 2,000 points, the median over points of the
    // kk-th smallest distance to the sample (itself first), kk = k·m/n rounded, corrected by √(k·m/(n·kk)).
    const bySorting = (coords: Float32Array, n: number, k: number) => {
      const m = Math.min(n, 2000);
      const kk = Math.max(1, Math.min(m - 1, Math.round((k * m) / n)));
      const sample = Array.from({ length: m }, (_, i) => Math.floor((i * n) / m));
      const kth = Float64Array.from(sample, (a) => Float64Array.from(sample, (b) => Math.hypot(coords[2 * a]! - coords[2 * b]!, coords[2 * a + 1]! - coords[2 * b + 1]!)).sort()[kk]!);
      return kth.sort()[Math.floor(m / 2)]! * Math.sqrt((k * m) / (n * kk));
    };
    const random = mulberry32(5);
    const grid = (n: number) => Float32Array.from({ length: 2 * n }, (_, j) => (j % 2 ? Math.floor(j / 2 / 17) : (j / 2) % 17));
    const duplicates = (n: number) => Float32Array.from({ length: 2 * n }, () => Math.floor(random() * 5) * 0.1);
    for (const [coords, n] of [[blobs([[0, 0], [9, 2]], 168, 1, 4), 336], [grid(2001), 2001], [duplicates(700), 700], [blobs([[0, 0], [5, 5], [9, 1]], 4000, 2, 6), 12000]] as const) {
      for (const k of [1, 10, 200]) expect(neighbourScale(coords, n, Math.min(k, n - 1))).toBe(bySorting(coords, n, Math.min(k, n - 1)));
    }
  });

  it('is deterministic', () => {
    const coords = blobs([[0, 0], [6, 1], [3, 7]], 50, 1.5, 9);
    expect(densityClusters(coords, 150)).toEqual(densityClusters(coords, 150));
  });
});

describe('topic labels', () => {
  it('drops stop words and boilerplate and forms two-word phrases', () => {
    expect(extractTerms('We propose a novel diffusion model for image synthesis.')).toEqual([
      'diffusion',
      'image',
      'synthesis',
      'image synthesis',
    ]);
  });

  it('names each cluster by what sets it apart from the others', () => {
    const texts = [
      'Graph neural networks for molecule property prediction.',
      'Message passing graph neural networks on molecules.',
      'Graph neural networks scale to large molecule sets.',
      'Diffusion models for image generation.',
      'Faster sampling for diffusion models in image generation.',
      'Guidance in diffusion models improves image generation.',
    ];
    const topics = Int32Array.from([0, 0, 0, 1, 1, 1]);
    const [graphs, images] = topicTerms(texts, topics);
    expect(graphs!.size).toBe(3);
    expect(graphs!.terms[0]).toMatch(/graph|neural|molecule/);
    expect(graphs!.label).toMatch(/graph neural|neural networks/);
    expect(images!.label).toMatch(/diffusion|image generation/);
    expect(images!.terms).not.toContain('graph');
  });
});

describe('truncated SVD', () => {
  it('finds the eigenvalues of a symmetric matrix', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
    expect(Array.from(values).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([5, 3, 1]);
  });

  it('adds a scaled vector as the plain loop does, bit for bit, at every length and offset', () => {
    const random = mulberry32(21);
    const values = (length: number) => Array.from({ length }, () => random() - 0.5);
    for (const make of [(v: number[]) => Float64Array.from(v), (v: number[]) => Float32Array.from(v)]) {
      for (let length = 0; length <= 19; length++) {
        const x = make(values(length + 5));
        const out = make(values(length + 3));
        const plain = out.slice();
        const v = random() * 3 - 1.5;
        for (let j = 0; j < length; j++) plain[2 + j]! += v * x[4 + j]!;
        addScaled(out, 2, v, x, 4, length);
        expect(Array.from(out)).toEqual(Array.from(plain));
      }
    }
  });

  it('orthonormalises columns exactly as plain modified Gram–Schmidt does (the model\'s recipe depends on it)', () => {
    const random = mulberry32(5);
    const plainGramSchmidt = (a: Float64Array, n: number, l: number) => {
      const col = (j: number) => Float64Array.from({ length: n }, (_, i) => a[i * l + j]!);
      const cols = Array.from({ length: l }, (_, j) => col(j));
      cols.forEach((cj, j) => {
        for (let p = 0; p < j; p++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += cj[i]! * cols[p]![i]!;
          for (let i = 0; i < n; i++) cj[i]! -= dot * cols[p]![i]!;
        }
        let norm = 0;
        for (let i = 0; i < n; i++) norm += cj[i]! ** 2;
        norm = Math.sqrt(norm);
        for (let i = 0; i < n; i++) cj[i]! *= norm > 1e-12 ? 1 / norm : 0;
      });
      return Float64Array.from({ length: n * l }, (_, k) => cols[k % l]![Math.floor(k / l)]!);
    };
    for (const [n, l] of [[7, 3], [64, 9], [301, 13]] as const) {
      const a = Float64Array.from({ length: n * l }, () => random() - 0.5);
      const expected = plainGramSchmidt(a, n, l);
      orthonormalizeColumns(a, n, l);
      expect(Array.from(a)).toEqual(Array.from(expected));
    }
  });

  it('gives the same products and SVD from a sparse matrix held by columns or by rows as plain loops over its rows, bit for bit', () => {
    const random = mulberry32(8);
    const [rows, cols] = [900, 250];
    // Columns (papers) of a few rows (terms) each, ascending, rows skewed towards the first as term frequencies are.
    const columns = Array.from({ length: cols }, () => {
      const at = [...new Set(Array.from({ length: 20 }, () => Math.floor(random() ** 2 * rows)))].sort((a, b) => a - b);
      return { rows: Int32Array.from(at), values: Float64Array.from(at, () => random()) };
    });
    const byRow = Array.from({ length: rows }, () => ({ cols: [] as number[], values: [] as number[] }));
    columns.forEach((column, c) => column.rows.forEach((r, e) => (byRow[r]!.cols.push(c), byRow[r]!.values.push(column.values[e]!))));
    const byColumns = sparseColumnsOperator(columns, rows);
    // The products as plain loops over the rows: how the fit took them before it held its matrix by paper.
    const rowLists = byRow.map((r) => ({ cols: Int32Array.from(r.cols), values: Float64Array.from(r.values) }));
    const byRows: LinearOperator = {
      rows,
      cols,
      multiply(m, l) {
        const out = new Float64Array(rows * l);
        rowLists.forEach((row, i) => row.cols.forEach((c, e) => { for (let j = 0; j < l; j++) out[i * l + j]! += row.values[e]! * m[c * l + j]!; }));
        return out;
      },
      multiplyTransposed(m, l) {
        const out = new Float64Array(cols * l);
        rowLists.forEach((row, i) => row.cols.forEach((c, e) => { for (let j = 0; j < l; j++) out[c * l + j]! += row.values[e]! * m[i * l + j]!; }));
        return out;
      },
    };
    const asRows = sparseRowsOperator(rowLists, cols);
    for (const l of [1, 7, 8, 74]) {
      const right = Float64Array.from({ length: cols * l }, () => random() - 0.5);
      const left = Float64Array.from({ length: rows * l }, () => random() - 0.5);
      expect(Array.from(byColumns.multiply(right, l))).toEqual(Array.from(byRows.multiply(right, l)));
      expect(Array.from(byColumns.multiplyTransposed(left, l))).toEqual(Array.from(byRows.multiplyTransposed(left, l)));
      expect(Array.from(asRows.multiply(right, l))).toEqual(Array.from(byRows.multiply(right, l)));
      expect(Array.from(asRows.multiplyTransposed(left, l))).toEqual(Array.from(byRows.multiplyTransposed(left, l)));
    }
    const a = randomizedSVD(byColumns, 16, { seed: 2, rowsOnce: true });
    const b = randomizedSVD(byRows, 16, { seed: 2, rowsOnce: true });
    expect(Array.from(a.u)).toEqual(Array.from(b.u));
    expect(Array.from(a.s)).toEqual(Array.from(b.s));
  });

  it('gives the products of centred dense rows (the layout\'s PCA start) as plain loops do, bit for bit', () => {
    const random = mulberry32(9);
    const [n, d] = [131, 37];
    const data = Float32Array.from({ length: n * d }, () => random() * 2 - 1);
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c]! += data[i * d + c]! / n;
    const op = centredDenseOperator(data, n, d);
    for (const l of [1, 3, 4, 7, 12]) {
      const right = Float64Array.from({ length: d * l }, () => random() - 0.5);
      const left = Float64Array.from({ length: n * l }, () => random() - 0.5);
      const product = new Float64Array(n * l);
      const transposedProduct = new Float64Array(d * l);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < d; c++) {
          const v = data[i * d + c]! - mean[c]!;
          for (let j = 0; j < l; j++) product[i * l + j]! += v * right[c * l + j]!;
          for (let j = 0; j < l; j++) transposedProduct[c * l + j]! += v * left[i * l + j]!;
        }
      }
      expect(Array.from(op.multiply(right, l))).toEqual(Array.from(product));
      expect(Array.from(op.multiplyTransposed(left, l))).toEqual(Array.from(transposedProduct));
    }
  });

  it('recovers the singular values of a known low-rank sparse matrix', () => {
    // diag(5, 3, 1) padded with zero rows: singular values 5, 3, 1.
    const rows = [
      { cols: Int32Array.from([0]), values: Float64Array.from([5]) },
      { cols: Int32Array.from([1]), values: Float64Array.from([3]) },
      { cols: Int32Array.from([2]), values: Float64Array.from([1]) },
      { cols: new Int32Array(), values: new Float64Array() },
    ];
    const { s, u, k } = randomizedSVD(sparseRowsOperator(rows, 3), 2, { seed: 1 });
    expect(k).toBe(2);
    expect(s[0]).toBeCloseTo(5, 6);
    expect(s[1]).toBeCloseTo(3, 6);
    expect(Math.abs(u[0 * k + 0]!)).toBeCloseTo(1, 6);
    expect(Math.abs(u[1 * k + 1]!)).toBeCloseTo(1, 6);
  });

  it('gives the same singular vectors when the rows side is orthonormalised only at the end (tall, wide and rank-deficient operators)', () => {
    const random = mulberry32(11);
    // A sparse term × document-like matrix: each row a few random columns; `rank` distinct rows repeated when given.
    const sparse = (rows: number, cols: number, perRow: number, rank = rows) => {
      const distinct = Array.from({ length: rank }, () => {
        const at = [...new Set(Array.from({ length: perRow }, () => Math.floor(random() * cols)))].sort((a, b) => a - b);
        return { cols: Int32Array.from(at), values: Float64Array.from(at, () => random()) };
      });
      return sparseRowsOperator(Array.from({ length: rows }, (_, i) => distinct[i % rank]!), cols);
    };
    for (const [op, k] of [[sparse(3000, 300, 12), 20], [sparse(200, 1500, 30), 16], [sparse(500, 400, 8, 10), 16]] as const) {
      const every = randomizedSVD(op, k, { seed: 4 });
      const once = randomizedSVD(op, k, { seed: 4, rowsOnce: true });
      expect(once.k).toBe(every.k);
      for (let j = 0; j < every.k; j++) expect(once.s[j]).toBeCloseTo(every.s[j]!, 8);
      // Directions whose singular value is well above zero agree (those of a rank-deficient operator's null space are arbitrary).
      for (let j = 0; j < every.k; j++) {
        if (every.s[j]! < 1e-6 * every.s[0]!) continue;
        let dot = 0;
        for (let i = 0; i < op.rows; i++) dot += every.u[i * every.k + j]! * once.u[i * once.k + j]!;
        expect(Math.abs(dot)).toBeCloseTo(1, 9);
      }
    }
  });

  it('orthonormalises the columns of a tall block by Cholesky QR', () => {
    const n = 200;
    const l = 5;
    const random = mulberry32(5);
    const a = Float64Array.from({ length: n * l }, (_, i) => random() + (i % l === 0 ? 3 : 0));
    cholQrColumns(a, n, l);
    for (let p = 0; p < l; p++) {
      for (let q = 0; q < l; q++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += a[i * l + p]! * a[i * l + q]!;
        expect(dot).toBeCloseTo(p === q ? 1 : 0, 9);
      }
    }
  });

  it('finds the largest-magnitude eigenpairs of a symmetric sparse matrix, negative ones too', () => {
    // diag(4, -6, 1, 0.5): by magnitude -6, then 4.
    const diag = [4, -6, 1, 0.5];
    const rows = diag.map((v, i) => ({ cols: Int32Array.from([i]), values: Float64Array.from([v]) }));
    const { k, values, vectors } = symmetricTopEigen(sparseRowsOperator(rows, 4), 2, { seed: 3, oversample: 2 });
    expect(k).toBe(2);
    expect(values[0]).toBeCloseTo(-6, 9);
    expect(values[1]).toBeCloseTo(4, 9);
    expect(Math.abs(vectors[1 * k + 0]!)).toBeCloseTo(1, 9);
    expect(Math.abs(vectors[0 * k + 1]!)).toBeCloseTo(1, 9);
  });
});

describe('trustworthiness', () => {
  it('is 1 for a layout that keeps every neighbourhood, and lower for a shuffled one', async () => {
    const { trustworthiness } = await import('../../scripts/lib/eval/quality');
    const random = mulberry32(4);
    const n = 60;
    const line = Float32Array.from({ length: n }, (_, i) => i);
    const identity = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? i / 2 : 0));
    expect(trustworthiness(line, 1, identity, 2, n, 5)).toBeCloseTo(1, 10);
    const shuffled = Float32Array.from({ length: 2 * n }, () => random());
    const t = trustworthiness(line, 1, shuffled, 2, n, 5);
    expect(t).toBeLessThan(0.75);
    expect(t).toBeGreaterThan(0.3);
  });
});
