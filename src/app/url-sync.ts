/**
 * The one owner of the address bar. It reads what the page was opened with (which map, device, …;
 * see url-state.ts), writes what is shown (view, colours, search, paper, selection) so a copied link
 * reopens it, and follows Back/Forward: within a map by applying the state, to another map by
 * reopening the page (whose map is in the cache).
 */
import { decodeLaunch, decodeUrlState, encodeMapAddress, encodeUrlState, sameMap, type LaunchParams, type MapAddress, type UrlState } from '../url-state';

export interface UrlTarget {
  /** What is shown now; null before a map is. */
  read(): UrlState | null;
  /** Shows what a URL describes (a shared link, or Back/Forward). */
  apply(state: UrlState): Promise<void>;
  /** The map shown; null before one is. */
  address(): MapAddress | null;
}

/** Pause after panning or zooming before the address follows (it is replaced, not pushed). */
const VIEW_SETTLE_MS = 300;

export class UrlSync {
  readonly launch: LaunchParams;
  /**
   * True until the URL the page was opened with has been applied, and while a URL is being applied
   * (Back/Forward): changes then must not write the URL back.
   */
  private restoring = true;
  /** The URL state to apply once the map is shown; consumed by the first map (later maps start fresh). */
  private openedWith: UrlState | null;
  private timer = 0;

  constructor(private readonly target: UrlTarget) {
    const params = new URLSearchParams(location.search);
    this.launch = decodeLaunch(params);
    this.openedWith = decodeUrlState(params);
    addEventListener('popstate', () => {
      const params = new URLSearchParams(location.search);
      const shown = this.target.address();
      if (shown && !sameMap(decodeLaunch(params), shown)) location.reload();
      else void this.apply(decodeUrlState(params));
    });
  }

  /** Writes what is shown: a new history entry for a step a user would go back to, else a replacement. */
  write(kind: 'push' | 'replace'): void {
    const state = this.restoring ? null : this.target.read();
    if (!state) return;
    const params = encodeUrlState(state, new URLSearchParams(location.search));
    const url = `${location.pathname}${params.size > 0 ? `?${params}` : ''}${location.hash}`;
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (kind === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  /** Panning and zooming replace the URL after a pause rather than filling the history. */
  writeSoon(): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.write('replace'), VIEW_SETTLE_MS);
  }

  /** Runs `change` without writing the URL (drawing a map is not a step of its own in the history). */
  quietly(change: () => void): void {
    const restoring = this.restoring;
    this.restoring = true;
    try {
      change();
    } finally {
      this.restoring = restoring;
    }
  }

  /** Another map is shown: the address names it, and nothing of the old map's state. */
  mapChanged(address: MapAddress): void {
    const params = encodeMapAddress(address, new URLSearchParams(location.search));
    history.pushState(null, '', `${location.pathname}${params.size > 0 ? `?${params}` : ''}`);
  }

  /** The first map is shown: what the opening URL asked for (view, search, …) is applied, once. */
  async opened(): Promise<void> {
    const state = this.openedWith;
    this.openedWith = null;
    if (state) await this.apply(state);
    this.restoring = false;
  }

  private async apply(state: UrlState): Promise<void> {
    if (!this.target.address()) return;
    this.restoring = true;
    try {
      await this.target.apply(state);
    } finally {
      this.restoring = false;
    }
  }
}
