/**
 * Which point is under the pointer, answered on the CPU from the lasso's grid index: the point whose
 * centre is nearest within a radius. deck.gl's GPU picking would draw every point again into a
 * picking buffer and read it back on each pointer move, stalling the page on a million points;
 * this looks at the few grid cells around the pointer.
 */
import type { GridIndex } from '../math/geometry/grid-index';

/**
 * The nearest point to (x, y) within `radius` (map units), or null. Points for which `shown(i)` is
 * false are skipped. Of points at the same distance the last one wins, as it is drawn on top.
 */
export function nearestPoint(index: GridIndex, coords: Float32Array, x: number, y: number, radius: number, shown: ((i: number) => boolean) | null = null): number | null {
  const { minX, minY, cellSize, cols, rows, cellStart, order } = index;
  const c0 = Math.max(0, Math.floor((x - radius - minX) / cellSize));
  const c1 = Math.min(cols - 1, Math.floor((x + radius - minX) / cellSize));
  const r0 = Math.max(0, Math.floor((y - radius - minY) / cellSize));
  const r1 = Math.min(rows - 1, Math.floor((y + radius - minY) / cellSize));
  let best: number | null = null;
  let bestDistance = radius * radius;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const cell = r * cols + c;
      for (let k = cellStart[cell]!; k < cellStart[cell + 1]!; k++) {
        const i = order[k]!;
        const dx = coords[2 * i]! - x, dy = coords[2 * i + 1]! - y;
        const d = dx * dx + dy * dy;
        if (d > bestDistance || (d === bestDistance && best !== null && i < best)) continue;
        if (shown && !shown(i)) continue;
        best = i;
        bestDistance = d;
      }
    }
  }
  return best;
}
