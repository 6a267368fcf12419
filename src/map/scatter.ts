/**
 * The scatter map: deck.gl with an orthographic view and one ScatterplotLayer fed binary
 * attributes (no per-point JS objects). Knows nothing of papers: indices in, indices out.
 */
import { Deck, OrthographicView, type OrthographicViewState, type PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { DataFilterExtension } from '@deck.gl/extensions';
import { LABEL_FONT, type PlacedLabel } from './topic-labels';

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

const filter = new DataFilterExtension({ filterSize: 1 });

const VIEW_ID = 'map';
/** Pixels the top bar covers at the top of the map (and the tool bar at the bottom). */
const BAR_CLEARANCE = 76;

export class ScatterMap {
  private readonly deck: Deck<OrthographicView>;
  private data: ScatterData | null = null;
  private labels: PlacedLabel[] = [];
  private colours = themeColours();
  private fitZoom = 0;
  private shown: Float32Array | null = null;
  private viewState: OrthographicViewState = { target: [0, 0, 0], zoom: 0 };
  private rendered: (() => void) | null = null;

  constructor(
    private readonly container: HTMLDivElement,
    private readonly callbacks: ScatterCallbacks,
  ) {
    this.deck = new Deck<OrthographicView>({
      parent: container,
      views: new OrthographicView({ id: VIEW_ID, controller: { doubleClickZoom: true, inertia: 250 } }),
      viewState: this.viewState,
      onViewStateChange: ({ viewState }) => {
        this.viewState = viewState as OrthographicViewState;
        this.deck.setProps({ viewState: this.viewState });
        callbacks.onView();
      },
      layers: [],
      getCursor: ({ isDragging, isHovering }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab'),
      onHover: (info: PickingInfo) => callbacks.onHover(info.layer?.id === 'papers' && info.index >= 0 ? info.index : null, info.x, info.y),
      onClick: (info: PickingInfo, event) => {
        const source = (event as { srcEvent?: MouseEvent }).srcEvent;
        const modifiers = { add: source?.shiftKey ?? false, subtract: source?.altKey ?? false };
        if (info.layer?.id === 'labels' && info.object) callbacks.onLabelClick(info.object as PlacedLabel, modifiers);
        else callbacks.onClick(info.layer?.id === 'papers' && info.index >= 0 ? info.index : null, modifiers);
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
    this.data = data;
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
    return { target: [x!, y!], zoom: (this.viewState.zoom as number | undefined) ?? 0 };
  }

  /** The zoom at which the whole map fits the screen. */
  get overviewZoom(): number {
    return this.fitZoom;
  }

  setView(view: MapView): void {
    this.viewState = { ...this.viewState, target: [view.target[0], view.target[1], 0], zoom: view.zoom };
    this.deck.setProps({ viewState: this.viewState });
    this.callbacks.onView();
  }

  get size(): { width: number; height: number } {
    return { width: this.container.clientWidth, height: this.container.clientHeight };
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
    const { coords, colours, focus, dimmed, visible } = this.data;
    // Hidden points get filtered on the GPU, which also keeps them out of picking.
    const n = coords.length / 2;
    const points = new ScatterplotLayer({
      id: 'papers',
      data: {
        length: n,
        attributes: {
          getPosition: { value: coords, size: 2 },
          getFillColor: { value: colours, size: 4 },
          getFilterValue: { value: visible ?? this.allShown(n), size: 1 },
        },
      },
      extensions: [filter],
      filterRange: [0.5, 1],
      radiusUnits: 'pixels',
      getRadius: 4.5,
      radiusMinPixels: 2,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 0.75,
      getLineColor: [255, 255, 255, dimmed ? 18 : 90],
      updateTriggers: { getLineColor: [dimmed] },
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 200],
    });
    const labels = new TextLayer<PlacedLabel>({
      id: 'labels',
      data: this.labels,
      getText: (l) => l.text,
      getPosition: (l) => [l.x, l.y],
      // Drawn where the declutter put its box, which may be just above or below the anchor.
      getPixelOffset: (l) => [0, l.offsetY],
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
      pickable: true,
      // An all-but-transparent box behind each label, so a click between its words or letters still
      // lands on the label (glyphs alone are pickable only where they have ink).
      background: true,
      getBackgroundColor: [...this.colours.background.slice(0, 3), 1] as [number, number, number, number],
      backgroundPadding: [4, 2],
      updateTriggers: { getColor: [this.colours.text], getBackgroundColor: [this.colours.background] },
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

  /** A filter attribute that shows every point, kept so it is not rebuilt on every update. */
  private allShown(n: number): Float32Array {
    if (this.shown?.length !== n) this.shown = new Float32Array(n).fill(1);
    return this.shown;
  }

  /** Frames all points (or only the given ones) with a margin. */
  fit(indices: ArrayLike<number> | null = null): void {
    if (!this.data) return;
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
    if (count === 0) return;
    const width = this.container.clientWidth || 800;
    const height = this.container.clientHeight || 600;
    // A single point or a tight group still gets some context around it.
    const spanX = Math.max(maxX - minX, 0.5);
    const spanY = Math.max(maxY - minY, 0.5);
    // Room above and below for the top bar (and, symmetrically, the tool bar), so no point hides under them.
    const usableHeight = Math.max(height * 0.5, height - 2 * BAR_CLEARANCE);
    const zoom = Math.log2(Math.min((width * 0.85) / spanX, (usableHeight * 0.95) / spanY));
    if (indices) {
      this.viewState = { ...this.viewState, target: [(minX + maxX) / 2, (minY + maxY) / 2, 0], zoom: Math.min(zoom, (this.viewState.maxZoom as number | undefined) ?? zoom) };
    } else {
      this.fitZoom = zoom;
      this.viewState = { target: [(minX + maxX) / 2, (minY + maxY) / 2, 0], zoom, minZoom: zoom - 2, maxZoom: zoom + 8 };
    }
    this.deck.setProps({ viewState: this.viewState });
    this.callbacks.onView();
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
