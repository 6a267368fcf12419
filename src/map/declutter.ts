/**
 * Label placement without overlap: the most important labels first, each kept only if its box
 * (plus a margin) touches no box already kept. Greedy, O(labels²): maps show tens of labels.
 *
 * A label may offer smaller sizes (a smaller font, a shorter text). Then every label is first placed
 * at its smallest, so that as many as possible find room, and then each, most important first, grows
 * back to the largest size that still touches nothing.
 */
export interface LabelCandidate {
  key: string;
  /** Anchor on screen (CSS pixels); the box is centred on it when there is room. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Higher is placed first (e.g. topic size). */
  priority: number;
  /** Smaller sizes to fall back to, largest first. */
  smaller?: { width: number; height: number }[];
}

export type Box = [x0: number, y0: number, x1: number, y1: number];

/** A kept label: its box, and which size it got (0 its own, k the k-th of `smaller`). */
export interface Placement {
  key: string;
  box: Box;
  size: number;
}

export function boxOf(c: { x: number; y: number; width: number; height: number }): Box {
  return [c.x - c.width / 2, c.y - c.height / 2, c.x + c.width / 2, c.y + c.height / 2];
}

export function boxesOverlap(a: Box, b: Box, margin = 0): boolean {
  return a[0] < b[2] + margin && b[0] < a[2] + margin && a[1] < b[3] + margin && b[1] < a[3] + margin;
}

/** Room a label leaves around its anchor's dot when it sits beside it. */
const BESIDE_GAP = 6;

/** Where a box of this size may go, best first: centred on the anchor, just below, just above, right of it, left of it. */
function boxesAround(x: number, y: number, width: number, height: number, margin: number): Box[] {
  const centres: [number, number][] = [
    [x, y],
    [x, y + height + margin],
    [x, y - height - margin],
    [x + width / 2 + BESIDE_GAP, y],
    [x - width / 2 - BESIDE_GAP, y],
  ];
  return centres.map(([cx, cy]) => boxOf({ x: cx, y: cy, width, height }));
}

/** Labels to show, in placement order, with their boxes and sizes; `obstacles` (panels over the map) are kept clear. */
export function declutter(candidates: LabelCandidate[], viewport: { width: number; height: number }, margin = 4, obstacles: Box[] = []): Placement[] {
  const sorted = [...candidates].sort((a, b) => b.priority - a.priority || (a.key < b.key ? -1 : 1));
  const sizes = (c: LabelCandidate) => [{ width: c.width, height: c.height }, ...(c.smaller ?? [])];
  const placed: Placement[] = [];
  const fits = (box: Box, except?: Placement) =>
    box[0] >= 0 &&
    box[1] >= 0 &&
    box[2] <= viewport.width &&
    box[3] <= viewport.height &&
    !obstacles.some((o) => boxesOverlap(o, box, margin)) &&
    !placed.some((p) => p !== except && boxesOverlap(p.box, box, margin));

  // Everyone at the smallest size first: the most labels that fit at all.
  for (const candidate of sorted) {
    const all = sizes(candidate);
    const { width, height } = all[all.length - 1]!;
    const box = boxesAround(candidate.x, candidate.y, width, height, margin).find((b) => fits(b));
    if (box) placed.push({ key: candidate.key, box, size: all.length - 1 });
  }
  // Then each grows back, most important first, as far as its neighbours allow.
  const byKey = new Map(sorted.map((c) => [c.key, c]));
  for (const placement of placed) {
    const candidate = byKey.get(placement.key)!;
    const all = sizes(candidate);
    for (let size = 0; size < placement.size; size++) {
      const box = boxesAround(candidate.x, candidate.y, all[size]!.width, all[size]!.height, margin).find((b) => fits(b, placement));
      if (box) {
        placement.box = box;
        placement.size = size;
        break;
      }
    }
  }
  return placed;
}
