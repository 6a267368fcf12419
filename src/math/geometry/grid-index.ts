/**
 * A uniform grid over the map's points, about eight a cell: what hover and click (the nearest point)
 * and the lasso (the points inside a polygon) search instead of every point. Built once per map.
 */

export interface GridIndex {
  minX: number;
  minY: number;
  cellSize: number;
  cols: number;
  rows: number;
  /** Points of cell c are order[cellStart[c] .. cellStart[c + 1]). */
  cellStart: Uint32Array;
  order: Uint32Array;
}

/** Buckets n points (coords n × 2) into a grid of about `perCell` points per cell. */
export function buildGridIndex(coords: Float32Array, n: number, perCell = 8): GridIndex {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = coords[2 * i]!, y = coords[2 * i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (n === 0) minX = minY = maxX = maxY = 0;
  const side = Math.max(1, Math.min(2048, Math.ceil(Math.sqrt(n / perCell))));
  // A little slack so the maximum falls inside the last cell.
  const cellSize = Math.max(maxX - minX, maxY - minY, 1e-9) / side * (1 + 1e-9);
  const cols = Math.max(1, Math.ceil((maxX - minX) / cellSize) || 1);
  const rows = Math.max(1, Math.ceil((maxY - minY) / cellSize) || 1);
  const cellOf = new Uint32Array(n);
  const counts = new Uint32Array(cols * rows + 1);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(cols - 1, Math.floor((coords[2 * i]! - minX) / cellSize));
    const cy = Math.min(rows - 1, Math.floor((coords[2 * i + 1]! - minY) / cellSize));
    const c = cy * cols + cx;
    cellOf[i] = c;
    counts[c + 1]! += 1;
  }
  const cellStart = new Uint32Array(cols * rows + 1);
  for (let c = 0; c < cols * rows; c++) cellStart[c + 1] = cellStart[c]! + counts[c + 1]!;
  const fill = cellStart.slice(0, cols * rows);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[fill[cellOf[i]!]!++] = i;
  return { minX, minY, cellSize, cols, rows, cellStart, order };
}
