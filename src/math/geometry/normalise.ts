/**
 * Map coordinates as the map uses them: centred on 0, the longer side spanning MAP_SPAN units,
 * whatever came in (UMAP's ±20, a file's 1e6 + small offsets, longitudes and latitudes). WebGL
 * positions are float32, about 7 significant digits: far from 0, points 1e-3 apart at 1e6 fall onto
 * one value and no zoom pulls them apart again. The arithmetic is done in float64, before the cast.
 */

/** Map units across the longer side of every map (UMAP's own range is of this order). */
export const MAP_SPAN = 100;

export interface NormalisedCoords {
  /** n × 2, centred on 0, longer side MAP_SPAN (or 0 when all points coincide). */
  coords: Float32Array;
  /** An input position p is at (p − centre) × scale. */
  centre: [number, number];
  scale: number;
}

/**
 * Centres and scales n × 2 positions (flat x0, y0, x1, y1, …). Non-finite values do not count
 * towards the extent and come out at 0; a single point, or points all in one place, come out at 0.
 */
export function normaliseCoords(input: ArrayLike<number>): NormalisedCoords {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i + 1 < input.length; i += 2) {
    const x = input[i]!, y = input[i + 1]!;
    if (Number.isFinite(x)) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
    if (Number.isFinite(y)) {
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  // Halves first, so that neither the centre nor the extent overflows (points near ±1.7e308).
  const half = (lo: number, hi: number) => (Number.isFinite(lo) ? hi / 2 - lo / 2 : 0);
  const centre: [number, number] = [Number.isFinite(minX) ? minX / 2 + maxX / 2 : 0, Number.isFinite(minY) ? minY / 2 + maxY / 2 : 0];
  const halfExtent = Math.max(half(minX, maxX), half(minY, maxY));
  // One point, or all in one place: nothing to scale.
  const scale = halfExtent > 0 ? MAP_SPAN / 2 / halfExtent : 1;
  const coords = new Float32Array(input.length - (input.length % 2));
  for (let i = 0; i < coords.length; i++) {
    const value = (input[i]! - centre[i % 2]!) * scale;
    coords[i] = Number.isFinite(value) ? value : 0;
  }
  return { coords, centre, scale };
}
