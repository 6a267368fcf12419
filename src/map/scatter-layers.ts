/**
 * What the scatter map draws, as deck.gl layers: the papers as one PointsLayer fed binary attributes
 * (no per-point JS objects), a ring around the open paper, and the topic labels. ./scatter.ts owns the
 * view and the pointer; this module only turns data, style and zoom into layers.
 */
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { LABEL_FONT, type PlacedLabel } from './topic-labels';
import { PointsLayer } from './points-layer';

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

/** Dot radius in pixels at `zoom` (the whole map fits at `fitZoom`), as the points layer draws it. */
export function pixelRadius({ radius }: PointStyle, zoom: number, fitZoom: number): number {
  return Math.min(MAX_RADIUS, Math.max(radius, radius * 2 ** (zoom - fitZoom)));
}

type Rgba = [number, number, number, number];

export interface ThemeColours {
  text: Rgba;
  background: Rgba;
}

/** Label colours from the page's theme (CSS variables), so labels read on dark and light. */
export function themeColours(): ThemeColours {
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

/** deck.gl's binary data for the points, with the arrays it was made from. */
interface PointBuffers {
  coords: Float32Array;
  colours: Uint8Array;
  visible: Float32Array;
  data: { length: number; attributes: Record<'getPosition' | 'getFillColor' | 'getFilterValue', { value: Float32Array | Uint8Array; size: number }> };
}

function samePositions(next: unknown, previous: unknown): boolean {
  const a = next as PointBuffers['data'] | undefined, b = previous as PointBuffers['data'] | undefined;
  return a !== undefined && b !== undefined && a.length === b.length && a.attributes.getPosition === b.attributes.getPosition;
}

/** The points' binary attributes, kept from draw to draw: rebuilt only when one of their arrays changes (each rebuild re-uploads it). */
export class PointAttributes {
  private buffers: PointBuffers | null = null;
  /** A filter attribute that shows every point, kept so it is not rebuilt on every update. */
  private shown: Float32Array | null = null;

  of({ coords, colours, visible: given }: ScatterData): PointBuffers['data'] {
    const visible = given ?? this.allShown(coords.length / 2);
    const old = this.buffers;
    if (old && old.coords === coords && old.colours === colours && old.visible === visible) return old.data;
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
    return this.buffers.data;
  }

  private allShown(n: number): Float32Array {
    if (this.shown?.length !== n) this.shown = new Float32Array(n).fill(1);
    return this.shown;
  }
}

export interface ScatterScene {
  data: ScatterData;
  attributes: PointAttributes;
  labels: PlacedLabel[];
  colours: ThemeColours;
  style: PointStyle;
  /** The view's zoom, and the zoom at which the whole map fits the screen. */
  zoom: number;
  fitZoom: number;
}

/** The layers of one draw: points, the focus ring when a paper is open, and labels on top. */
export function scatterLayers({ data, attributes, labels, colours, style, zoom, fitZoom }: ScatterScene) {
  const { coords, focus, dimmed } = data;
  const { radius, opacity, stroked } = style;
  const points = new PointsLayer({
    id: 'papers',
    data: attributes.of(data),
    // Only new positions are new data: new colours or filter values re-upload that one attribute,
    // and nothing is rebuilt when only the labels or the view change.
    dataComparator: samePositions,
    // In map units, so dots grow as one zooms in (and points spread apart), between the overview's size and MAX_RADIUS.
    radius: radius / 2 ** fitZoom,
    radiusMinPixels: radius,
    radiusMaxPixels: MAX_RADIUS,
    // Faint where points crowd the overview; each step in spreads them out, so they firm up again.
    opacity: Math.min(1, opacity * 2 ** Math.max(0, zoom - fitZoom)),
    lineWidth: stroked ? 0.75 : 0,
    lineColor: [255, 255, 255, dimmed ? 18 : 90],
  });
  const text = new TextLayer<PlacedLabel>({
    id: 'labels',
    data: labels,
    getText: (l) => l.text,
    getPosition: (l) => [l.x, l.y],
    // Drawn where the declutter put its box, which may be beside, above or below the anchor.
    getPixelOffset: (l) => [l.offsetX, l.offsetY],
    getSize: (l) => l.fontSize,
    sizeUnits: 'pixels',
    getColor: colours.text,
    fontFamily: LABEL_FONT,
    fontWeight: 600,
    characterSet: 'auto',
    // A halo in the background colour keeps labels readable over points, on both themes.
    fontSettings: { sdf: true, fontSize: 64, buffer: 6 },
    outlineWidth: 4,
    outlineColor: colours.background,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    updateTriggers: { getColor: [colours.text] },
  });
  if (focus === null) return [points, text];
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
  return [points, ring, text];
}

/**
 * The map's layers drawing one transparent point and one transparent label: drawn before any map
 * exists, they make the GPU compile the shaders that the first map needs. A software renderer
 * (SwiftShader, where WebGL has no GPU) spends most of a second on that, which then happens while
 * the pipeline works instead of after it; on a GPU it takes milliseconds either way.
 */
export function warmUpLayers() {
  const clear: Rgba = [0, 0, 0, 0];
  const data: ScatterData = { coords: new Float32Array(2), colours: new Uint8Array(4), focus: null };
  const label: PlacedLabel = { key: 'warm-up', topic: -1, level: 0, size: 0, x: 0, y: 0, text: 'a', head: 'a', box: [0, 0, 0, 0], fontSize: 12, offsetX: 0, offsetY: 0 };
  return scatterLayers({ data, attributes: new PointAttributes(), labels: [label], colours: { text: clear, background: clear }, style: { radius: 1, opacity: 0, stroked: true }, zoom: 0, fitZoom: 0 });
}
