/**
 * What the URL carries so a copied link reopens the same map: view, colour mode, search, open paper
 * and selection. Other parameters (device, model) are kept as they are. Pure encode/decode.
 */
import { COLOUR_MODES, type ColourMode } from './map/colour-modes';
import type { MapView } from './map/scatter';
import type { SearchMode } from './ui/search-box';

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
