import { describe, expect, it } from 'vitest';
import { dequantiseRows, quantiseRows } from '../../src/cache/quantise';
import { vectorLoss } from '../support/vector-loss';
import { clusteredUnitVectors } from '../support/synthetic-map';

const DIMS = 384;
/** Clustered unit rows that share one direction, as real embeddings do (largest component ≈ 0.5, like the shipped model's). */
const vectors = clusteredUnitVectors(2000, DIMS, { seed: 7, shared: 17 });

/** What the cache would store without a per-row scale: one fixed step of 1/127 for every row. */
const fixedScale = (v: Float32Array) => Float32Array.from(v, (x) => Math.max(-127, Math.min(127, Math.round(x * 127))) / 127);

/** … and with a per-row scale but not around the mean. */
function notCentred(v: Float32Array, dims: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let at = 0; at < v.length; at += dims) {
    let max = 0;
    for (let c = 0; c < dims; c++) max = Math.max(max, Math.abs(v[at + c]!));
    for (let c = 0; c < dims; c++) out[at + c] = (Math.round((v[at + c]! / max) * 127) * max) / 127;
  }
  return out;
}

describe('int8 rows', () => {
  it('give back every component within half a step of its row scale', () => {
    const q = quantiseRows(vectors, DIMS);
    expect(q.codes).toHaveLength(vectors.length);
    expect(q.scales).toHaveLength(2000);
    const back = dequantiseRows(q);
    let worst = 0; // the largest error, in half-steps of its row's scale
    for (let i = 0; i < 2000; i++) {
      for (let c = 0; c < DIMS; c++) worst = Math.max(worst, Math.abs(back[i * DIMS + c]! - vectors[i * DIMS + c]!) / (q.scales[i]! / 2));
    }
    expect(worst).toBeGreaterThan(0.9);
    expect(worst).toBeLessThanOrEqual(1.0001);
    // The largest component of each row uses the whole range.
    expect(Math.max(...Array.from(q.codes.subarray(0, DIMS), Math.abs))).toBe(127);
  });

  it('keep a zero row (a paper with no known word) as zeros', () => {
    const v = new Float32Array([0, 0, 0, 0.6, -0.8, 0]);
    const q = quantiseRows(v, 3);
    expect(Array.from(q.centre)).toEqual([Math.fround(0.3), Math.fround(-0.4), 0]);
    expect(q.scales[0]).toBe(0);
    expect(Array.from(dequantiseRows(q).subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('keep a row equal to the mean (a one-paper map) as it is', () => {
    const v = new Float32Array([0.6, -0.8]);
    expect(Array.from(dequantiseRows(quantiseRows(v, 2)))).toEqual(Array.from(v));
  });
});

describe('measured loss of stored vectors', () => {
  it('is zero for an exact copy', () => {
    expect(vectorLoss(vectors, vectors.slice(), DIMS, { sample: 20 })).toEqual({ rows: 20, k: 10, maxAbsCosError: 0, meanAbsCosError: 0, topKAgreement: 1 });
  });

  it('sees neighbours lost when rows are mixed up', () => {
    const shuffled = vectors.slice();
    shuffled.set(vectors.subarray(0, 1000 * DIMS), 1000 * DIMS);
    shuffled.set(vectors.subarray(1000 * DIMS), 0);
    expect(vectorLoss(vectors, shuffled, DIMS, { sample: 50 }).topKAgreement).toBeLessThan(0.2);
  });

  // Measured here: mean |Δcos| ≈ 3.6e-4, max ≈ 2.0e-3, top-10 agreement ≈ 0.998. Not centred: mean ≈ 1.1e-3,
  // max ≈ 6.6e-3. On the shipped model's vectors of the shipped corpus (128-d): 4.5e-4, 3.2e-3, 0.992.
  it('of int8 rows is small: cosines within 0.005, mean within 0.001, 98% of the 10 nearest papers kept', () => {
    const loss = vectorLoss(vectors, dequantiseRows(quantiseRows(vectors, DIMS)), DIMS, { sample: 200 });
    expect(loss.rows).toBe(200);
    expect(loss.maxAbsCosError).toBeLessThan(0.005);
    expect(loss.meanAbsCosError).toBeLessThan(0.001);
    expect(loss.topKAgreement).toBeGreaterThanOrEqual(0.98);
  });

  it('fails those bounds without the per-row scale, or not around the mean', () => {
    for (const broken of [fixedScale(vectors), notCentred(vectors, DIMS)]) {
      const loss = vectorLoss(vectors, broken, DIMS, { sample: 200 });
      expect(loss.maxAbsCosError).toBeGreaterThan(0.005);
      expect(loss.meanAbsCosError).toBeGreaterThan(0.001);
    }
  });
});
