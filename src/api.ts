/**
 * window.papermap: the automation surface for people embedding the map, and for tests.
 * `ready` resolves once the map is drawn (rejects with the reason if it cannot be);
 * `state()` is a JSON snapshot.
 */
import type { App } from './app/app';
import type { MapView } from './map/scatter';
import { byId } from './ui/dom';
import type { Device, NeighbourMethodUsed, Stage } from './pipeline/types';

export interface PapermapState {
  /** Number of papers on the map. */
  papers: number;
  /** Device that computed the embeddings ('webgpu' or 'wasm'); null before the map exists. */
  device: Device | null;
  /** How the map's kNN graph was found ('exact', 'nn-descent' or 'webgpu'); null when the file gave positions or before the map exists. */
  neighbours: NeighbourMethodUsed | null;
  /** True when this visit drew the map from IndexedDB without running the pipeline. */
  cached: boolean;
  /**
   * Where the map shown was computed: 'prebuilt' ahead of time by npm run build-map and shipped with
   * the deploy (this visit fetched it, or an earlier one kept it), 'browser' in this browser; null before a map.
   */
  source: 'prebuilt' | 'browser' | null;
  model: string;
  /**
   * The fit to this corpus blended into the map's vectors (LSA of its own words; see README): its
   * dimensions, vocabulary size and weight; null when the model's vectors are used as they are.
   */
  corpusFit: { dims: number; terms: number; weight: number } | null;
  /** Ids of the selected papers. */
  selected: string[];
  /** Milliseconds per step of this visit (corpus, cache, model, embed, knn, layout, topics, render). */
  timings: Record<string, number>;
  /** Pipeline stages that ran in this visit: empty when the map came from the cache. */
  ran: Stage[];
  corpusHash: string | null;
  /** The corpus shown: its name, and how the URL names it (null: the shipped corpus; `local:<hash>`: an imported file; or the URL it came from). */
  corpus: { name: string; param: string | null };
  /** Why WebGPU was abandoned for WASM during the run, if it was. */
  fallback: string | null;
  /** Why the map is not stored in the cache, if it is not. */
  cacheProblem: string | null;
  /** Topics at every level of detail (0 = broadest; level 1 colours the map): id within its level, label, size. */
  topics: { id: number; label: string; size: number; level: number }[];
  error: string | null;
  /**
   * The current search: query, mode, ids of the hits (best first), a message when it found nothing,
   * and whether the query was compared with the papers at all (false: it could not run, e.g. search by
   * meaning on a map without vectors, and the map is then not dimmed to its hits).
   */
  search: { query: string; mode: 'keyword' | 'semantic'; hits: string[]; message: string | null; compared: boolean } | null;
  /** What the map is coloured by: 'topic' | 'year' | 'source' | 'upvotes' | 'search'. */
  colour: string;
  /** How many legend categories are hidden from the map. */
  hidden: number;
  /** The offline cache: 'saving' (first visit), 'ready' (opens without a network), 'unavailable'; null before it is known. */
  offline: 'saving' | 'ready' | 'unavailable' | null;
  /** True when a new deploy is installed and the page offers to reload into it. */
  updateWaiting: boolean;
  /** Whether the page is cross-origin isolated (COOP/COEP), which lets WASM use threads. */
  isolated: boolean;
  /** WASM threads onnxruntime-web may use here. */
  threads: number;
}

export interface PapermapApi {
  ready: Promise<void>;
  state(): PapermapState;
  /** Paper ids with their map coordinates (centred on 0, the longer side 100 units wide: see math/geometry/normalise.ts), in corpus order. */
  points(): { id: string; x: number; y: number }[];
  /** Where a paper is on screen (CSS pixels, page coordinates), or null. */
  screenPosition(id: string): [number, number] | null;
  /**
   * Paper `index` (corpus order, 0 ≤ index < state().papers) with its map coordinates and where it is
   * on screen (CSS pixels, page coordinates): for big maps, where points() would make a million objects.
   * Null for an index off the end.
   */
  point(index: number): { id: string; title: string; x: number; y: number; screen: [number, number] } | null;
  /** Opens a paper's details, as a click on its point does. */
  open(id: string): boolean;
  /** Topic labels drawn now: text, level (0 = broadest), topic, and screen box [x0, y0, x1, y1] in page pixels. */
  labels(): { text: string; level: number; topic: number; box: [number, number, number, number] }[];
  /** The map's view: centre in map coordinates, and zoom (log2 of pixels per map unit). */
  view(): { target: [number, number]; zoom: number };
  setView(view: { target: [number, number]; zoom: number }): void;
  /** Replaces the selection with these papers (or adds / subtracts them); reports ids the corpus lacks. */
  select(ids: string[], mode?: 'replace' | 'add' | 'subtract'): { selected: number; missing: string[] };
}

declare global {
  interface Window {
    papermap: PapermapApi;
  }
}

/** The API over a running app. */
export function papermapApi(app: App): PapermapApi {
  const { state, map } = app;
  const indexOf = (id: string) => state.corpus?.papers.findIndex((p) => p.id === id) ?? -1;
  /** Where paper `index` is on the page (CSS pixels), or null before the map is drawn. */
  const pageOf = (index: number): [number, number] | null => {
    const local = map.screenPosition(index);
    if (!local) return null;
    const rect = byId('map').getBoundingClientRect();
    return [rect.left + local[0], rect.top + local[1]];
  };
  return {
    ready: app.ready,
    state: () => app.snapshot(),
    points: () => {
      const { corpus, entry } = state;
      return entry && corpus ? corpus.papers.map((p, i) => ({ id: p.id, x: entry.coords[2 * i]!, y: entry.coords[2 * i + 1]! })) : [];
    },
    screenPosition: (id) => {
      const index = indexOf(id);
      return index >= 0 ? pageOf(index) : null;
    },
    point: (index) => {
      const paper = state.corpus?.papers[index];
      const screen = state.entry && paper ? pageOf(index) : null;
      if (!paper || !screen) return null;
      return { id: paper.id, title: paper.title, x: state.entry!.coords[2 * index]!, y: state.entry!.coords[2 * index + 1]!, screen };
    },
    open: (id) => {
      const index = indexOf(id);
      if (index < 0) return false;
      app.papers.open(index);
      return true;
    },
    labels: () => {
      const rect = byId('map').getBoundingClientRect();
      return app.labels.placed.map((l) => ({ text: l.text, level: l.level, topic: l.topic, box: [rect.left + l.box[0], rect.top + l.box[1], rect.left + l.box[2], rect.top + l.box[3]] as [number, number, number, number] }));
    },
    view: () => map.view(),
    setView: (view: MapView) => map.setView(view),
    select: (ids, mode = 'replace') => {
      const selection = state.selection;
      if (!selection) return { selected: 0, missing: [...ids] };
      const missing = selection.selectIds([...ids], mode);
      return { selected: selection.selection.size, missing };
    },
  };
}
