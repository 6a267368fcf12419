/**
 * Every parameter the URL carries, pure encode/decode (src/app/url-sync.ts is the one place that
 * reads and writes the address):
 * - what a page is opened with and keeps for its life (`LaunchParams`): device, fault to stage,
 *   prebuilt maps on or off, and which map (corpus or bundle, model, whether a file's texts are embedded);
 * - what a copied link reopens (`UrlState`): view, colour mode, search, open paper and selection.
 */
import { COLOUR_MODES, type ColourMode } from './map/colour-modes';
import { DEFAULT_MODEL_ID, isValidModelId } from './model/models';
import type { MapView } from './map/scatter';
import type { SearchMode } from './ui/search-box';
import { SIMULATED_FAULTS, type DevicePreference, type SimulatedFault } from './pipeline/types';

/** Which map a page shows: its corpus, its model, and whether a file's own positions come with embeddings. */
export interface MapAddress {
  /** null for the shipped corpus, `local:<hash>` for an imported file, or the URL it was loaded from. */
  corpus: string | null;
  modelId: string;
  /** ?embed=1: a file with its own positions had its texts embedded too (for search by meaning). */
  embed: boolean;
}

export interface LaunchParams extends MapAddress {
  device: DevicePreference;
  /** A fault to stage on the first run (?simulate=…). */
  simulate: SimulatedFault | null;
  /** Whether a map the deploy ships prebuilt may be shown (not with ?prebuilt=0 or ?simulate=). */
  prebuilt: boolean;
  /** A map bundle to open (?map=<url>). */
  bundle: string | null;
  /** Why ?model= cannot be used, when it cannot. */
  modelProblem: string | null;
}

export function decodeLaunch(params: URLSearchParams): LaunchParams {
  const device = params.get('device');
  const simulate = params.get('simulate') as SimulatedFault | null;
  const known = simulate && SIMULATED_FAULTS.includes(simulate) ? simulate : null;
  const requested = params.get('model');
  const modelProblem = requested !== null && !isValidModelId(requested) ? `"${requested}" is not a model id (expected "org/name")` : null;
  return {
    device: device === 'webgpu' || device === 'wasm' ? device : 'auto',
    simulate: known,
    prebuilt: params.get('prebuilt') !== '0' && known === null,
    bundle: params.get('map') || null,
    corpus: params.get('corpus') || null,
    modelId: requested && !modelProblem ? requested : DEFAULT_MODEL_ID,
    embed: params.get('embed') === '1',
    modelProblem,
  };
}

/**
 * The address of a newly shown map: its own parameters set, and everything that belonged to the old
 * map (view, colours, search, paper, selection, a ?map= bundle now kept like an import) dropped.
 */
export function encodeMapAddress(address: MapAddress, base: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of [...KEYS, 'map']) params.delete(key);
  if (address.corpus) params.set('corpus', address.corpus);
  else params.delete('corpus');
  if (address.modelId !== DEFAULT_MODEL_ID) params.set('model', address.modelId);
  else params.delete('model');
  if (address.embed) params.set('embed', '1');
  else params.delete('embed');
  return params;
}

/** Whether an address names another map than the one shown (going back to it reopens the page). */
export function sameMap(a: MapAddress, b: MapAddress): boolean {
  return a.corpus === b.corpus && a.modelId === b.modelId && a.embed === b.embed;
}

export interface UrlState {
  view: MapView | null;
  colour: ColourMode;
  query: string;
  queryMode: SearchMode;
  paper: string | null;
  selected: string[];
}

/** Selections larger than this are not put in the URL (it would be too long to share); save them instead. */
export const MAX_URL_SELECTION = 300;
const KEYS = ['view', 'colour', 'q', 'qm', 'paper', 'sel'];

export function encodeUrlState(state: UrlState, base: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of KEYS) params.delete(key);
  if (state.view) params.set('view', [state.view.target[0].toFixed(4), state.view.target[1].toFixed(4), state.view.zoom.toFixed(3)].join(','));
  if (state.colour !== 'topic') params.set('colour', state.colour);
  if (state.query.trim() !== '') {
    params.set('q', state.query);
    if (state.queryMode !== 'keyword') params.set('qm', state.queryMode);
  }
  if (state.paper) params.set('paper', state.paper);
  if (state.selected.length > 0 && state.selected.length <= MAX_URL_SELECTION) params.set('sel', state.selected.join(','));
  return params;
}

export function decodeUrlState(params: URLSearchParams): UrlState {
  const view = params.get('view')?.split(',').map(Number);
  const colour = params.get('colour');
  return {
    view: view && view.length === 3 && view.every(Number.isFinite) ? { target: [view[0]!, view[1]!], zoom: view[2]! } : null,
    colour: COLOUR_MODES.some((m) => m.mode === colour) ? (colour as ColourMode) : 'topic',
    query: params.get('q') ?? '',
    queryMode: params.get('qm') === 'semantic' ? 'semantic' : 'keyword',
    paper: params.get('paper') || null,
    selected: (params.get('sel') ?? '').split(',').filter((id) => /^[\w-]{1,64}$/.test(id)),
  };
}
