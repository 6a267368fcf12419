/**
 * How much of the map the page's panels cover, as insets from its four edges, and the view that
 * frames points in the free area they leave instead of under the legend or a panel.
 */

export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** [left, top, right, bottom] in the map's pixels. */
export type Rect = [number, number, number, number];

/**
 * Each box is counted against the edge whose inset hides the least of the map: a tall panel at the
 * left is a left inset, a wide bar at the top a top inset, the tool bar at the bottom a bottom one.
 */
export function coveredInsets(boxes: readonly Rect[], width: number, height: number): Insets {
  const insets: Insets = { top: 0, right: 0, bottom: 0, left: 0 };
  for (const [x0, y0, x1, y1] of boxes) {
    if (x1 <= 0 || y1 <= 0 || x0 >= width || y0 >= height || x1 <= x0 || y1 <= y0) continue;
    // Each edge's inset, and the area of the map it gives up (a strip from that edge to the box's far side).
    const options: [keyof Insets, number, number][] = [
      ['left', x1, x1 * height],
      ['right', width - x0, (width - x0) * height],
      ['top', y1, y1 * width],
      ['bottom', height - y0, (height - y0) * width],
    ];
    const [side, depth] = options.reduce((best, o) => (o[2] < best[2] ? o : best));
    insets[side] = Math.max(insets[side], depth);
  }
  return insets;
}

/**
 * The insets of the top bar, the tool bar and the two docks of panels over `map` (see style.css:
 * `.chrome`). A dock counts as one box, the union of its visible panels: on a phone the left dock is a
 * band under the top bar, and its last panel alone, half-way down the screen, would read as a bottom one.
 */
export function panelInsets(map: HTMLElement): Insets {
  const box = map.getBoundingClientRect();
  const rects: Rect[] = [];
  const visible = (node: Element) => node instanceof HTMLElement && node.offsetParent !== null && node.offsetHeight > 0;
  for (const node of document.querySelectorAll('.chrome > *')) {
    const parts = node.classList.contains('dock') ? [...node.children].filter(visible) : visible(node) ? [node] : [];
    if (parts.length === 0) continue;
    const r = parts.map((p) => p.getBoundingClientRect());
    rects.push([Math.min(...r.map((b) => b.left)) - box.left, Math.min(...r.map((b) => b.top)) - box.top, Math.max(...r.map((b) => b.right)) - box.left, Math.max(...r.map((b) => b.bottom)) - box.top]);
  }
  return coveredInsets(rects, box.width, box.height);
}

/**
 * The insets to keep points out of: what the panels cover, unless they leave less than a quarter of a
 * direction (then points are better behind a panel than squeezed into a sliver).
 */
function usableInsets(covered: Insets, width: number, height: number): Insets {
  const [left, right] = covered.left + covered.right > width * 0.75 ? [0, 0] : [covered.left, covered.right];
  const [top, bottom] = covered.top + covered.bottom > height * 0.75 ? [0, 0] : [covered.top, covered.bottom];
  return { top, right, bottom, left };
}

/** The narrowest free band (pixels) a point is moved into: one point needs less room than a framing. */
const REVEAL_MIN_BAND = 40;

/**
 * How far to move the view (in pixels, the way the point must travel reversed) so that a point at
 * (x, y) of a width × height map lies in the free area, FIT_MARGIN inside it; [0, 0] when it already
 * does, or when the panels leave no band to move it into. The paper just opened stays in sight when
 * its details open over it (on a phone, above the sheet they fill).
 */
export function revealShift(x: number, y: number, width: number, height: number, covered: Insets): [number, number] {
  const shift = (at: number, from: number, to: number) => (to - from < REVEAL_MIN_BAND ? 0 : at < from ? at - from : at > to ? at - to : 0);
  return [shift(x, covered.left + FIT_MARGIN, width - covered.right - FIT_MARGIN), shift(y, covered.top + FIT_MARGIN, height - covered.bottom - FIT_MARGIN)];
}

/** Pixels kept clear around the framed points, beyond what the panels cover. */
const FIT_MARGIN = 16;

/** A view that frames some points: its centre (map units) and zoom. */
export interface Framing {
  centre: [number, number];
  zoom: number;
}

/**
 * The view that shows these points (all when null) in the free area of a width × height map whose
 * edges `covered` hides; null when there are no points.
 */
export function framePoints(coords: Float32Array, indices: ArrayLike<number> | null, width: number, height: number, covered: Insets): Framing | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const count = indices ? indices.length : coords.length / 2;
  for (let k = 0; k < count; k++) {
    const i = indices ? indices[k]! : k;
    minX = Math.min(minX, coords[2 * i]!);
    maxX = Math.max(maxX, coords[2 * i]!);
    minY = Math.min(minY, coords[2 * i + 1]!);
    maxY = Math.max(maxY, coords[2 * i + 1]!);
  }
  if (count === 0) return null;
  // A single point or a tight group still gets some context around it.
  const spanX = Math.max(maxX - minX, 0.5);
  const spanY = Math.max(maxY - minY, 0.5);
  const { left, right, top, bottom } = usableInsets(covered, width, height);
  const freeWidth = Math.max(1, width - left - right - 2 * FIT_MARGIN);
  const freeHeight = Math.max(1, height - top - bottom - 2 * FIT_MARGIN);
  const zoom = Math.log2(Math.min(freeWidth / spanX, freeHeight / spanY));
  // The view's target is the window's centre: shift it so the points sit in the middle of the free area.
  const scale = 2 ** zoom;
  const centre: [number, number] = [(minX + maxX) / 2 - (left - right) / 2 / scale, (minY + maxY) / 2 - (top - bottom) / 2 / scale];
  return { centre, zoom };
}
