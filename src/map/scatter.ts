/**
 * The scatter map: deck.gl with an orthographic view over the layers of ./scatter-layers.ts. Hover
 * and click are answered on the CPU from the points' grid index, so neither ever waits for the GPU;
 * the selection tools ask the map for the same index (gridIndex), so one index serves all three.
 * Knows nothing of papers: indices in, indices out.
 */
import { Deck, OrthographicView, type OrthographicViewState, type PickingInfo } from '@deck.gl/core';
import type { PlacedLabel } from './topic-labels';
import { nearestPoint } from './hover';
import { framePoints, revealShift, type Framing, type Insets } from './free-area';
import { PointAttributes, pixelRadius, pointStyle, scatterLayers, themeColours, warmUpLayers, type PointStyle, type ScatterData } from './scatter-layers';
import { buildGridIndex, type GridIndex } from '../math/geometry/grid-index';

export type { ScatterData } from './scatter-layers';

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

const VIEW_ID = 'map';

export class ScatterMap {
  private readonly deck: Deck<OrthographicView>;
  private data: ScatterData | null = null;
  private labels: PlacedLabel[] = [];
  private colours = themeColours();
  private fitZoom = 0;
  private viewState: OrthographicViewState = { target: [0, 0, 0], zoom: 0 };
  private rendered: (() => void) | null = null;
  private readonly attributes = new PointAttributes();
  private style: PointStyle = pointStyle(0, 1);
  /** The grid index of one coordinate array, built when first asked for (see gridIndex). */
  private grid: { coords: Float32Array; index: GridIndex } | null = null;
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

  /** Before the first map: draws nothing visible, so that the GPU compiles the map's shaders now (see warmUpLayers). */
  warmUp(): void {
    if (!this.data) this.deck.setProps({ layers: warmUpLayers() });
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
    return pixelRadius(this.style, this.view().zoom, this.fitZoom);
  }

  /**
   * The grid index over `coords`, shared by hover, click and the selection tools: built once, on the
   * first pointer move or lasso over new points, and dropped when the map gets new positions.
   */
  gridIndex(coords: Float32Array): GridIndex {
    if (this.grid?.coords !== coords) this.grid = { coords, index: buildGridIndex(coords, coords.length / 2) };
    return this.grid.index;
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
    const radius = Math.max(this.pixelRadius() + 1, 4) / 2 ** this.view().zoom;
    return { point: nearestPoint(this.gridIndex(coords), coords, at[0], at[1], radius, visible ? (i) => visible[i]! > 0.5 : null), label: null };
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
    const { data, attributes, labels, colours, style, fitZoom } = this;
    return scatterLayers({ data, attributes, labels, colours, style, zoom: this.view().zoom, fitZoom });
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

  /** Pans, without zooming, just enough that point `index` is not under a panel. */
  reveal(index: number): void {
    const at = this.screenPosition(index);
    if (!at) return;
    const covered = this.callbacks.covered?.() ?? { top: 0, right: 0, bottom: 0, left: 0 };
    const [dx, dy] = revealShift(at[0], at[1], this.container.clientWidth, this.container.clientHeight, covered);
    if (dx === 0 && dy === 0) return;
    const { target, zoom } = this.view();
    this.moveTo([target[0] + dx / 2 ** zoom, target[1] + dy / 2 ** zoom], zoom);
  }

  /** Back to the whole map, framed in the area the panels leave free now (the Fit button). */
  fitAll(): void {
    const frame = this.framing(null);
    if (frame) this.moveTo(frame.centre, frame.zoom);
  }

  /** The view that shows these points (all when null) in the free area: its centre and zoom. */
  private framing(indices: ArrayLike<number> | null): Framing | null {
    if (!this.data) return null;
    const covered = this.callbacks.covered?.() ?? { top: 0, right: 0, bottom: 0, left: 0 };
    return framePoints(this.data.coords, indices, this.container.clientWidth || 800, this.container.clientHeight || 600, covered);
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
