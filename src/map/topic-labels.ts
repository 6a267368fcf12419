/**
 * Topic labels on the map: one anchor per topic and level, a level chosen by zoom (broad areas when
 * zoomed out, fine topics when zoomed in, like DataMapPlot), and decluttered on screen. The whole map
 * shows the level that colours it, so every colour in the legend has its name on the map.
 */
import { COLOUR_LEVEL, type TopicLevel } from '../math/topics/topics';
import { declutter, type Box } from './declutter';

export interface TopicAnchor {
  key: string;
  level: number;
  topic: number;
  /** The topic's label, as the legend shows it. */
  text: string;
  /** Its head term alone: drawn instead of the label only where the label finds no room. */
  head: string;
  size: number;
  /** Map coordinates: the member paper nearest the members' centroid, so it always sits on the topic. */
  x: number;
  y: number;
}

export interface PlacedLabel extends TopicAnchor {
  /** What is drawn: the label, or its head term where the label found no room. */
  text: string;
  box: Box;
  fontSize: number;
  /** Screen pixels the label is drawn right (+) or left (−) of its anchor, when it had to move to fit. */
  offsetX: number;
  /** Screen pixels the label is drawn below (+) or above (−) its anchor, when it had to move to fit. */
  offsetY: number;
}

/** Font size (px) by level: coarse labels are larger. */
export const LABEL_FONT_SIZES = [17, 14, 12];
/** Smallest font a label shrinks to, to find room, before it shortens to its head term. */
export const MIN_LABEL_FONT_SIZE = 11;
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
        const text = t.label || `Topic ${t.topic + 1}`;
        return { key: `${l}:${t.topic}`, level: l, topic: t.topic, text, head: t.terms[0] ?? text, size: t.size, x: coords[2 * i]!, y: coords[2 * i + 1]! };
      });
  });
}

/**
 * Which level to label at a zoom, given the zoom that frames the whole map: the level that colours the
 * map from half a zoom step out to 1.25 steps in, the coarser one further out, the finer one further in.
 */
export function levelForZoom(zoom: number, fitZoom: number, levels: number, colourLevel = COLOUR_LEVEL): number {
  const steps = zoom - fitZoom;
  const level = steps < -0.5 ? colourLevel - 1 : steps < 1.25 ? colourLevel : colourLevel + 1;
  return Math.max(0, Math.min(level, levels - 1));
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
      // Smaller fonts first, then the head term alone: a label shrinks before it is dropped.
      const variants = labelVariants(a, fontSize);
      const [own, ...smaller] = variants.map(({ text, fontSize }) => ({ width: measure(text, fontSize) + 2 * LABEL_PADDING, height: fontSize * 1.3 + 2 * LABEL_PADDING }));
      return { anchor: a, variants, key: a.key, x, y, ...own!, smaller, priority: a.size };
    });
  const byKey = new Map(candidates.map((c) => [c.key, c]));
  return declutter(candidates, viewport, 4, obstacles).map(({ key, box, size }) => {
    const candidate = byKey.get(key)!;
    const { text, fontSize } = candidate.variants[size]!;
    return { ...candidate.anchor, text, box, fontSize, offsetX: (box[0] + box[2]) / 2 - candidate.x, offsetY: (box[1] + box[3]) / 2 - candidate.y };
  });
}

/** A label's sizes, largest first: its text at its level's font and at smaller ones, then its head term alone. */
export function labelVariants(anchor: Pick<TopicAnchor, 'text' | 'head'>, fontSize: number): { text: string; fontSize: number }[] {
  const fonts = [...new Set([fontSize, Math.max(MIN_LABEL_FONT_SIZE, fontSize - 2), MIN_LABEL_FONT_SIZE])].filter((f) => f <= fontSize);
  const variants = fonts.map((f) => ({ text: anchor.text, fontSize: f }));
  if (anchor.head !== anchor.text) variants.push({ text: anchor.head, fontSize: MIN_LABEL_FONT_SIZE });
  return variants;
}
