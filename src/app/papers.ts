/**
 * One paper at a time: the tooltip on hover, and the details panel (with its nearest neighbours)
 * opened by a click, a search result, a link or the API. Reading a paper is not selecting it.
 */
import { nearestOnMap, nearestPapers } from '../search/semantic';
import { modeOf } from '../selection/store';
import { DetailsPanel, paperMeta } from '../ui/details';
import { byId } from '../ui/dom';
import { Tooltip } from '../ui/tooltip';
import type { ScatterMap } from '../map/scatter';
import type { AppState } from './state';

/** Papers listed as a paper's nearest neighbours in its details. */
const NEIGHBOURS = 8;

export class PaperController {
  /** The paper whose details are open. */
  focus: number | null = null;
  private readonly details = new DetailsPanel(
    () => this.open(null),
    (index) => this.flyTo(index),
  );
  private readonly tooltip = new Tooltip();

  constructor(
    private readonly state: AppState,
    private readonly map: ScatterMap,
    /** A paper was opened or closed (`moved`: another one than before): the map redraws its ring, the URL records the step. */
    private readonly changed: (moved: boolean) => void,
  ) {}

  get isOpen(): boolean {
    return this.details.open;
  }

  /** Another corpus: nothing open. */
  reset(): void {
    this.focus = null;
    this.details.hide();
  }

  hover(index: number | null, x: number, y: number): void {
    const { corpus, entry } = this.state;
    if (index === null || !corpus || !entry) {
      this.tooltip.hide();
      return;
    }
    const paper = corpus.papers[index]!;
    const rect = byId('map').getBoundingClientRect();
    this.tooltip.show(paper.title, [this.state.topicOf(index).label, ...paperMeta(paper).slice(0, 1)].filter(Boolean).join(' · '), rect.left + x, rect.top + y);
  }

  /**
   * A click on the map opens the paper; Shift-click adds it to the selection and Alt-click removes it.
   * A click on empty space closes the details.
   */
  click(index: number | null, modifiers: { add: boolean; subtract: boolean }): void {
    if (index !== null && (modifiers.add || modifiers.subtract)) this.state.selection?.selection.apply([index], modeOf(modifiers));
    this.open(index);
  }

  /** Centres the map on a paper (zooming in if far out) and opens it. */
  flyTo(index: number): void {
    const entry = this.state.entry;
    if (!entry) return;
    const view = this.map.view();
    this.map.setView({ target: [entry.coords[2 * index]!, entry.coords[2 * index + 1]!], zoom: Math.max(view.zoom, this.map.overviewZoom + 1.5) });
    this.open(index);
  }

  /** Opens a paper's details (null closes them) without touching the selection. */
  open(index: number | null): void {
    const { corpus, entry } = this.state;
    if (!corpus || !entry) return;
    const moved = this.focus !== index;
    this.focus = index;
    if (index === null) {
      this.details.hide();
      this.changed(moved);
      return;
    }
    const topic = this.state.topicOf(index);
    // A map without vectors (its file gave only positions) lists the papers nearest on the map instead.
    const byMeaning = entry.dims > 0;
    const hits = byMeaning ? nearestPapers(entry.embeddings, entry.dims, index, NEIGHBOURS) : nearestOnMap(entry.coords, index, NEIGHBOURS);
    const neighbours = hits.map((h) => ({ index: h.index, title: corpus.papers[h.index]!.title, colour: this.state.topicOf(h.index).colour, similarity: byMeaning ? h.score : null }));
    const paper = corpus.papers[index]!;
    const pages = new Map(corpus.sources.map((s) => [s.id, s.name]));
    this.details.show(paper, topic.label, topic.colour, neighbours, paper.sources.map((id) => pages.get(id) ?? id));
    // The details open over the map: the paper they are about stays in sight (before the step is
    // recorded, so the address holds the view the user sees).
    this.map.reveal(index);
    this.changed(moved);
  }
}
