import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAP_SPAN, normaliseCoords } from '../../src/math/geometry/normalise';

const extent = (coords: Float32Array) => {
  const xs = coords.filter((_, i) => i % 2 === 0), ys = coords.filter((_, i) => i % 2 === 1);
  return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
};

describe('normalised map coordinates', () => {
  it('centres UMAP-range positions on 0 with the longer side spanning MAP_SPAN', () => {
    const { coords, centre, scale } = normaliseCoords([-20, 5, 10, 1, 0, -3]);
    expect(centre).toEqual([-5, 1]);
    expect(scale).toBeCloseTo(MAP_SPAN / 30);
    const e = extent(coords);
    expect(e.minX).toBeCloseTo(-MAP_SPAN / 2, 4);
    expect(e.maxX).toBeCloseTo(MAP_SPAN / 2, 4);
    // The shorter side keeps the aspect ratio: 8 of 30 units.
    expect(e.maxY - e.minY).toBeCloseTo((MAP_SPAN * 8) / 30, 4);
    expect(e.minY + e.maxY).toBeCloseTo(0, 4);
  });

  it('keeps points 1e-3 apart at 1e6 apart, where float32 itself collapses them', () => {
    const input = new Float64Array([1e6, 1e6, 1e6 + 1e-3, 1e6, 1e6 + 2e-3, 1e6 + 1e-3, 1e6 + 0.5, 1e6 + 0.25]);
    // Without normalising, float32 has one value for all of 1e6 … 1e6 + 0.0625.
    expect(Math.fround(input[0]!)).toBe(Math.fround(input[2]!));
    const { coords } = normaliseCoords(input);
    expect(new Set([coords[0], coords[2], coords[4]]).size).toBe(3);
    // Neighbours stay evenly spaced to float32 precision (relative to the map's span).
    expect(coords[2]! - coords[0]!).toBeCloseTo(coords[4]! - coords[2]!, 4);
    expect(coords[2]! - coords[0]!).toBeCloseTo((1e-3 / 0.5) * MAP_SPAN, 3);
  });

  it('handles longitude/latitude ranges and the far end of float64', () => {
    const geo = normaliseCoords([-180, -90, 180, 90, 2.35, 48.85]);
    expect(extent(geo.coords)).toEqual({ minX: -50, maxX: 50, minY: -25, maxY: 25 });
    const huge = normaliseCoords([-1.7e308, 0, 1.7e308, 1]);
    // (y underflows to ±0 there: + 0 folds −0 into 0 for the comparison)
    expect(Array.from(huge.coords, (v) => v + 0)).toEqual([-50, 0, 50, 0]);
  });

  it('puts one point, or points all in one place, at 0 without NaN', () => {
    expect(Array.from(normaliseCoords([1e6, -3]).coords)).toEqual([0, 0]);
    const same = normaliseCoords([7, 7, 7, 7, 7, 7]);
    expect(Array.from(same.coords)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(same.scale).toBe(1);
    expect(normaliseCoords([]).coords.length).toBe(0);
    // Points on a vertical line: x is constant, y spans the map.
    expect(Array.from(normaliseCoords([3, 0, 3, 10]).coords)).toEqual([0, -50, 0, 50]);
  });

  it('ignores non-finite values for the extent and puts them at 0', () => {
    const { coords } = normaliseCoords([0, 0, NaN, Infinity, 10, 10]);
    expect(Array.from(coords)).toEqual([-50, -50, 0, 0, 50, 50]);
  });

  it('always gives finite coordinates within the span, in the same order along each axis', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(finite, finite), { minLength: 1, maxLength: 40 }), (points) => {
        const { coords } = normaliseCoords(points.flat());
        for (const v of coords) expect(Number.isFinite(v) && Math.abs(v) <= MAP_SPAN / 2 + 1e-3).toBe(true);
        for (let a = 0; a < points.length; a++) {
          for (let b = 0; b < points.length; b++) {
            // Monotone: order along an axis is never reversed (ties may appear only by float32 rounding).
            if (points[a]![0] < points[b]![0]) expect(coords[2 * a]!).toBeLessThanOrEqual(coords[2 * b]!);
            if (points[a]![1] < points[b]![1]) expect(coords[2 * a + 1]!).toBeLessThanOrEqual(coords[2 * b + 1]!);
          }
        }
      }),
    );
  });
});
