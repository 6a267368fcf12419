import { describe, expect, it } from 'vitest';
import { buildGridIndex } from '../../src/math/geometry/grid-index';
import { pointInPolygon, rectanglePolygon, selectInPolygon, selectInPolygonNaive } from '../../src/math/geometry/polygon';
import { gaussian, mulberry32 } from '../../src/math/random';

describe('point in polygon', () => {
  it('a lasso around three points selects those three', () => {
    const coords = Float32Array.from([0, 0, 1, 0, 0.5, 1, 5, 5, -3, 2]);
    const triangle = [-0.5, -0.5, 1.5, -0.5, 0.5, 1.8];
    expect(Array.from(selectInPolygon(buildGridIndex(coords, 5), coords, triangle))).toEqual([0, 1, 2]);
  });

  it('handles a concave (U-shaped) lasso: the notch is outside', () => {
    const u = [0, 0, 3, 0, 3, 3, 2, 3, 2, 1, 1, 1, 1, 3, 0, 3];
    expect(pointInPolygon(0.5, 2, u)).toBe(true);
    expect(pointInPolygon(1.5, 2, u)).toBe(false);
    expect(pointInPolygon(2.5, 2, u)).toBe(true);
  });

  it('selects nothing with fewer than three vertices', () => {
    const coords = Float32Array.from([0, 0]);
    expect(selectInPolygon(buildGridIndex(coords, 1), coords, [0, 0, 1, 1]).length).toBe(0);
  });
});

describe('grid-indexed selection', () => {
  it('puts every point in exactly one cell', () => {
    const normal = gaussian(mulberry32(1));
    const coords = Float32Array.from({ length: 2000 }, normal);
    const index = buildGridIndex(coords, 1000);
    expect(index.cellStart[index.cols * index.rows]).toBe(1000);
    expect(new Set(index.order).size).toBe(1000);
  });

  it('agrees with testing every point, for random lassos over clustered points', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = mulberry32(seed);
      const normal = gaussian(random);
      const n = 3000;
      const coords = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const blob = i % 4;
        coords[2 * i] = blob * 3 + normal();
        coords[2 * i + 1] = (blob % 2) * 4 + normal();
      }
      // A wobbly star-shaped lasso of 5–200 vertices around a random centre.
      const vertices = 5 + Math.floor(random() * 196);
      const cx = random() * 10 - 1, cy = random() * 6 - 1, radius = 0.5 + random() * 5;
      const polygon: number[] = [];
      for (let v = 0; v < vertices; v++) {
        const angle = (2 * Math.PI * v) / vertices;
        const r = radius * (0.4 + 0.6 * random());
        polygon.push(cx + r * Math.cos(angle), cy + r * Math.sin(angle));
      }
      const index = buildGridIndex(coords, n, 1 + Math.floor(random() * 20));
      expect(Array.from(selectInPolygon(index, coords, polygon)), `seed ${seed}`).toEqual(Array.from(selectInPolygonNaive(coords, n, polygon)));
    }
  });

  it('selects exactly the points of a rectangle, including one spanning everything', () => {
    const coords = Float32Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? (i / 2) % 20 : Math.floor(i / 40)));
    const index = buildGridIndex(coords, 200);
    const inner = selectInPolygon(index, coords, rectanglePolygon(2.5, 3.5, 6.5, 5.5));
    expect(inner.length).toBe(4 * 2);
    expect(selectInPolygon(index, coords, rectanglePolygon(-1, -1, 100, 100)).length).toBe(200);
  });
});
