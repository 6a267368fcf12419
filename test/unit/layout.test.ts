import { describe, expect, it } from 'vitest';
import { exactCosineKnn } from '../../src/math/knn/knn';
import { createLayout, pcaInit } from '../../src/math/layout/layout';
import { gaussian, mulberry32 } from '../../src/math/random';

/** Three groups of unit vectors around three orthogonal directions in 16 dimensions. */
function groups(perGroup: number): Float32Array {
  const normal = gaussian(mulberry32(5));
  const d = 16;
  const out = new Float32Array(3 * perGroup * d);
  for (let g = 0; g < 3; g++) {
    for (let i = 0; i < perGroup; i++) {
      const row = (g * perGroup + i) * d;
      for (let c = 0; c < d; c++) out[row + c] = (c === g ? 3 : 0) + normal() * 0.3;
      const norm = Math.hypot(...out.slice(row, row + d));
      for (let c = 0; c < d; c++) out[row + c]! /= norm;
    }
  }
  return out;
}

function run(vectors: Float32Array, n: number, seed: number) {
  const knn = exactCosineKnn(vectors, n, 16, 15);
  const layout = createLayout(vectors, n, 16, knn, { nNeighbors: 15, minDist: 0.1, nEpochs: 200, seed });
  let steps = 0;
  while (layout.step() < layout.epochs) steps++;
  return { coords: layout.coords(), steps, epochs: layout.epochs };
}

describe('UMAP layout on a precomputed kNN graph', () => {
  const n = 90;
  const vectors = groups(30);

  it('steps epoch by epoch to the end', () => {
    const { steps, epochs } = run(vectors, n, 1);
    expect(epochs).toBe(200);
    expect(steps).toBe(199);
  });

  it('gives the same layout for the same seed and a different one for another seed', () => {
    const a = run(vectors, n, 1).coords;
    expect(run(vectors, n, 1).coords).toEqual(a);
    expect(run(vectors, n, 2).coords).not.toEqual(a);
  });

  it('keeps groups apart: every point is closer to its own group centre than to another', () => {
    const { coords } = run(vectors, n, 1);
    const centre = (g: number) => {
      let x = 0, y = 0;
      for (let i = g * 30; i < g * 30 + 30; i++) { x += coords[2 * i]!; y += coords[2 * i + 1]!; }
      return [x / 30, y / 30] as const;
    };
    const centres = [0, 1, 2].map(centre);
    for (let i = 0; i < n; i++) {
      const own = Math.floor(i / 30);
      const dist = centres.map(([x, y]) => Math.hypot(coords[2 * i]! - x, coords[2 * i + 1]! - y));
      expect(dist.indexOf(Math.min(...dist))).toBe(own);
    }
  });

  it('starts from a PCA that already separates the groups, scaled to ±10', () => {
    const init = pcaInit(vectors, n, 16, 1);
    const maxAbs = Math.max(...Array.from(init, Math.abs));
    expect(maxAbs).toBeCloseTo(10, 4);
  });
});
