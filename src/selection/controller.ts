/**
 * Wires the one selection to everything that shows or changes it: lasso/rectangle tools on the map,
 * the legend, clicks, the selection panel with its exports and saved selections, and the map colours.
 */
import type { Corpus } from '../corpus/types';
import { colourTopics, type MapEntry } from '../cache/maps';
import { resolveIds, type SavedSelection, type SavedSelections } from '../cache/selections';
import { selectInPolygon } from '../math/geometry/polygon';
import { paperTerms, sampledTopicTerms, type PaperTerms } from '../math/topics/labels';
import { COLOUR_LEVEL, type TopicLevel } from '../math/topics/topics';
import { paperText } from '../corpus/text';
import { cssColour, topicColour } from '../map/palette';
import { LassoOverlay, type LassoModifiers, type Tool } from '../map/lasso-overlay';
import type { ScatterMap } from '../map/scatter';
import { EMPTY, SelectionPanel, type ExportKind, type SelectionSummary } from '../ui/selection-panel';
import { Toolbar } from '../ui/toolbar';
import { paperMeta } from '../ui/details';
import { byId, downloadBlob } from '../ui/dom';
import { mapColumns, toParquet } from './export-parquet';
import { toBibtex, toCsv, toJson, titleList, type ExportRow } from './export';
import { modeOf, Selection, type SelectionMode } from './store';

const EXPORTS: Record<Exclude<ExportKind, 'parquet'>, { extension: string; mime: string }> = {
  csv: { extension: 'csv', mime: 'text/csv' },
  json: { extension: 'json', mime: 'application/json' },
  bibtex: { extension: 'bib', mime: 'application/x-bibtex' },
};

export class SelectionController {
  readonly selection: Selection;
  /** Paper index by id, made when ids are first resolved (a million entries cost a moment at startup). */
  private indexOf: Map<string, number> | null = null;
  /** Distinct terms of the papers the summaries have read. */
  private readonly paperTerms = new Map<number, PaperTerms>();
  private readonly panel: SelectionPanel;
  private readonly toolbar: Toolbar;
  private readonly overlay: LassoOverlay;
  private savedList: SavedSelection[] = [];
  /** The topics that colour the map. */
  private readonly colour: TopicLevel;
  private disposed = false;

  constructor(
    private readonly corpus: Corpus,
    private readonly entry: MapEntry,
    private readonly map: ScatterMap,
    private readonly saved: SavedSelections | null,
    private readonly open: (index: number) => void,
    /** Called after every change of the selection (the app recolours the map). */
    private readonly onChange: () => void,
    /** The tool to start with: the one the user had on the previous map. */
    tool: Tool = 'pan',
  ) {
    this.colour = colourTopics(entry);
    this.selection = new Selection(entry.n);
    this.overlay = new LassoOverlay(byId('map'), (polygon, modifiers) => this.lasso(polygon, modifiers));
    this.toolbar = new Toolbar((tool) => this.setTool(tool), () => this.map.fitAll());
    this.setTool(tool);
    this.panel = new SelectionPanel({
      open: (i) => this.open(i),
      zoomTo: () => this.map.fit(this.selection.indices()),
      clear: () => this.selection.clear(),
      exportAs: (kind) => this.download(kind),
      copyTitles: () => void this.copyTitles(),
      save: (name) => void this.saveAs(name),
      restore: (s) => this.restore(s),
      rename: (s, name) => void this.storage('rename the selection', (saved) => saved.rename(s.id, name)),
      remove: (s) => void this.storage('delete the selection', (saved) => saved.remove(s.id)),
    });
    this.selection.subscribe(() => this.changed());
    void this.refreshSaved();
  }

  setTool(tool: Tool): void {
    this.overlay.setTool(tool);
    this.toolbar.show(tool);
  }

  get tool(): Tool {
    return this.overlay.activeTool;
  }

  /**
   * Lets go of the page when another map replaces this one: its overlay would stay over the map
   * (swallowing drags while a selection tool is on) and its key listener would keep switching tools.
   */
  dispose(): void {
    this.disposed = true;
    this.overlay.dispose();
    this.toolbar.dispose();
  }

  /** A finished lasso or rectangle, in screen pixels relative to the map. */
  private lasso(screenPolygon: number[], modifiers: LassoModifiers): void {
    const polygon: number[] = [];
    for (let i = 0; i < screenPolygon.length; i += 2) {
      const at = this.map.toMap(screenPolygon[i]!, screenPolygon[i + 1]!);
      if (!at) return;
      polygon.push(at[0], at[1]);
    }
    // The map's grid index over these positions, the one hover and click use (built once, for all three).
    this.selection.apply(selectInPolygon(this.map.gridIndex(this.entry.coords), this.entry.coords, polygon), modeOf(modifiers));
  }

  /** Selects a topic's papers (of the colour level unless another is named); returns them. */
  selectTopic(topic: number, modifiers: LassoModifiers, level = COLOUR_LEVEL): number[] {
    const members: number[] = [];
    this.entry.levels[level]?.topics.forEach((t, i) => t === topic && members.push(i));
    this.selection.apply(members, modeOf(modifiers));
    return members;
  }

  /** Selects papers by id; returns the ids the corpus does not have. */
  selectIds(ids: string[], mode: SelectionMode = 'replace'): string[] {
    if (ids.length === 0) {
      this.selection.apply([], mode);
      return [];
    }
    this.indexOf ??= new Map(this.corpus.papers.map((p, i) => [p.id, i]));
    const { indices, missing } = resolveIds(ids, this.indexOf);
    this.selection.apply(indices, mode);
    return missing;
  }

  ids(): string[] {
    return Array.from(this.selection.indices(), (i) => this.corpus.papers[i]!.id);
  }

  /** Rebuilds the panel and lets the app recolour the map. */
  changed(): void {
    document.body.dataset.selection = String(this.selection.size);
    this.panel.update(this.summary());
    this.onChange();
  }

  private topicLabel(topic: number): string {
    return topic < 0 ? 'No clear topic' : this.colour.terms[topic]?.label ?? `Topic ${topic + 1}`;
  }

  private summary(): SelectionSummary {
    const indices = this.selection.indices();
    if (indices.length === 0) return EMPTY;
    // The selection against the rest of the corpus, as two classes of class-based TF-IDF (on a
    // sample of each when they are large, so a lasso over half a million papers answers at once).
    const classes = new Int32Array(this.entry.n).fill(1);
    for (const i of indices) classes[i] = 0;
    const terms = indices.length < this.entry.n ? sampledTopicTerms((i) => this.termsOf(i), classes, 8)[0]!.terms : [];
    const byTopic = new Map<number, number>();
    for (const i of indices) byTopic.set(this.colour.topics[i]!, (byTopic.get(this.colour.topics[i]!) ?? 0) + 1);
    const mix = [...byTopic.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 6)
      .map(([topic, count]) => ({ label: this.topicLabel(topic), colour: cssColour(topicColour(topic)), count }));
    const row = (k: number) => {
      const i = indices[k]!;
      const paper = this.corpus.papers[i]!;
      return { index: i, title: paper.title, meta: [this.topicLabel(this.colour.topics[i]!), ...paperMeta(paper).slice(0, 2)].join(' · '), colour: cssColour(topicColour(this.colour.topics[i]!)) };
    };
    return { count: indices.length, terms, mix, row };
  }

  /** A paper's distinct terms, kept once read (only sampled papers are ever read). */
  private termsOf(index: number): PaperTerms {
    let terms = this.paperTerms.get(index);
    if (!terms) {
      if (this.paperTerms.size >= 100_000) this.paperTerms.clear();
      terms = paperTerms(paperText(this.corpus.papers[index]!));
      this.paperTerms.set(index, terms);
    }
    return terms;
  }

  private exportRows(): ExportRow[] {
    return Array.from(this.selection.indices(), (i) => {
      const topic = this.colour.topics[i]!;
      return { ...this.corpus.papers[i]!, topic: topic < 0 ? null : this.topicLabel(topic) };
    });
  }

  private download(kind: ExportKind): void {
    if (kind === 'parquet') {
      const indices = this.selection.indices();
      void this.exportParquet(indices, `papermap-selection-${indices.length}.parquet`).then(
        () => this.panel.say(`Exported ${indices.length} paper${indices.length === 1 ? '' : 's'} as Parquet.`),
        (error: unknown) => this.panel.say(`Could not write the Parquet file (${error instanceof Error ? error.message : String(error)}).`),
      );
      return;
    }
    const rows = this.exportRows();
    const text = kind === 'csv' ? toCsv(rows) : kind === 'json' ? toJson(rows, { corpusHash: this.corpus.hash, model: this.entry.modelId }) : toBibtex(rows);
    const { extension, mime } = EXPORTS[kind];
    downloadBlob(new Blob([text], { type: `${mime};charset=utf-8` }), `papermap-selection-${rows.length}.${extension}`);
    this.panel.say(`Exported ${rows.length} paper${rows.length === 1 ? '' : 's'} as ${kind === 'bibtex' ? 'BibTeX' : kind.toUpperCase()}.`);
  }

  /** Papers `indices` (all when null) as a Parquet download: fields, position, topics and vectors. */
  async exportParquet(indices: ArrayLike<number> | null, name: string): Promise<void> {
    const chosen = indices ?? Array.from({ length: this.entry.n }, (_, i) => i);
    const vectors = this.entry.dims > 0 ? { data: this.entry.embeddings, dims: this.entry.dims, indices: chosen } : null;
    const bytes = await toParquet(mapColumns(this.corpus.papers, this.entry, chosen), vectors);
    downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.apache.parquet' }), name);
  }

  private async copyTitles(): Promise<void> {
    const rows = this.exportRows();
    try {
      await navigator.clipboard.writeText(titleList(rows));
      this.panel.say(`Copied ${rows.length} title${rows.length === 1 ? '' : 's'} to the clipboard.`);
    } catch (error) {
      this.panel.say(`Could not copy to the clipboard (${error instanceof Error ? error.message : String(error)}).`);
    }
  }

  /** A change to the saved selections; a storage failure is said in the panel, not thrown. */
  private async storage(what: string, change: (saved: SavedSelections) => Promise<void>): Promise<void> {
    try {
      if (!this.saved) throw new Error('browser storage (IndexedDB) is not available here');
      await change(this.saved);
    } catch (error) {
      this.panel.say(`Could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await this.refreshSaved();
  }

  private async refreshSaved(): Promise<void> {
    this.savedList = this.saved ? await this.saved.list().catch(() => []) : [];
    // The panel now belongs to the next map's controller.
    if (this.disposed) return;
    this.panel.update(this.summary(), this.savedList);
  }

  private async saveAs(name: string): Promise<void> {
    if (!this.saved) {
      this.panel.say('Saving needs browser storage (IndexedDB), which is not available here.');
      return;
    }
    try {
      const record = await this.saved.save(name, this.corpus.hash, this.ids());
      await this.refreshSaved();
      this.panel.say(`Saved "${record.name}" (${record.ids.length} papers).`);
    } catch (error) {
      this.panel.say(`Could not save the selection: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private restore(saved: SavedSelection): void {
    const missing = this.selectIds(saved.ids);
    const note = missing.length > 0
      ? ` ${missing.length} of its ${saved.ids.length} papers are not in this corpus: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}.`
      : '';
    this.panel.say(`Restored "${saved.name}".${note}`);
  }
}
