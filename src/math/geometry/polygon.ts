/**
 * Selecting the points inside a polygon (a lasso or a rectangle), on the CPU over all points, so the
 * answer does not depend on which points are drawn on top. A uniform grid index sorts points by
 * cell; grid cells are classified by a scanline over cell centres, and only cells an edge passes
 * through have their points tested one by one. Interactive at a million points.
 *
 * Polygons are flat [x0, y0, x1, y1, …] arrays in map coordinates; the last vertex joins the first.
 */
import type { GridIndex } from './grid-index';

/** Even–odd point-in-polygon test (crossing number). */
export function pointInPolygon(x: number, y: number, polygon: ArrayLike<number>): boolean {
  const m = polygon.length / 2;
  let inside = false;
  for (let i = 0, j = m - 1; i < m; j = i++) {
    const xi = polygon[2 * i]!, yi = polygon[2 * i + 1]!;
    const xj = polygon[2 * j]!, yj = polygon[2 * j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Every point, tested one by one: the baseline the index is measured against. */
export function selectInPolygonNaive(coords: Float32Array, n: number, polygon: ArrayLike<number>): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (pointInPolygon(coords[2 * i]!, coords[2 * i + 1]!, polygon)) out.push(i);
  return Uint32Array.from(out);
}

/** Marks the cells the polygon's edges pass through (exactly, row band by row band). */
function boundaryCells(index: GridIndex, polygon: ArrayLike<number>): Uint8Array {
  const { minX, minY, cellSize, cols, rows } = index;
  const marks = new Uint8Array(cols * rows);
  const m = polygon.length / 2;
  const clampCol = (x: number) => Math.max(0, Math.min(cols - 1, Math.floor((x - minX) / cellSize)));
  for (let i = 0, j = m - 1; i < m; j = i++) {
    const x0 = polygon[2 * j]!, y0 = polygon[2 * j + 1]!, x1 = polygon[2 * i]!, y1 = polygon[2 * i + 1]!;
    const rowLo = Math.floor((Math.min(y0, y1) - minY) / cellSize);
    const rowHi = Math.floor((Math.max(y0, y1) - minY) / cellSize);
    for (let r = Math.max(0, rowLo); r <= Math.min(rows - 1, rowHi); r++) {
      // The part of the edge inside this row band, as an x range.
      const bandLo = Math.max(minY + r * cellSize, Math.min(y0, y1));
      const bandHi = Math.min(minY + (r + 1) * cellSize, Math.max(y0, y1));
      const xAt = (y: number) => (y1 === y0 ? x0 : x0 + ((x1 - x0) * (y - y0)) / (y1 - y0));
      const xa = y1 === y0 ? Math.min(x0, x1) : xAt(bandLo);
      const xb = y1 === y0 ? Math.max(x0, x1) : xAt(bandHi);
      const c0 = clampCol(Math.min(xa, xb));
      const c1 = clampCol(Math.max(xa, xb));
      for (let c = c0; c <= c1; c++) marks[r * cols + c] = 1;
    }
  }
  return marks;
}

/** Indices of the points inside the polygon, ascending. */
export function selectInPolygon(index: GridIndex, coords: Float32Array, polygon: ArrayLike<number>): Uint32Array {
  const { minX, minY, cellSize, cols, rows, cellStart, order } = index;
  if (polygon.length < 6) return new Uint32Array(0);
  const boundary = boundaryCells(index, polygon);
  const selected = new Uint8Array(order.length);
  const m = polygon.length / 2;
  const crossings: number[] = [];
  let pyMin = Infinity, pyMax = -Infinity;
  for (let i = 0; i < m; i++) {
    pyMin = Math.min(pyMin, polygon[2 * i + 1]!);
    pyMax = Math.max(pyMax, polygon[2 * i + 1]!);
  }
  const r0 = Math.max(0, Math.floor((pyMin - minY) / cellSize));
  const r1 = Math.min(rows - 1, Math.floor((pyMax - minY) / cellSize));
  for (let r = r0; r <= r1; r++) {
    // Scanline through the row's cell centres: the polygon's interior is between crossing pairs.
    const y = minY + (r + 0.5) * cellSize;
    crossings.length = 0;
    for (let i = 0, j = m - 1; i < m; j = i++) {
      const xi = polygon[2 * i]!, yi = polygon[2 * i + 1]!, xj = polygon[2 * j]!, yj = polygon[2 * j + 1]!;
      if (yi > y !== yj > y) crossings.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
    }
    crossings.sort((a, b) => a - b);
    let next = 0;
    let inside = false;
    for (let c = 0; c < cols; c++) {
      const x = minX + (c + 0.5) * cellSize;
      while (next < crossings.length && crossings[next]! < x) {
        inside = !inside;
        next++;
      }
      const cell = r * cols + c;
      const start = cellStart[cell]!, end = cellStart[cell + 1]!;
      if (start === end) continue;
      if (boundary[cell]) {
        for (let k = start; k < end; k++) {
          const p = order[k]!;
          if (pointInPolygon(coords[2 * p]!, coords[2 * p + 1]!, polygon)) selected[p] = 1;
        }
        continue;
      }
      // No edge crosses this cell: its centre decides for all its points.
      if (inside) for (let k = start; k < end; k++) selected[order[k]!] = 1;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < selected.length; i++) if (selected[i]) out.push(i);
  return Uint32Array.from(out);
}

/** The polygon of an axis-aligned rectangle given by two opposite corners. */
export function rectanglePolygon(x0: number, y0: number, x1: number, y1: number): number[] {
  return [x0, y0, x1, y0, x1, y1, x0, y1];
}
