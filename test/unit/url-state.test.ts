import { describe, expect, it } from 'vitest';
import { MAX_URL_SELECTION, decodeUrlState, encodeUrlState, type UrlState } from '../../src/url-state';

const state: UrlState = { view: { target: [1.23456, -7.5], zoom: 6.125 }, colour: 'year', query: 'diffusion & "flows"', queryMode: 'semantic', paper: 'pabc', selected: ['p1', 'p2'] };

describe('URL state', () => {
  it('round-trips through a URL, keeping other parameters', () => {
    const params = encodeUrlState(state, new URLSearchParams('device=wasm&model=org/name&q=old'));
    const url = new URL(`https://host/some/path/?${params}`);
    expect(url.searchParams.get('device')).toBe('wasm');
    expect(url.searchParams.get('model')).toBe('org/name');
    expect(decodeUrlState(url.searchParams)).toEqual({ ...state, view: { target: [1.2346, -7.5], zoom: 6.125 } });
  });

  it('leaves defaults out of the URL', () => {
    const params = encodeUrlState({ view: null, colour: 'topic', query: ' ', queryMode: 'keyword', paper: null, selected: [] }, new URLSearchParams());
    expect(params.toString()).toBe('');
  });

  it('does not put a huge selection in the URL', () => {
    const selected = Array.from({ length: MAX_URL_SELECTION + 1 }, (_, i) => `p${i}`);
    expect(encodeUrlState({ ...state, selected }, new URLSearchParams()).has('sel')).toBe(false);
  });

  it('ignores malformed values', () => {
    const decoded = decodeUrlState(new URLSearchParams('view=1,x,3&colour=<script>&qm=weird&sel=p1,<img>,p2'));
    expect(decoded).toMatchObject({ view: null, colour: 'topic', queryMode: 'keyword', selected: ['p1', 'p2'] });
  });
});
