/**
 * How much of the map the page's panels cover, as insets from its four edges, so a fit frames the
 * points in the free area instead of under the legend or a panel.
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
