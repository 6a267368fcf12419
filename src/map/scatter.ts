/**
 * The scatter map: deck.gl with an orthographic view and one ScatterplotLayer fed binary
 * attributes (no per-point JS objects). Knows nothing of papers: indices in, indices out.
 */
import { Deck, OrthographicView, type OrthographicViewState, type PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';

export interface ScatterCallbacks {
  onHover(index: number | null, x: number, y: number): void;
  onClick(index: number | null, modifiers: { add: boolean; subtract: boolean }): void;
}

export interface ScatterData {
  coords: Float32Array;
  colours: Uint8Array;
  /** Index of the emphasised point (the open paper), or null. */
  focus: number | null;
  /** True while a selection fades the other points: outlines fade too. */
  dimmed?: boolean;
}

const VIEW_ID = 'map';

export class ScatterMap {
  private readonly deck: Deck<OrthographicView>;
  private data: ScatterData | null = null;
  private viewState: OrthographicViewState = { target: [0, 0, 0], zoom: 0 };
  private rendered: (() => void) | null = null;

  constructor(
    private readonly container: HTMLDivElement,
    callbacks: ScatterCallbacks,
  ) {
    this.deck = new Deck<OrthographicView>({
      parent: container,
      views: new OrthographicView({ id: VIEW_ID, controller: { doubleClickZoom: true, inertia: 250 } }),
      viewState: this.viewState,
      onViewStateChange: ({ viewState }) => {
        this.viewState = viewState as OrthographicViewState;
        this.deck.setProps({ viewState: this.viewState });
      },
      layers: [],
      getCursor: ({ isDragging, isHovering }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab'),
      onHover: (info: PickingInfo) => callbacks.onHover(info.index >= 0 ? info.index : null, info.x, info.y),
      onClick: (info: PickingInfo, event) => {
        const source = (event as { srcEvent?: MouseEvent }).srcEvent;
        callbacks.onClick(info.index >= 0 ? info.index : null, { add: source?.shiftKey ?? false, subtract: source?.altKey ?? false });
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

  /** Map coordinates of a screen position (CSS pixels relative to the map). */
  toMap(x: number, y: number): [number, number] | null {
    const viewport = this.deck.getViewports()[0];
    if (!viewport) return null;
    const [mx, my] = viewport.unproject([x, y]);
    return [mx!, my!];
  }

  private layers() {
    if (!this.data) return [];
    const { coords, colours, focus, dimmed } = this.data;
    const n = coords.length / 2;
    const points = new ScatterplotLayer({
      id: 'papers',
      data: { length: n, attributes: { getPosition: { value: coords, size: 2 }, getFillColor: { value: colours, size: 4 } } },
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
    if (focus === null) return [points];
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
    return [points, ring];
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
    const zoom = Math.log2(Math.min(width / spanX, height / spanY) * 0.85);
    if (indices) {
      this.viewState = { ...this.viewState, target: [(minX + maxX) / 2, (minY + maxY) / 2, 0], zoom: Math.min(zoom, (this.viewState.maxZoom as number | undefined) ?? zoom), transitionDuration: 400 };
    } else {
      this.viewState = { target: [(minX + maxX) / 2, (minY + maxY) / 2, 0], zoom, minZoom: zoom - 2, maxZoom: zoom + 8 };
    }
    this.deck.setProps({ viewState: this.viewState });
  }

  /** Where point i is on screen, in CSS pixels relative to the map's top-left corner. */
  screenPosition(index: number): [number, number] | null {
    if (!this.data) return null;
    const viewport = this.deck.getViewports()[0];
    if (!viewport) return null;
    const [x, y] = viewport.project([this.data.coords[2 * index]!, this.data.coords[2 * index + 1]!]);
    return [x!, y!];
  }

  destroy(): void {
    this.deck.finalize();
  }
}
