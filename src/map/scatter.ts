/**
 * The scatter map: deck.gl with an orthographic view, the papers as one PointsLayer fed binary
 * attributes (no per-point JS objects), and topic labels. Hover and click are answered on the CPU
 * from a grid index, so neither ever waits for the GPU. Knows nothing of papers: indices in, indices out.
 */
import { Deck, OrthographicView, type OrthographicViewState, type PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { LABEL_FONT, type PlacedLabel } from './topic-labels';
import { nearestPoint } from './hover';
import { PointsLayer } from './points-layer';
import { buildGridIndex, type GridIndex } from '../math/lasso';
import type { Insets } from './free-area';

export interface Modifiers {
  add: boolean;
  subtract: boolean;
}

export interface ScatterCallbacks {
  onHover(index: number | null, x: number, y: number): void;
  onClick(index: number | null, modifiers: Modifiers): void;
  onLabelClick(label: PlacedLabel, modifiers: Modifiers): void;
  /** After every change of view (pan, zoom, fit). */
  onView(): void;
  /**
   * Pixels at each edge of the map that panels and bars cover, so a fit frames the points in the free
   * area (a map centred on the whole window hides a third of it under the legend).
   */
  covered?(): Insets;
}

export interface MapView {
  target: [number, number];
  zoom: number;
}

/** Label colours from the page's theme (CSS variables), so labels read on dark and light. */
function themeColours(): { text: [number, number, number, number]; background: [number, number, number, number] } {
  const style = getComputedStyle(document.documentElement);
  const rgb = (name: string, fallback: [number, number, number]) => {
    const probe = document.createElement('span');
    probe.style.color = style.getPropertyValue(name).trim();
    document.body.append(probe);
    const match = getComputedStyle(probe).color.match(/\d+(\.\d+)?/g)?.map(Number);
    probe.remove();
    return match && match.length >= 3 ? ([match[0]!, match[1]!, match[2]!] as [number, number, number]) : fallback;
  };
  return { text: [...rgb('--text', [232, 234, 240]), 255], background: [...rgb('--bg', [15, 18, 24]), 230] };
}

export interface ScatterData {
  coords: Float32Array;
  colours: Uint8Array;
  /** Index of the emphasised point (the open paper), or null. */
  focus: number | null;
  /** True while a selection fades the other points: outlines fade too. */
  dimmed?: boolean;
  /** 1 for shown points, 0 for points hidden from the legend (not drawn, not pickable); null shows all. */
  visible?: Float32Array | null;
}

/** How points are drawn: a few hundred papers get large outlined dots; a million get fine, faint ones. */
export interface PointStyle {
  /** Radius in pixels when the whole map fits the screen; it grows as one zooms in, up to MAX_RADIUS. */
  radius: number;
  opacity: number;
  /** Outlines separate a few large dots; on a dense map they would only add clutter. */
  stroked: boolean;
}

const MAX_RADIUS = 4.5;

function samePositions(next: unknown, previous: unknown): boolean {
  const a = next as PointBuffers['data'] | undefined, b = previous as PointBuffers['data'] | undefined;
  return a !== undefined && b !== undefined && a.length === b.length && a.attributes.getPosition === b.attributes.getPosition;
}

/**
 * The style for n points on a screen of `area` pixels: dots shrink so that together they would
 * cover about a quarter of the screen, down to 1 px, and fade as the map gets denser, so that
 * dense regions read as density rather than as a solid blob.
 */
export function pointStyle(n: number, area: number): PointStyle {
  const radius = Math.min(MAX_RADIUS, Math.max(1, Math.sqrt(area / (4 * Math.PI * Math.max(1, n)))));
  const opacity = Math.min(1, Math.max(0.35, Math.sqrt(20_000 / Math.max(1, n))));
  return { radius, opacity, stroked: radius >= 2 };
}

/** deck.gl's binary data for the points, with the arrays it was made from. */
interface PointBuffers {
  coords: Float32Array;
  colours: Uint8Array;
  visible: Float32Array;
  data: { length: number; attributes: Record<'getPosition' | 'getFillColor' | 'getFilterValue', { value: Float32Array | Uint8Array; size: number }> };
}

const VIEW_ID = 'map';
/** Pixels kept clear around the framed points, beyond what the panels cover. */
const FIT_MARGIN = 16;

export class ScatterMap {
  private readonly deck: Deck<OrthographicView>;
  private data: ScatterData | null = null;
  private labels: PlacedLabel[] = [];
  private colours = themeColours();
  private fitZoom = 0;
  private shown: Float32Array | null = null;
  private viewState: OrthographicViewState = { target: [0, 0, 0], zoom: 0 };
  private rendered: (() => void) | null = null;
  private buffers: PointBuffers | null = null;
  private style: PointStyle = pointStyle(0, 1);
  /** The points' grid index for hover and click, built on the first pointer move over new points. */
  private grid: GridIndex | null = null;
  private hovering = false;
  /** A ring around the hovered point, drawn by the page so that hovering never redraws the map. */
  private readonly hoverRing = document.createElement('div');

  constructor(
    private readonly container: HTMLDivElement,
    private readonly callbacks: ScatterCallbacks,
  ) {
    this.hoverRing.className = 'hover-ring';
    this.hoverRing.hidden = true;
    container.append(this.hoverRing);
    this.deck = new Deck<OrthographicView>({
      parent: container,
      views: new OrthographicView({ id: VIEW_ID, controller: { doubleClickZoom: true, inertia: 250 } }),
      viewState: this.viewState,
      onViewStateChange: ({ viewState }) => {
        this.viewState = viewState as OrthographicViewState;
        this.showHover(null);
        this.deck.setProps({ viewState: this.viewState });
        callbacks.onView();
      },
      layers: [],
      getCursor: ({ isDragging }) => (isDragging ? 'grabbing' : this.hovering ? 'pointer' : 'grab'),
      // No layer is pickable: deck.gl would draw every point again into a picking buffer and wait for
      // the GPU on each pointer move. Points and labels are found on the CPU instead (see pick()).
      onHover: (info: PickingInfo) => {
        const { point, label } = this.pick(info.x, info.y);
        this.hovering = point !== null || label !== null;
        this.showHover(point);
        callbacks.onHover(point, info.x, info.y);
      },
      onClick: (info: PickingInfo, event) => {
        const source = (event as { srcEvent?: MouseEvent }).srcEvent;
        const modifiers = { add: source?.shiftKey ?? false, subtract: source?.altKey ?? false };
        const { point, label } = this.pick(info.x, info.y);
        if (label) callbacks.onLabelClick(label, modifiers);
        else callbacks.onClick(point, modifiers);
      },
      onAfterRender: () => {
        const done = this.rendered;
        this.rendered = null;
        done?.();
      },
    });
  }

  /** Replaces the points (framing them when asked or when they are the first); resolves once drawn. */
  setData(data: ScatterData, options: { fit?: boolean } = {}): Promise<void> {
    const first = this.data === null;
    if (data.coords !== this.data?.coords) this.grid = null;
    this.data = data;
    this.showHover(null);
    this.style = pointStyle(data.coords.length / 2, (this.container.clientWidth || 800) * (this.container.clientHeight || 600));
    const drawn = new Promise<void>((resolve) => (this.rendered = resolve));
    if (first || options.fit) this.fit();
    this.deck.setProps({ layers: this.layers() });
    return drawn;
  }

  /** Updates colours and/or the focused point without reframing. */
  update(changes: Partial<ScatterData>): void {
    if (!this.data) return;
    this.data = { ...this.data, ...changes };
    this.deck.setProps({ layers: this.layers() });
  }

  setLabels(labels: PlacedLabel[]): void {
    this.labels = labels;
    this.deck.setProps({ layers: this.layers() });
  }

  /** Re-reads the theme's colours (after the system switches between dark and light). */
  refreshTheme(): void {
    this.colours = themeColours();
    this.deck.setProps({ layers: this.layers() });
  }

  view(): MapView {
    const [x, y] = (this.viewState.target as number[] | undefined) ?? [0, 0];
    return { target: [x!, y!], zoom: this.viewState.zoomX ?? (this.viewState.zoom as number | undefined) ?? 0 };
  }

  /** The zoom at which the whole map fits the screen. */
  get overviewZoom(): number {
    return this.fitZoom;
  }

  setView(view: MapView): void {
    this.moveTo([view.target[0], view.target[1]], view.zoom);
  }

  /**
   * Centres the view on a map position at a zoom. deck.gl's controller keeps the zoom of each axis
   * (zoomX, zoomY) in the view state after a wheel or pinch, and those win over `zoom`: all three are set.
   */
  private moveTo([x, y]: [number, number], zoom: number): void {
    this.viewState = { ...this.viewState, target: [x, y, 0], zoom, zoomX: zoom, zoomY: zoom };
    this.deck.setProps({ viewState: this.viewState });
    this.callbacks.onView();
  }

  get size(): { width: number; height: number } {
    return { width: this.container.clientWidth, height: this.container.clientHeight };
  }

  /** Dot radius in pixels at the current zoom, as the points layer draws it. */
  private pixelRadius(): number {
    const { radius } = this.style;
    return Math.min(MAX_RADIUS, Math.max(radius, radius * 2 ** (this.view().zoom - this.fitZoom)));
  }

  /**
   * What is under a screen position (CSS pixels relative to the map): a topic label (by its box), or
   * the point whose centre is nearest within its dot's radius (a few pixels more for tiny dots).
   */
  pick(x: number, y: number): { point: number | null; label: PlacedLabel | null } {
    const label = this.labels.find(({ box }) => x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]) ?? null;
    if (label || !this.data) return { point: null, label };
    const at = this.toMap(x, y);
    if (!at) return { point: null, label: null };
    const { coords, visible } = this.data;
    this.grid ??= buildGridIndex(coords, coords.length / 2);
    const radius = Math.max(this.pixelRadius() + 1, 4) / 2 ** this.view().zoom;
    return { point: nearestPoint(this.grid, coords, at[0], at[1], radius, visible ? (i) => visible[i]! > 0.5 : null), label: null };
  }

  private showHover(index: number | null): void {
    const at = index === null ? null : this.screenPosition(index);
    this.hoverRing.hidden = at === null;
    if (!at) return;
    const size = 2 * this.pixelRadius() + 6;
    Object.assign(this.hoverRing.style, { left: `${at[0]}px`, top: `${at[1]}px`, width: `${size}px`, height: `${size}px` });
  }

  /** Screen position (CSS pixels relative to the map) of a map coordinate. */
  project(x: number, y: number): [number, number] {
    const viewport = this.deck.getViewports()[0];
    if (!viewport) return [NaN, NaN];
    const [px, py] = viewport.project([x, y]);
    return [px!, py!];
  }

  /** Map coordinates of a screen position (CSS pixels relative to the map). */
  toMap(x: number, y: number): [number, number] | null {
    const viewport = this.deck.getViewports()[0];
    if (!viewport) return null;
    const [mx, my] = viewport.unproject([x, y]);
    return [mx!, my!];
  }

  private layers() {
    if (!this.data) return [];
    const { coords, focus, dimmed } = this.data;
    const { radius, opacity, stroked } = this.style;
    const points = new PointsLayer({
      id: 'papers',
      data: this.pointBuffers().data,
      // Only new positions are new data: new colours or filter values re-upload that one attribute,
      // and nothing is rebuilt when only the labels or the view change.
      dataComparator: samePositions,
      // In map units, so dots grow as one zooms in (and points spread apart), between the overview's size and MAX_RADIUS.
      radius: radius / 2 ** this.fitZoom,
      radiusMinPixels: radius,
      radiusMaxPixels: MAX_RADIUS,
      // Faint where points crowd the overview; each step in spreads them out, so they firm up again.
      opacity: Math.min(1, opacity * 2 ** Math.max(0, this.view().zoom - this.fitZoom)),
      lineWidth: stroked ? 0.75 : 0,
      lineColor: [255, 255, 255, dimmed ? 18 : 90],
    });
    const labels = new TextLayer<PlacedLabel>({
      id: 'labels',
      data: this.labels,
      getText: (l) => l.text,
      getPosition: (l) => [l.x, l.y],
      // Drawn where the declutter put its box, which may be beside, above or below the anchor.
      getPixelOffset: (l) => [l.offsetX, l.offsetY],
      getSize: (l) => l.fontSize,
      sizeUnits: 'pixels',
      getColor: this.colours.text,
      fontFamily: LABEL_FONT,
      fontWeight: 600,
      characterSet: 'auto',
      // A halo in the background colour keeps labels readable over points, on both themes.
      fontSettings: { sdf: true, fontSize: 64, buffer: 6 },
      outlineWidth: 4,
      outlineColor: this.colours.background,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      updateTriggers: { getColor: [this.colours.text] },
    });
    if (focus === null) return [points, labels];
    const ring = new ScatterplotLayer({
      id: 'focus',
      data: [focus],
      getPosition: (i: number) => [coords[2 * i]!, coords[2 * i + 1]!],
      radiusUnits: 'pixels',
      getRadius: 10,
      filled: false,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5,
      getLineColor: [255, 205, 60, 255],
    });
    return [points, ring, labels];
  }

  /** The binary attributes, rebuilt only when one of their arrays changes (each rebuild re-uploads it). */
  private pointBuffers(): PointBuffers {
    const { coords, colours } = this.data!;
    const visible = this.data!.visible ?? this.allShown(coords.length / 2);
    const old = this.buffers;
    if (old && old.coords === coords && old.colours === colours && old.visible === visible) return old;
    // An unchanged array keeps its attribute object, which tells deck.gl not to upload it again.
    const attribute = <T extends Float32Array | Uint8Array>(value: T, size: number, previous: { value: T | Float32Array | Uint8Array; size: number } | undefined) =>
      previous?.value === value ? previous : { value, size };
    const attributes = old?.data.attributes;
    this.buffers = {
      coords,
      colours,
      visible,
      data: {
        length: coords.length / 2,
        attributes: {
          getPosition: attribute(coords, 2, attributes?.getPosition),
          getFillColor: attribute(colours, 4, attributes?.getFillColor),
          getFilterValue: attribute(visible, 1, attributes?.getFilterValue),
        },
      },
    };
    return this.buffers;
  }

  /** A filter attribute that shows every point, kept so it is not rebuilt on every update. */
  private allShown(n: number): Float32Array {
    if (this.shown?.length !== n) this.shown = new Float32Array(n).fill(1);
    return this.shown;
  }

  /** Frames all points (or only the given ones, moving there) in the area the panels leave free. */
  fit(indices: ArrayLike<number> | null = null): void {
    const frame = this.framing(indices);
    if (!frame) return;
    if (indices) {
      this.moveTo(frame.centre, Math.min(frame.zoom, (this.viewState.maxZoom as number | undefined) ?? Infinity));
      return;
    }
    this.fitZoom = frame.zoom;
    this.viewState = { target: [frame.centre[0], frame.centre[1], 0], zoom: frame.zoom, minZoom: frame.zoom - 2, maxZoom: frame.zoom + 8 };
    this.deck.setProps({ viewState: this.viewState });
    this.callbacks.onView();
  }

  /** Back to the whole map, framed in the area the panels leave free now (the Fit button). */
  fitAll(): void {
    const frame = this.framing(null);
    if (frame) this.moveTo(frame.centre, frame.zoom);
  }

  /** The view that shows these points (all when null) in the free area: its centre and zoom. */
  private framing(indices: ArrayLike<number> | null): { centre: [number, number]; zoom: number } | null {
    if (!this.data) return null;
    const { coords } = this.data;
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
    const width = this.container.clientWidth || 800;
    const height = this.container.clientHeight || 600;
    // A single point or a tight group still gets some context around it.
    const spanX = Math.max(maxX - minX, 0.5);
    const spanY = Math.max(maxY - minY, 0.5);
    // The free area: what the panels leave, unless they leave less than a quarter of a direction (then
    // the points are better behind a panel than squeezed into a sliver).
    const covered = this.callbacks.covered?.() ?? { top: 0, right: 0, bottom: 0, left: 0 };
    const [left, right] = covered.left + covered.right > width * 0.75 ? [0, 0] : [covered.left, covered.right];
    const [top, bottom] = covered.top + covered.bottom > height * 0.75 ? [0, 0] : [covered.top, covered.bottom];
    const freeWidth = Math.max(1, width - left - right - 2 * FIT_MARGIN);
    const freeHeight = Math.max(1, height - top - bottom - 2 * FIT_MARGIN);
    const zoom = Math.log2(Math.min(freeWidth / spanX, freeHeight / spanY));
    // The view's target is the window's centre: shift it so the points sit in the middle of the free area.
    const scale = 2 ** zoom;
    const centre: [number, number] = [(minX + maxX) / 2 - (left - right) / 2 / scale, (minY + maxY) / 2 - (top - bottom) / 2 / scale];
    return { centre, zoom };
  }

  /** Where point i is on screen, in CSS pixels relative to the map's top-left corner. */
  screenPosition(index: number): [number, number] | null {
    if (!this.data) return null;
    const at = this.project(this.data.coords[2 * index]!, this.data.coords[2 * index + 1]!);
    return Number.isNaN(at[0]) ? null : at;
  }

  destroy(): void {
    this.deck.finalize();
  }
}
