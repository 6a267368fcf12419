/**
 * The pure halves of the WebGPU kNN search: how the work is cut up, and how the per-part neighbour
 * lists read back from the GPU merge into one list per row. The GPU half is in test/browser/gpu-knn.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY, mergePartLists, planKnn, type KnnPlan, type PartLists } from '../../src/math/knn/webgpu-plan';

const GIB = 2 ** 30;
const limits = (maxBindingBytes = GIB) => ({ maxBindingBytes, maxWorkgroupsPerDimension: 65_535 });

/** Every candidate of every slab is swept by exactly one part, in steps that cover the part. */
function expectCoversEveryCandidate(plan: KnnPlan, n: number): void {
  const swept = new Uint8Array(n);
  plan.slabs.forEach((slab, s) => {
    const steps = plan.steps.filter((step) => step.slab === s);
    expect(steps[0]?.fresh).toBe(true);
    expect(steps.slice(1).every((step) => !step.fresh)).toBe(true);
    for (let part = 0; part < slab.parts; part++) {
      const start = part * plan.partRows;
      const end = Math.min(slab.rows, start + plan.partRows);
      for (const step of steps) {
        for (let c = start + step.from; c < Math.min(end, start + step.to); c++) swept[slab.start + c]!++;
      }
    }
  });
  expect(swept.every((times) => times === 1)).toBe(true);
}

describe('planning the GPU kNN work', () => {
  it('keeps a small set in one slab, one chunk and one step', () => {
    const plan = planKnn(1000, 128, 15, limits());
    expect(plan.slabs).toEqual([{ start: 0, rows: 1000, parts: plan.parts, partBase: 0 }]);
    expect(plan.chunkRows).toBe(1024);
    expect(plan.steps).toHaveLength(1);
    expectCoversEveryCandidate(plan, 1000);
  });

  it('cuts the vectors into slabs that each fit one storage binding', () => {
    const d = 384;
    const maxBindingBytes = 128 * 2 ** 20;
    const n = 1_000_000;
    const plan = planKnn(n, d, 15, limits(maxBindingBytes));
    expect(plan.slabs.length).toBeGreaterThan(1);
    for (const slab of plan.slabs) expect(slab.rows * d * 4).toBeLessThanOrEqual(maxBindingBytes);
    expect(plan.slabs.reduce((sum, slab) => sum + slab.rows, 0)).toBe(n);
    expect(plan.outputBytes).toBeLessThanOrEqual(maxBindingBytes);
    expectCoversEveryCandidate(plan, n);
  });

  it('keeps every dispatch short, whatever the size', () => {
    for (const [n, d] of [[1_000_000, 384], [200_000, 768], [5000, 64]] as const) {
      const plan = planKnn(n, d, 15, limits());
      const mostParts = Math.max(...plan.slabs.map((slab) => slab.parts));
      // Multiply-adds of one dispatch: its query rows × the candidates its parts sweep × d.
      expect(plan.chunkRows * mostParts * plan.stepRows * d).toBeLessThanOrEqual(2 ** 30);
      expectCoversEveryCandidate(plan, n);
    }
  });

  it('takes the sizes tests ask for', () => {
    const plan = planKnn(300, 40, 12, limits(), { slabRows: 128, chunkRows: 64, partRows: 48, stepRows: 16 });
    expect(plan.slabs.map((slab) => [slab.start, slab.rows, slab.parts, slab.partBase])).toEqual([[0, 128, 3, 0], [128, 128, 3, 3], [256, 44, 1, 6]]);
    expect(plan.parts).toBe(7);
    expect(plan.steps).toHaveLength(3 + 3 + 3);
    expect(plan.outputBytes).toBe(7 * 64 * 11 * 4);
    expectCoversEveryCandidate(plan, 300);
  });
});

/** Lists for one row of `rows`, from per-part arrays of [index, distance] pairs padded with EMPTY. */
function partLists(kOthers: number, rows: number, row: number, parts: [number, number][][]): PartLists {
  const distances = new Float32Array(parts.length * rows * kOthers).fill(3e38);
  const indices = new Uint32Array(parts.length * rows * kOthers).fill(EMPTY);
  parts.forEach((list, p) => list.forEach(([index, dist], s) => {
    distances[(p * rows + row) * kOthers + s] = dist;
    indices[(p * rows + row) * kOthers + s] = index;
  }));
  return { parts: parts.length, rows, kOthers, distances, indices };
}

describe('merging the per-part neighbour lists', () => {
  it('takes the nearest of all parts, in order', () => {
    const lists = partLists(3, 2, 1, [[[4, 0.1], [9, 0.5], [2, 0.7]], [[12, 0.2], [15, 0.3], [11, 0.9]]]);
    const indices = new Int32Array(5);
    const distances = new Float32Array(5);
    expect(mergePartLists(lists, 1, indices, distances, 1)).toBe(3);
    expect([...indices]).toEqual([0, 4, 12, 15, 0]);
    expect([...distances].map((x) => Math.round(x * 10) / 10)).toEqual([0, 0.1, 0.2, 0.3, 0]);
  });

  it('breaks ties by the lower index, as one pass in index order does', () => {
    const lists = partLists(2, 1, 0, [[[30, 0.5], [31, 0.5]], [[3, 0.5], [4, 0.5]]]);
    const indices = new Int32Array(2);
    mergePartLists(lists, 0, indices, new Float32Array(2), 0);
    expect([...indices]).toEqual([3, 4]);
  });

  it('skips empty slots and clamps rounding below zero to zero', () => {
    const lists = partLists(3, 1, 0, [[[7, -1e-7]], [], [[8, 0.4], [9, 0.6]]]);
    const indices = new Int32Array(3);
    const distances = new Float32Array(3);
    expect(mergePartLists(lists, 0, indices, distances, 0)).toBe(3);
    expect([...indices]).toEqual([7, 8, 9]);
    expect(distances[0]).toBe(0);
  });

  it('says so when the parts hold fewer candidates than asked for', () => {
    const lists = partLists(3, 1, 0, [[[1, 0.2]], [[2, 0.3]]]);
    expect(mergePartLists(lists, 0, new Int32Array(3), new Float32Array(3), 0)).toBe(2);
  });
});
