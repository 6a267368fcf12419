/**
 * Topic labels over the map: which level of topics the zoom shows, placed clear of each other and of
 * the panels floating over the map, re-placed at most once a frame as the view or the panels change.
 */
import type { MapEntry } from '../cache/maps';
import type { ScatterMap } from '../map/scatter';
import { LABEL_FONT, levelForZoom, placeLabels, topicAnchors, type PlacedLabel, type TopicAnchor } from '../map/topic-labels';
import { byId } from '../ui/dom';

/** What floats over the map (labels under them could not be read or clicked). */
const OVERLAYS = '.panel, .topbar, .toolbar';

export class LabelController {
  /** The labels drawn now, in map-element pixels. */
  placed: PlacedLabel[] = [];
  private anchors: TopicAnchor[] = [];
  private levels = 0;
  private frame = 0;
  private readonly measureContext = document.createElement('canvas').getContext('2d');

  constructor(private readonly map: ScatterMap) {
    // Any panel opening, closing or changing size re-places them.
    const panels = new ResizeObserver(() => this.schedule());
    for (const panel of document.querySelectorAll(OVERLAYS)) panels.observe(panel);
  }

  /** A new map: its topics' anchors, and labels placed at once. */
  show(entry: MapEntry): void {
    this.anchors = topicAnchors(entry.levels, entry.coords);
    this.levels = entry.levels.length;
    this.update();
  }

  /** Labels follow the view, at most once a frame. */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  private update(): void {
    if (this.anchors.length === 0) return;
    const level = levelForZoom(this.map.view().zoom, this.map.overviewZoom, this.levels);
    const measure = (text: string, size: number) => {
      if (!this.measureContext) return text.length * size * 0.6;
      this.measureContext.font = `600 ${size}px ${LABEL_FONT}`;
      return this.measureContext.measureText(text).width;
    };
    const origin = byId('map').getBoundingClientRect();
    const obstacles = [...document.querySelectorAll<HTMLElement>(OVERLAYS)]
      .filter((panel) => !panel.hidden && panel.offsetParent !== null)
      .map((panel) => {
        const r = panel.getBoundingClientRect();
        return [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top] as [number, number, number, number];
      });
    this.placed = placeLabels(this.anchors, level, (x, y) => this.map.project(x, y), this.map.size, measure, obstacles);
    this.map.setLabels(this.placed);
  }
}
