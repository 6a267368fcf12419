/**
 * Topic labels on the map: one anchor per topic and level, a level chosen by zoom (broad areas when
 * zoomed out, fine topics when zoomed in, like DataMapPlot), and decluttered on screen.
 */
import type { TopicLevel } from '../math/topics';
import { declutter, type Box } from './declutter';

export interface TopicAnchor {
  key: string;
  level: number;
  topic: number;
  text: string;
  size: number;
  /** Map coordinates: the member paper nearest the members' centroid, so it always sits on the topic. */
  x: number;
  y: number;
}

export interface PlacedLabel extends TopicAnchor {
  box: Box;
  fontSize: number;
  /** Screen pixels the label is drawn below (+) or above (−) its anchor, when it had to move to fit. */
  offsetY: number;
}

/** Font size (px) by level: coarse labels are larger. */
export const LABEL_FONT_SIZES = [17, 14, 12];
export const LABEL_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif';
export const LABEL_PADDING = 4;

export function topicAnchors(levels: TopicLevel[], coords: Float32Array): TopicAnchor[] {
  return levels.flatMap((level, l) => {
    // Two passes over the points per level: centroids, then the member nearest each centroid.
    const k = level.terms.length;
    const sx = new Float64Array(k), sy = new Float64Array(k), count = new Float64Array(k);
    level.topics.forEach((t, i) => {
      if (t < 0 || t >= k) return;
      sx[t]! += coords[2 * i]!;
      sy[t]! += coords[2 * i + 1]!;
      count[t]! += 1;
    });
    const best = new Int32Array(k).fill(-1);
    const bestDist = new Float64Array(k).fill(Infinity);
    level.topics.forEach((t, i) => {
      if (t < 0 || t >= k) return;
      const d = (coords[2 * i]! - sx[t]! / count[t]!) ** 2 + (coords[2 * i + 1]! - sy[t]! / count[t]!) ** 2;
      if (d < bestDist[t]!) {
        bestDist[t] = d;
        best[t] = i;
      }
    });
    return level.terms
      .filter((t) => best[t.topic]! >= 0)
      .map((t) => {
        const i = best[t.topic]!;
        return { key: `${l}:${t.topic}`, level: l, topic: t.topic, text: t.label || `Topic ${t.topic + 1}`, size: t.size, x: coords[2 * i]!, y: coords[2 * i + 1]! };
      });
  });
}

/** Which level to label at a zoom, given the zoom that frames the whole map. */
export function levelForZoom(zoom: number, fitZoom: number, levels: number): number {
  const steps = zoom - fitZoom;
  const level = steps < 0.75 ? 0 : steps < 1.75 ? 1 : 2;
  return Math.min(level, levels - 1);
}

export function placeLabels(
  anchors: TopicAnchor[],
  level: number,
  project: (x: number, y: number) => [number, number],
  viewport: { width: number; height: number },
  measure: (text: string, fontSize: number) => number,
  obstacles: Box[] = [],
): PlacedLabel[] {
  const fontSize = LABEL_FONT_SIZES[level] ?? 12;
  const candidates = anchors
    .filter((a) => a.level === level)
    .map((a) => {
      const [x, y] = project(a.x, a.y);
      return { anchor: a, key: a.key, x, y, width: measure(a.text, fontSize) + 2 * LABEL_PADDING, height: fontSize * 1.3 + 2 * LABEL_PADDING, priority: a.size };
    });
  const byKey = new Map(candidates.map((c) => [c.key, c]));
  return declutter(candidates, viewport, 4, obstacles).map(({ key, box }) => {
    const candidate = byKey.get(key)!;
    return { ...candidate.anchor, box, fontSize, offsetY: (box[1] + box[3]) / 2 - candidate.y };
  });
}
