/**
 * The composition root: makes the controllers, wires them to each other and to the page, and holds
 * the two steps every map goes through, commit (it becomes the one shown) and show (it is drawn).
 *
 *   sources ─► builder (cache │ prebuilt │ pipeline worker) ─► present ─► colours, labels, search,
 *                                                                        papers, selection, URL
 */
import { wasmThreads } from '../ort-files';
import { MapCache, type MapEntry } from '../cache/maps';
import { CorpusStore } from '../cache/corpora';
import { openPapermapDatabase } from '../cache/db';
import { SavedSelections } from '../cache/selections';
import { SelectionController } from '../selection/controller';
import { previewColours } from '../map/palette';
import { ScatterMap } from '../map/scatter';
import { normaliseCoords } from '../math/geometry/normalise';
import { panelInsets } from '../map/free-area';
import { ProgressPanel } from '../ui/progress';
import { OfflineStatusView } from '../ui/offline-status';
import { MapsPanel } from '../ui/maps-panel';
import { byId } from '../ui/dom';
import { startOfflineCache, type OfflineStatus } from '../offline';
import { MAX_URL_SELECTION, type UrlState } from '../url-state';
import type { PapermapState } from '../api';
import { fileGeometry } from '../pipeline/types';
import { AppState, type MapSource } from './state';
import { Sources } from './sources';
import { MapBuilder } from './build';
import { ColourController } from './colouring';
import { SearchController } from './search';
import { LabelController } from './labels';
import { PaperController } from './papers';
import { UrlSync } from './url-sync';

export class App {
  readonly state: AppState;
  readonly map: ScatterMap;
  readonly url: UrlSync;
  readonly labels: LabelController;
  readonly papers: PaperController;
  private readonly colours: ColourController;
  private readonly search: SearchController;
  private readonly sources: Sources;
  private readonly builder: MapBuilder;
  // Until a map is shown the top bar has nothing else to say: it says what the progress card says.
  private readonly progress = new ProgressPanel((status) => {
    if (!this.state.entry) byId('summary').textContent = status;
  });
  private readonly offlineView = new OfflineStatusView();
  private offline: OfflineStatus | null = null;
  private saved: SavedSelections | null = null;
  private corpora: CorpusStore | null = null;
  private markReady!: () => void;
  private failReady!: (error: Error) => void;
  readonly ready: Promise<void>;

  constructor() {
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // Nobody may be awaiting `ready`; the failure is shown in the page either way.
    this.ready.catch(() => undefined);
    this.url = new UrlSync({ read: () => this.readUrlState(), apply: (state) => this.applyUrlState(state), address: () => this.address() });
    this.state = new AppState(this.url.launch.modelId);
    this.map = new ScatterMap(byId<HTMLDivElement>('map'), {
      onHover: (index, x, y) => this.papers.hover(index, x, y),
      onClick: (index, modifiers) => this.papers.click(index, modifiers),
      onLabelClick: (label, modifiers) => {
        const members = this.state.selection?.selectTopic(label.topic, modifiers, label.level) ?? [];
        if (!modifiers.add && !modifiers.subtract) this.map.fit(members);
      },
      covered: () => panelInsets(byId('map')),
      onView: () => {
        this.labels.schedule();
        this.url.writeSoon();
      },
    });
    this.labels = new LabelController(this.map);
    this.search = new SearchController(this.state, {
      flyTo: (index) => this.papers.flyTo(index),
      changed: () => {
        this.url.write('replace');
        this.colours.searchChanged();
      },
    });
    this.papers = new PaperController(this.state, this.map, (moved) => {
      this.colours.recolour();
      if (moved) this.url.write('push');
    });
    this.colours = new ColourController(this.state, this.map, { search: () => this.search.current, focus: () => this.papers.focus, changed: () => this.url.write('push') });
    this.sources = new Sources(this.state, () => this.corpora);
    this.builder = new MapBuilder(this.state, this.url.launch, this.sources, this.progress, {
      present: (source, modelId, entry) => this.present(source, modelId, entry),
      building: () => this.map.warmUp(),
      preview: (coords) => {
        document.body.dataset.state = 'preview';
        void this.map.setData({ coords: normaliseCoords(coords).coords, colours: previewColours(coords.length / 2), focus: null }, { fit: true });
      },
      opened: async () => {
        await this.url.opened();
        this.markReady();
      },
      fail: (message, retry) => this.fail(message, retry),
    });
    new MapsPanel({
      current: () => ({
        hash: this.state.param === null ? null : (this.state.corpus?.hash ?? null),
        name: this.state.name,
        papers: this.state.corpus?.papers.length ?? 0,
        modelId: this.state.modelId,
        fileGeometry: fileGeometry(this.state.given),
        prebuilt: this.state.entry?.prebuilt === true,
      }),
      corpora: async () => (await this.corpora?.list()) ?? [],
      openCorpus: async (hash) => {
        const source = hash === null ? await this.sources.shipped() : await this.sources.stored(hash);
        if (source) await this.builder.open(source);
      },
      deleteCorpus: async (hash) => {
        if (this.state.param !== null && this.state.corpus?.hash === hash) await this.builder.open(await this.sources.shipped());
        await this.corpora?.remove(hash);
      },
      openImport: async (result, name) => void (await this.builder.open(await this.sources.imported(result, name))),
      useModel: async (modelId) => {
        const source = this.state.source();
        if (source) await this.builder.open(source, performance.now(), modelId);
      },
      rebuild: async () => void (await this.builder.rebuild()),
      exportMap: async () => {
        const name = this.state.name.replace(/\.[^.]+$/, '').replace(/[^\p{L}\p{N}-]+/gu, '-').toLowerCase();
        await this.state.selection?.exportParquet(null, `papermap-${name}.parquet`);
      },
      embedTexts: async () => {
        const given = this.state.given;
        const source = given?.coords ? this.state.source({ ...given, embed: true }) : null;
        if (source) await this.builder.open(source);
      },
    });
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.target instanceof HTMLInputElement) return;
      // Esc closes the open paper first, then clears the selection.
      if (this.papers.isOpen) this.papers.open(null);
      else this.state.selection?.selection.clear();
    });
  }

  async start(): Promise<void> {
    const t0 = performance.now();
    this.sources.prefetch(this.url.launch);
    startOfflineCache({
      status: (status, detail) => {
        this.offline = status;
        this.offlineView.show(status, detail);
      },
      updateReady: (apply) => this.offlineView.offerUpdate(apply),
    });
    const { db, problem } = await openPapermapDatabase({
      onTakenOver: () => {
        this.state.cacheProblem = 'A newer version of Papermap opened in another tab and took over this browser\'s storage: this tab no longer saves maps or selections. Reload it.';
        this.progress.note(this.state.cacheProblem, 'warning');
      },
    });
    this.builder.cache = db ? new MapCache(db) : null;
    this.saved = db ? new SavedSelections(db) : null;
    this.corpora = db ? new CorpusStore(db) : null;
    if (problem) this.state.cacheProblem = `Maps are not cached: ${problem}. The map is computed on every visit.`;

    let source: MapSource;
    try {
      source = await this.sources.initial(this.url.launch);
    } catch (error) {
      this.fail(`The corpus could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.state.timings.corpus = performance.now() - t0;
    if (this.url.launch.modelProblem) {
      this.fail(`The model could not be used: ${this.url.launch.modelProblem}`);
      return;
    }
    await this.builder.open(source, t0);
  }

  /** The map of `source` becomes the one shown, and is drawn. */
  private async present(source: MapSource, modelId: string, entry: MapEntry): Promise<void> {
    this.commit(source, modelId);
    await this.show(entry);
  }

  /** Makes a source the one shown: everything derived from the previous corpus or model is dropped. */
  private commit(source: MapSource, modelId: string): void {
    const { state } = this;
    const embedded = (given: MapSource['given']) => given?.embed === true;
    const switched = state.corpus !== null && (state.corpus.hash !== source.corpus.hash || state.modelId !== modelId || embedded(state.given) !== embedded(source.given));
    state.corpus = source.corpus;
    state.given = source.given?.vectors || source.given?.coords ? source.given : null;
    state.param = source.param;
    state.name = source.name;
    if (state.modelId !== modelId) this.search.modelChanged();
    state.modelId = modelId;
    const geometry = fileGeometry(state.given);
    const made = geometry === 'vectors' ? `vectors from the file (${state.given!.vectors!.dims}-d)` : geometry === 'positions' ? 'positions from the file' : state.given?.coords ? `${modelId} · file positions` : modelId;
    byId('summary').textContent = `${state.corpus.papers.length.toLocaleString('en')} papers · ${made}`;
    if (!switched) return;
    // The view, colours, search, paper and selection of the old map mean nothing on the new one.
    this.search.reset();
    this.papers.reset();
    this.colours.reset();
    this.url.mapChanged(this.address()!);
  }

  private async show(stored: MapEntry): Promise<void> {
    // Centred and scaled so float32 holds when zoomed in (the map, labels, lasso and picking all read
    // these). The int8 rows are for the cache write only: the map on screen does not keep them.
    const { quantised: _forTheCache, ...kept } = stored;
    const entry: MapEntry = { ...kept, coords: normaliseCoords(stored.coords).coords };
    this.state.entry = entry;
    const t0 = performance.now();
    // The legend first and the progress folded: the map is framed in the area they leave free.
    const colours = this.colours.show();
    this.progress.settle();
    await this.map.setData({ coords: entry.coords, colours, focus: null }, { fit: true });
    this.state.timings.render = performance.now() - t0;
    this.search.mapShown(entry.n);
    this.labels.show(entry);
    // One controller per map: the previous one takes its overlay and key listener with it.
    const tool = this.state.selection?.tool;
    this.state.selection?.dispose();
    this.state.selection = new SelectionController(this.state.corpus!, entry, this.map, this.saved, (i) => this.papers.open(i), () => {
      this.colours.recolour();
      this.labels.schedule();
      this.url.write('push');
    }, tool);
    this.url.quietly(() => this.state.selection!.changed());
    document.body.dataset.state = 'ready';
  }

  private address() {
    const { state } = this;
    return state.entry && state.corpus ? { corpus: state.param, modelId: state.modelId, embed: state.given?.embed === true } : null;
  }

  private readUrlState(): UrlState | null {
    const { entry, corpus, selection } = this.state;
    if (!entry || !corpus) return null;
    const search = this.search.current;
    return {
      view: this.map.view(),
      colour: this.colours.mode,
      query: search?.query ?? '',
      queryMode: search?.mode ?? 'keyword',
      paper: this.papers.focus !== null ? corpus.papers[this.papers.focus]!.id : null,
      // A selection too large for a link is not listed (a million ids would stall every URL update).
      selected: selection && selection.selection.size <= MAX_URL_SELECTION ? selection.ids() : [],
    };
  }

  private async applyUrlState(url: UrlState): Promise<void> {
    const { corpus, selection } = this.state;
    if (!corpus) return;
    if (url.colour !== this.colours.mode) this.colours.setMode(url.colour);
    const missing = selection?.selectIds(url.selected) ?? [];
    if (missing.length > 0) this.progress.note(`${missing.length} selected paper${missing.length === 1 ? ' is' : 's are'} not in this corpus: ${missing.slice(0, 3).join(', ')}`, 'warning');
    const search = this.search.current;
    if (url.query !== (search?.query ?? '') || (url.query && url.queryMode !== search?.mode)) {
      this.search.box.set(url.query, url.queryMode);
      await this.search.run(url.query, url.queryMode);
    }
    const paper = url.paper ? corpus.papers.findIndex((p) => p.id === url.paper) : -1;
    this.papers.open(paper >= 0 ? paper : null);
    if (url.view) this.map.setView(url.view);
  }

  private fail(message: string, retry?: () => void): void {
    this.state.error = message;
    this.progress.fail(message, retry ?? (() => location.reload()));
    this.failReady(new Error(message));
  }

  /** A JSON snapshot of what is shown (window.papermap.state()). */
  snapshot(): PapermapState {
    const { state } = this;
    const { entry, corpus } = state;
    const search = this.search.current;
    return {
      papers: entry?.n ?? 0,
      device: entry?.device ?? null,
      neighbours: entry?.neighbourMethod ?? null,
      cached: state.cached,
      source: entry ? (entry.prebuilt && state.ran.length === 0 ? 'prebuilt' : 'browser') : null,
      model: state.modelId,
      corpusFit: entry?.corpusFit ? { dims: entry.corpusFit.dims, terms: entry.corpusFit.terms.length, weight: entry.corpusFit.weight } : null,
      selected: state.selection?.ids() ?? [],
      timings: Object.fromEntries(Object.entries(state.timings).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      ran: [...state.ran],
      corpusHash: corpus?.hash ?? null,
      corpus: { name: state.name, param: state.param },
      fallback: entry?.fallback ?? null,
      cacheProblem: state.cacheProblem,
      topics: entry ? entry.levels.flatMap((level, l) => level.terms.map((t) => ({ id: t.topic, label: t.label, size: t.size, level: l }))) : [],
      error: state.error,
      colour: this.colours.mode,
      hidden: this.colours.hidden.size,
      search: search ? { query: search.query, mode: search.mode, hits: search.hits.map((h) => corpus!.papers[h.index]!.id), message: search.message, compared: search.compared } : null,
      offline: this.offline,
      updateWaiting: this.offlineView.updateWaiting,
      isolated: globalThis.crossOriginIsolated === true,
      threads: wasmThreads(),
    };
  }
}
