/**
 * Label placement without overlap: the most important labels first, each kept only if its box
 * (plus a margin) touches no box already kept. Greedy, O(labels²): maps show tens of labels.
 */
export interface LabelCandidate {
  key: string;
  /** Anchor on screen (CSS pixels); the box is centred on it. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Higher is placed first (e.g. topic size). */
  priority: number;
}

export type Box = [x0: number, y0: number, x1: number, y1: number];

export function boxOf(c: LabelCandidate): Box {
  return [c.x - c.width / 2, c.y - c.height / 2, c.x + c.width / 2, c.y + c.height / 2];
}

export function boxesOverlap(a: Box, b: Box, margin = 0): boolean {
  return a[0] < b[2] + margin && b[0] < a[2] + margin && a[1] < b[3] + margin && b[1] < a[3] + margin;
}

/** Keys of the labels to show, in placement order, and their boxes; `obstacles` (panels over the map) are kept clear. */
export function declutter(candidates: LabelCandidate[], viewport: { width: number; height: number }, margin = 4, obstacles: Box[] = []): { key: string; box: Box }[] {
  const placed: { key: string; box: Box }[] = [];
  const blocked = (box: Box) => obstacles.some((o) => boxesOverlap(o, box, margin));
  const sorted = [...candidates].sort((a, b) => b.priority - a.priority || (a.key < b.key ? -1 : 1));
  const fits = (box: Box) =>
    box[0] >= 0 && box[1] >= 0 && box[2] <= viewport.width && box[3] <= viewport.height && !blocked(box) && !placed.some((p) => boxesOverlap(p.box, box, margin));
  for (const candidate of sorted) {
    // Centred on its anchor if there is room, else just below or just above it.
    const shifts = [0, candidate.height + margin, -candidate.height - margin];
    const box = shifts.map((dy) => boxOf({ ...candidate, y: candidate.y + dy })).find(fits);
    if (box) placed.push({ key: candidate.key, box });
  }
  return placed;
}
