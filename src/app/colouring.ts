/**
 * What the points' colours say: the colour mode (topic, year, source, …), the legend with its hidden
 * categories, and the fading of papers outside the search hits or the selection.
 */
import { colourTopics } from '../cache/maps';
import { COLOUR_MODES, colourBy, type ColourMode, type Colouring } from '../map/colour-modes';
import { pointColours } from '../map/palette';
import type { ScatterMap } from '../map/scatter';
import { modeOf } from '../selection/store';
import { renderLegend } from '../ui/legend';
import type { AppState } from './state';
import type { SearchState } from './search';

export interface ColouringContext {
  search(): SearchState | null;
  /** The paper whose details are open: drawn with a ring. */
  focus(): number | null;
  /** The colour mode changed (a step the user would go back to). */
  changed(): void;
}

export class ColourController {
  mode: ColourMode = 'topic';
  /** Legend categories hidden from the map (reset when the colour mode changes). */
  readonly hidden = new Set<number>();
  private colouring: Colouring | null = null;

  constructor(
    private readonly state: AppState,
    private readonly map: ScatterMap,
    private readonly context: ColouringContext,
  ) {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      this.map.refreshTheme();
      // Ramps (year, upvotes, search score) have a version for each theme's background.
      this.refresh();
    });
  }

  /** Colours a newly shown map: the legend first, as the map is framed in the area the panels leave free. */
  show(): Uint8Array {
    this.colouring = this.compute();
    this.showLegend();
    return pointColours(this.colouring.rgb);
  }

  /** Back to colouring by topic, nothing hidden (another corpus or model). */
  reset(): void {
    this.hidden.clear();
    this.mode = 'topic';
  }

  setMode(mode: ColourMode): void {
    if (!this.state.entry) return;
    this.mode = mode;
    this.hidden.clear();
    this.refresh();
    this.context.changed();
  }

  /** Colours computed again from what they depend on (a new search in search mode, the theme). */
  refresh(): void {
    if (!this.state.entry) return;
    this.colouring = this.compute();
    this.recolour();
    this.showLegend();
  }

  /** The search changed: colours by search score are computed again, other modes only fade the misses. */
  searchChanged(): void {
    if (this.mode === 'search') this.refresh();
    else this.recolour();
  }

  /**
   * Colours the map in the colour mode; papers outside the search hits or the selection fade back,
   * and papers of hidden legend categories are not drawn.
   */
  recolour(): void {
    if (!this.state.entry || !this.colouring) return;
    const selection = this.state.selection?.selection;
    const search = this.context.search();
    const hits = search?.compared ? new Set(search.hits.map((h) => h.index)) : null;
    const filtered = hits !== null || (selection?.size ?? 0) > 0;
    const keep = (i: number) => (!hits || hits.has(i)) && (!selection || selection.size === 0 || selection.has(i));
    const category = this.colouring.category;
    const visible = category && this.hidden.size > 0 ? Float32Array.from(category, (c) => (this.hidden.has(c) ? 0 : 1)) : null;
    this.map.update({ colours: pointColours(this.colouring.rgb, filtered ? keep : null), focus: this.context.focus(), dimmed: filtered, visible });
  }

  private compute(): Colouring {
    const { topics, terms } = colourTopics(this.state.entry!);
    const hits = this.context.search()?.hits ?? [];
    const top = hits[0]?.score ?? 1;
    const searchScores = this.context.search()?.compared ? new Map(hits.map((h) => [h.index, h.score / (top || 1)])) : null;
    const theme = matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
    const corpus = this.state.corpus!;
    return colourBy(this.mode, { papers: corpus.papers, topics, topicTerms: terms, searchScores, sources: corpus.sources, theme });
  }

  private showLegend(): void {
    if (!this.colouring) return;
    renderLegend(this.mode, this.colouring.legend, this.hidden, {
      setMode: (mode) => this.setMode(mode),
      toggle: (category) => {
        if (!this.hidden.delete(category)) this.hidden.add(category);
        this.recolour();
        this.showLegend();
      },
      select: (category, modifiers) => {
        const members: number[] = [];
        this.colouring?.category?.forEach((c, i) => c === category && members.push(i));
        this.state.selection?.selection.apply(members, modeOf(modifiers));
      },
    }, this.modes());
  }

  /** Colour modes this corpus has data for: labels only come with imported files that have them. */
  private modes(): ColourMode[] {
    const labelled = this.state.corpus?.papers.some((p) => p.label) ?? false;
    return COLOUR_MODES.map((m) => m.mode).filter((m) => m !== 'label' || labelled);
  }
}
