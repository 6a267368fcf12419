/**
 * The page's controller: corpus -> cache hit? render : run the pipeline worker -> store -> render.
 * Holds the one copy of what is shown (map entry, selection) that every view reads.
 */
import { loadCorpus } from './corpus/load';
import { paperText } from './corpus/text';
import type { Corpus } from './corpus/types';
import { wasmThreads } from './ort-files';
import { MAP_SCHEMA, MapCache, colourTopics, mapKey, mapModelKey, type MapEntry } from './cache/maps';
import { CorpusStore, type StoredCorpus } from './cache/corpora';
import { bundleGeometry, fetchMapBundle, fetchPrebuilt } from './cache/prebuilt';
import type { DecodedBundle } from './cache/map-bundle';
import { CorpusImport } from './corpus/import-client';
import type { ImportResult } from './corpus/import';
import { openPapermapDatabase } from './cache/db';
import { SavedSelections } from './cache/selections';
import { SelectionController } from './selection/controller';
import { buildKeywordIndex, keywordSearch, queryWords, type KeywordIndex, type SearchHit } from './search/keyword';
import { meaningRank, nearestOnMap, nearestPapers } from './search/semantic';
import { buildLexicalIndex, type LexicalIndex } from './search/lexical';
import { blendQuery } from './model/corpus-fit';
import { QueryEmbedder } from './search/query-client';
import { MAX_ROWS, SearchBox, type SearchMode } from './ui/search-box';
import { MAX_URL_SELECTION, decodeUrlState, encodeUrlState, type UrlState } from './url-state';
import { DEFAULT_MODEL_ID, isValidModelId } from './model/models';
import { cssColour, pointColours, previewColours, topicColour } from './map/palette';
import { COLOUR_MODES, colourBy, type ColourMode, type Colouring } from './map/colour-modes';
import { ScatterMap, type MapView } from './map/scatter';
import { normaliseCoords } from './map/normalise';
import { LABEL_FONT, levelForZoom, placeLabels, topicAnchors, type PlacedLabel, type TopicAnchor } from './map/topic-labels';
import { startPipeline, PipelineError, type PipelineRun } from './pipeline/client';
import { DetailsPanel, paperMeta } from './ui/details';
import { renderLegend } from './ui/legend';
import { ProgressPanel } from './ui/progress';
import { Tooltip } from './ui/tooltip';
import { OfflineStatusView } from './ui/offline-status';
import { MapsPanel } from './ui/maps-panel';
import { startOfflineCache, type OfflineStatus } from './offline';
import { byId } from './ui/dom';
import { panelInsets } from './map/free-area';
import type { PapermapApi, PapermapState } from './api';
import { DEFAULT_PIPELINE_PARAMS, SIMULATED_FAULTS, type Device, type DevicePreference, type GivenGeometry, fileGeometry, type SimulatedFault, type Stage } from './pipeline/types';

/** Papers listed as a paper's nearest neighbours in its details. */
const NEIGHBOURS = 8;
/** Semantic search highlights this many nearest papers. */
const SEMANTIC_HITS = 25;

/** Above this many papers search by meaning compares vectors only: the word index would cost seconds and memory. */
const LEXICAL_MAX_PAPERS = 200_000;

function devicePreference(value: string | null): DevicePreference {
  return value === 'webgpu' || value === 'wasm' ? value : 'auto';
}

/** What a map is made from: a corpus, what its file gave besides text, and how the URL names it. */
export interface MapSource {
  corpus: Corpus;
  given: GivenGeometry | null;
  /** null for the shipped corpus, `local:<hash>` for an imported file, or the URL it was loaded from. */
  param: string | null;
  name: string;
}

function sourceOf(stored: StoredCorpus): MapSource {
  return {
    corpus: stored.corpus,
    given: { vectors: stored.vectors, coords: stored.coords },
    param: stored.source.kind === 'url' ? stored.source.url : `local:${stored.hash}`,
    name: stored.name,
  };
}

function deviceName(entry: MapEntry): string {
  const { device } = entry;
  return device === 'webgpu' ? 'WebGPU' : device === 'wasm' ? 'WASM' : entry.dims > 0 ? 'vectors from the file' : 'positions from the file';
}

function assetUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

export class App {
  private corpus: Corpus | null = null;
  private entry: MapEntry | null = null;
  private cache: MapCache | null = null;
  private cached = false;
  private ran: Stage[] = [];
  private timings: Record<string, number> = {};
  private saved: SavedSelections | null = null;
  private selection: SelectionController | null = null;
  /** The paper whose details are open. */
  private focus: number | null = null;
  private anchors: TopicAnchor[] = [];
  private placed: PlacedLabel[] = [];
  private labelFrame = 0;
  private readonly measureContext = document.createElement('canvas').getContext('2d');
  /** The current search; `compared` is false when it could not run (no searchable word, no vectors, an error), and then the map is not dimmed. */
  private search: { query: string; mode: SearchMode; hits: SearchHit[]; message: string | null; compared: boolean } | null = null;
  private colourMode: ColourMode = 'topic';
  private colouring: Colouring | null = null;
  /** Legend categories hidden from the map (reset when the colour mode changes). */
  private hidden = new Set<number>();
  /**
   * True until the URL the page was opened with has been applied, and while a URL is being applied
   * (back/forward): changes then must not write the URL back.
   */
  private restoring = true;
  /** The URL state to apply once the map is shown; consumed by the first map (later maps start fresh). */
  private openedWith: UrlState | null = decodeUrlState(new URLSearchParams(location.search));
  private urlTimer = 0;
  private searchToken = 0;
  private keywordIndex: KeywordIndex | null = null;
  /** Words of every paper for the lexical half of search by meaning; built on the first such search. */
  private lexicalIndex: LexicalIndex | null = null;
  private queries: QueryEmbedder | null = null;
  private readonly searchBox = new SearchBox({
    search: (query, mode) => void this.runSearch(query, mode),
    open: (index) => this.flyTo(index),
    selectAll: () => this.selection?.selection.apply(this.search?.hits.map((h) => h.index) ?? [], 'replace'),
  });
  private cacheProblem: string | null = null;
  /** Problems met before a map was shown (e.g. a corpus URL that failed), shown with the map. */
  private readonly startupNotes: string[] = [];
  private error: string | null = null;
  private run: PipelineRun | null = null;
  private readonly map: ScatterMap;
  // Until a map is shown the top bar has nothing else to say: it says what the progress card says.
  private readonly progress = new ProgressPanel((status) => {
    if (!this.entry) byId('summary').textContent = status;
  });
  private readonly details = new DetailsPanel(
    () => this.openPaper(null),
    (index) => this.flyTo(index),
  );
  private readonly tooltip = new Tooltip();
  private readonly offlineView = new OfflineStatusView();
  private readonly mapsPanel = new MapsPanel({
    current: () => ({
      hash: this.corpusParam === null ? null : (this.corpus?.hash ?? null),
      name: this.corpusName,
      papers: this.corpus?.papers.length ?? 0,
      modelId: this.modelId,
      fileGeometry: fileGeometry(this.given),
      prebuilt: this.entry?.prebuilt === true,
    }),
    corpora: async () => (await this.corpora?.list()) ?? [],
    openCorpus: async (hash) => {
      const source = hash === null ? await this.shippedSource() : await this.storedSource(hash);
      if (source) await this.openMap(source);
    },
    deleteCorpus: async (hash) => {
      if (this.corpusParam !== null && this.corpus?.hash === hash) await this.openMap(await this.shippedSource());
      await this.corpora?.remove(hash);
    },
    openImport: async (result, name) => {
      const record = await this.keep(result, name, { kind: 'file', name });
      await this.openMap({ corpus: record.corpus, given: { vectors: record.vectors, coords: record.coords }, param: `local:${record.hash}`, name });
    },
    useModel: async (modelId) => {
      if (this.corpus) await this.openMap({ corpus: this.corpus, given: this.given, param: this.corpusParam, name: this.corpusName }, performance.now(), modelId);
    },
    rebuild: async () => {
      await this.rebuild();
    },
    exportMap: async () => {
      const name = this.corpusName.replace(/\.[^.]+$/, '').replace(/[^\p{L}\p{N}-]+/gu, '-').toLowerCase();
      await this.selection?.exportParquet(null, `papermap-${name}.parquet`);
    },
    embedTexts: async () => {
      if (this.corpus && this.given?.coords) await this.openMap({ corpus: this.corpus, given: { ...this.given, embed: true }, param: this.corpusParam, name: this.corpusName });
    },
  });
  private offline: OfflineStatus | null = null;
  private modelId: string;
  private readonly modelProblem: string | null;
  /** What the corpus file gave besides text (vectors, positions), or null. */
  private given: GivenGeometry | null = null;
  /** How the URL names the corpus shown: null for the shipped corpus, `local:<hash>`, or a URL. */
  private corpusParam: string | null = null;
  private corpusName = 'Shipped corpus';
  private corpora: CorpusStore | null = null;
  private readonly device: DevicePreference;
  /** A fault to stage on the first run only (?simulate=…), so Retry shows the recovery. */
  private simulate: SimulatedFault | null;
  /** Whether a map the deploy ships prebuilt is shown instead of computing it (not with ?prebuilt=0 or ?simulate=). */
  private readonly usePrebuilt: boolean;
  /** The bundle the address named (?map=), until its map is shown. */
  private bundled: DecodedBundle | null = null;
  private markReady!: () => void;
  private failReady!: (error: Error) => void;
  readonly ready: Promise<void>;

  constructor(params: URLSearchParams) {
    this.device = devicePreference(params.get('device'));
    const simulate = params.get('simulate') as SimulatedFault | null;
    this.simulate = simulate && SIMULATED_FAULTS.includes(simulate) ? simulate : null;
    this.usePrebuilt = params.get('prebuilt') !== '0' && this.simulate === null;
    const requested = params.get('model');
    this.modelProblem = requested !== null && !isValidModelId(requested) ? `"${requested}" is not a model id (expected "org/name")` : null;
    this.modelId = requested && !this.modelProblem ? requested : DEFAULT_MODEL_ID;
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // Nobody may be awaiting `ready`; the failure is shown in the page either way.
    this.ready.catch(() => undefined);
    this.map = new ScatterMap(byId<HTMLDivElement>('map'), {
      onHover: (index, x, y) => this.hover(index, x, y),
      onClick: (index, modifiers) => this.click(index, modifiers),
      onLabelClick: (label, modifiers) => {
        const members = this.selection?.selectTopic(label.topic, modifiers, label.level) ?? [];
        if (!modifiers.add && !modifiers.subtract) this.map.fit(members);
      },
      covered: () => panelInsets(byId('map')),
      onView: () => {
        this.scheduleLabels();
        // Panning and zooming replace the URL (after a pause) rather than filling the history.
        clearTimeout(this.urlTimer);
        this.urlTimer = window.setTimeout(() => this.syncUrl('replace'), 300);
      },
    });
    addEventListener('popstate', () => {
      const params = new URLSearchParams(location.search);
      // Back to another corpus, model or embedding choice: open that page afresh (its map is in the cache).
      const otherMap = params.get('corpus') !== this.corpusParam || (params.get('model') ?? DEFAULT_MODEL_ID) !== this.modelId || (params.get('embed') === '1') !== (this.given?.embed === true);
      if (this.entry && otherMap) location.reload();
      else void this.applyUrlState(decodeUrlState(params));
    });
    // Labels keep clear of the panels: any panel opening, closing or changing size re-places them.
    const panels = new ResizeObserver(() => this.scheduleLabels());
    for (const panel of document.querySelectorAll('.panel, .topbar, .toolbar')) panels.observe(panel);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      this.map.refreshTheme();
      // Ramps (year, upvotes, search score) have a version for each theme's background.
      if (!this.entry) return;
      this.colouring = this.computeColouring(this.entry);
      this.recolour();
      this.showLegend();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.target instanceof HTMLInputElement) return;
      // Esc closes the open paper first, then clears the selection.
      if (this.details.open) this.openPaper(null);
      else this.selection?.selection.clear();
    });
  }

  async start(): Promise<void> {
    const t0 = performance.now();
    startOfflineCache({
      status: (status, detail) => {
        this.offline = status;
        this.offlineView.show(status, detail);
      },
      updateReady: (apply) => this.offlineView.offerUpdate(apply),
    });
    const { db, problem } = await openPapermapDatabase({
      onTakenOver: () => {
        this.cacheProblem = 'A newer version of Papermap opened in another tab and took over this browser\'s storage: this tab no longer saves maps or selections. Reload it.';
        this.progress.note(this.cacheProblem, 'warning');
      },
    });
    this.cache = db ? new MapCache(db) : null;
    this.saved = db ? new SavedSelections(db) : null;
    this.corpora = db ? new CorpusStore(db) : null;
    if (problem) this.cacheProblem = `Maps are not cached: ${problem}. The map is computed on every visit.`;

    let source: MapSource;
    try {
      source = await this.initialSource();
    } catch (error) {
      this.fail(`The corpus could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.timings.corpus = performance.now() - t0;
    if (this.modelProblem) {
      this.fail(`The model could not be used: ${this.modelProblem}`);
      return;
    }
    await this.openMap(source, t0);
  }

  /** The corpus the URL asks for (?map=<url>, ?corpus=local:<hash> or ?corpus=<url>), else the shipped one. */
  private async initialSource(): Promise<MapSource> {
    const bundle = new URLSearchParams(location.search).get('map');
    if (bundle) {
      const source = await this.bundleSource(bundle);
      if (source) return source;
    }
    const param = new URLSearchParams(location.search).get('corpus');
    if (!param) return this.shippedSource();
    const source = param.startsWith('local:') ? await this.storedSource(param.slice(6)) : await this.urlSource(param);
    // ?embed=1: the texts of a file with its own positions were embedded too (see embedTexts).
    if (source?.given?.coords && new URLSearchParams(location.search).get('embed') === '1') source.given.embed = true;
    if (source) return source;
    // Nothing is lost: say what could not be opened and show the shipped corpus instead.
    this.startupNotes.push(param.startsWith('local:') ? 'The imported corpus in this link is not in this browser (it was deleted, or imported elsewhere): showing the shipped corpus.' : `Showing the shipped corpus instead.`);
    return this.shippedSource();
  }

  private shippedCorpus: Promise<Corpus> | null = null;

  private async shippedSource(): Promise<MapSource> {
    this.shippedCorpus ??= loadCorpus(assetUrl('corpus/corpus.json'));
    // A failed load may succeed next time (the network came back).
    this.shippedCorpus.catch(() => (this.shippedCorpus = null));
    return { corpus: await this.shippedCorpus, given: null, param: null, name: 'Shipped corpus' };
  }

  private async storedSource(hash: string): Promise<MapSource | null> {
    const stored = await this.corpora?.get(hash);
    return stored ? sourceOf(stored) : null;
  }

  /**
   * A map bundle from a URL (npm run build-map's output, hosted anywhere): its corpus is kept like an
   * imported one and its map is shown as it came, nothing computed. Offline, the copy kept from an
   * earlier visit opens instead; a bundle that cannot be used is reported and the shipped corpus shown.
   */
  private async bundleSource(url: string): Promise<MapSource | null> {
    const absolute = assetUrl(url);
    const name = decodeURIComponent(new URL(absolute).pathname.split('/').pop() || absolute);
    const bundle = await fetchMapBundle(absolute, url);
    if (bundle.problem !== null) {
      const kept = (await this.corpora?.fromUrl(absolute)) ?? null;
      this.startupNotes.push(kept ? `${bundle.problem} Showing the copy kept from ${kept.importedAt.slice(0, 10)}.` : `${bundle.problem}. Showing the shipped corpus instead.`);
      return kept ? { ...sourceOf(kept), param: `local:${kept.hash}` } : null;
    }
    const { modelId, given } = bundleGeometry(bundle.entry);
    const record = await this.keep({ corpus: bundle.corpus, vectors: given?.vectors ?? null, coords: given?.coords ?? null, warnings: [] }, name, { kind: 'url', url: absolute });
    if (modelId) this.modelId = modelId;
    this.bundled = bundle;
    return { ...sourceOf(record), given, param: `local:${record.hash}` };
  }

  private async urlSource(url: string): Promise<MapSource | null> {
    const stored = await this.fromUrl(url);
    return stored ? { ...sourceOf(stored), param: url } : null;
  }

  /** Imports a corpus file from a URL and keeps it, falling back to the copy kept from an earlier visit when offline. */
  private async fromUrl(url: string): Promise<StoredCorpus | null> {
    const absolute = assetUrl(url);
    const job = new CorpusImport(absolute);
    try {
      const { guess } = await job.columns;
      return await this.keep(await job.build(guess), decodeURIComponent(new URL(absolute).pathname.split('/').pop() || absolute), { kind: 'url', url: absolute });
    } catch (error) {
      const kept = (await this.corpora?.fromUrl(absolute)) ?? null;
      // The address as the user wrote it, not as the worker resolved it against the page.
      const reason = (error instanceof Error ? error.message : String(error)).replaceAll(absolute, url);
      const said = reason.startsWith(url) ? reason : `The corpus at ${url} could not be loaded: ${reason}`;
      this.startupNotes.push(kept ? `${said} Showing the copy kept from ${kept.importedAt.slice(0, 10)}.` : said);
      return kept;
    } finally {
      job.close();
    }
  }

  /**
   * Keeps an imported corpus in IndexedDB so its map reopens (offline too) and is listed. A failed
   * write is reported and the import still opens; nothing stored before is touched.
   */
  private async keep(result: ImportResult, name: string, source: StoredCorpus['source']): Promise<StoredCorpus> {
    const record: StoredCorpus = { hash: result.corpus.hash, name, source, importedAt: new Date().toISOString(), corpus: result.corpus, vectors: result.vectors, coords: result.coords };
    for (const warning of result.warnings) this.startupNotes.push(warning);
    try {
      if (!this.corpora) throw new Error('IndexedDB is not available');
      await this.corpora.put(record);
    } catch (error) {
      const reason = error instanceof DOMException && error.name === 'QuotaExceededError' ? 'browser storage is full' : error instanceof Error ? error.message : String(error);
      this.startupNotes.push(`${name} is not kept in this browser (${reason}): it will need importing again after a reload.`);
    }
    return record;
  }

  /** Opens the map of a corpus with the current model: from the cache, or built while the current map stays. */
  async openMap(source: MapSource, t0 = performance.now(), modelId = this.modelId): Promise<boolean> {
    this.run?.cancel();
    const t1 = performance.now();
    const key = mapKey(source.corpus.hash, mapModelKey(modelId, source.given), DEFAULT_PIPELINE_PARAMS);
    const hit = this.cache ? await this.cache.read(key, source.corpus.papers.length) : null;
    this.timings.cache = performance.now() - t1;
    if (hit?.entry) {
      this.commit(source, modelId);
      this.cached = true;
      this.ran = [];
      await this.show(hit.entry);
      this.progress.cached(performance.now() - t0, hit.entry.prebuilt ? 'ahead of time (npm run build-map)' : `on ${deviceName(hit.entry)}`);
      this.afterOpen();
      await this.applyOpenedWith();
      this.markReady();
      return true;
    }
    const why = hit && hit.reason !== 'not cached yet' ? hit.reason : null;
    if ((this.usePrebuilt || this.bundled) && (await this.openPrebuilt(source, modelId, key, t0))) return true;
    return this.build(source, modelId, key, why);
  }

  /**
   * Shows the deploy's prebuilt map of this corpus and model, if it ships one (see map-manifest.ts),
   * and keeps it in the cache: nothing is computed. False when there is none (the browser builds it).
   */
  private async openPrebuilt(source: MapSource, modelId: string, key: string, t0: number): Promise<boolean> {
    const t1 = performance.now();
    // A bundle the address named (?map=) first, else the deploy's own.
    const bundled = this.bundled?.entry?.key === key ? this.bundled : null;
    this.bundled = null;
    const prebuilt = bundled ?? (await fetchPrebuilt(assetUrl('maps/'), key));
    if (!prebuilt) return false;
    if (prebuilt.problem !== null || prebuilt.entry.key !== key || prebuilt.corpus.hash !== source.corpus.hash) {
      this.startupNotes.push(`${prebuilt.problem ?? 'The prebuilt map is of another corpus or model'}: the map is computed in this browser instead.`);
      return false;
    }
    this.timings.prebuilt = performance.now() - t1;
    this.commit(source, modelId);
    this.cached = false;
    this.ran = [];
    await this.show(prebuilt.entry);
    this.progress.prebuilt(performance.now() - t0, modelId);
    if (this.cache) {
      const written = await this.cache.write(prebuilt.entry);
      if (!written.stored) this.cacheProblem = `The map is not saved for next time: ${written.reason}`;
    }
    this.afterOpen();
    await this.applyOpenedWith();
    this.markReady();
    return true;
  }

  /** Computes the map shown in this browser (its prebuilt or cached copy is replaced). */
  async rebuild(): Promise<boolean> {
    if (!this.corpus || !this.entry) return false;
    const source: MapSource = { corpus: this.corpus, given: this.given, param: this.corpusParam, name: this.corpusName };
    return this.build(source, this.modelId, this.entry.key);
  }

  /** Notes that belong to the map just opened: why the URL's corpus could not be used, storage problems. */
  private afterOpen(): void {
    for (const note of this.startupNotes.splice(0)) this.progress.note(note, 'warning');
    if (this.cacheProblem) this.progress.note(this.cacheProblem, 'warning');
  }

  /** Makes a source the one shown: everything derived from the previous corpus or model is dropped. */
  private commit(source: MapSource, modelId: string): void {
    const embedded = (given: GivenGeometry | null) => given?.embed === true;
    const switched = this.corpus !== null && (this.corpus.hash !== source.corpus.hash || this.modelId !== modelId || embedded(this.given) !== embedded(source.given));
    this.corpus = source.corpus;
    this.given = source.given?.vectors || source.given?.coords ? source.given : null;
    this.corpusParam = source.param;
    this.corpusName = source.name;
    if (this.modelId !== modelId) {
      this.queries?.dispose();
      this.queries = null;
    }
    this.modelId = modelId;
    const geometry = fileGeometry(this.given);
    const made = geometry === 'vectors' ? `vectors from the file (${this.given!.vectors!.dims}-d)` : geometry === 'positions' ? 'positions from the file' : this.given?.coords ? `${this.modelId} · file positions` : this.modelId;
    byId('summary').textContent = `${this.corpus.papers.length.toLocaleString('en')} papers · ${made}`;
    if (!switched) return;
    this.keywordIndex = null;
    this.lexicalIndex = null;
    this.search = null;
    this.searchBox.set('', 'keyword');
    this.searchBox.show({ total: 0, rows: [], message: null });
    this.focus = null;
    this.details.hide();
    this.hidden.clear();
    this.colourMode = 'topic';
    // The view, colours, search, paper and selection of the old map mean nothing on the new one.
    const params = new URLSearchParams(location.search);
    // (A ?map= bundle's corpus is kept like an import: from now on the address names that.)
    for (const key of ['view', 'colour', 'q', 'qm', 'paper', 'sel', 'map']) params.delete(key);
    if (source.param) params.set('corpus', source.param);
    else params.delete('corpus');
    if (modelId !== DEFAULT_MODEL_ID) params.set('model', modelId);
    else params.delete('model');
    if (embedded(this.given)) params.set('embed', '1');
    else params.delete('embed');
    history.pushState(null, '', `${location.pathname}${params.size > 0 ? `?${params}` : ''}`);
  }

  /** Runs the pipeline; `why` says why the cache could not serve the map, when that is news to the user. */
  private async build(source: MapSource, modelId: string, key: string, why: string | null = null): Promise<boolean> {
    const corpus = source.corpus;
    const t0 = performance.now();
    const ran: Stage[] = [];
    const timings: Record<string, number> = {};
    this.error = null;
    this.progress.start(corpus.papers.length, () => this.run?.cancel());
    const simulate = this.simulate;
    this.simulate = null;
    if (why) this.progress.note(why, 'warning');
    const geometry = fileGeometry(source.given);
    if (geometry) this.progress.noModel(geometry === 'vectors' ? 'Vectors from the file: no model runs.' : 'Positions from the file: no model runs and nothing is embedded.');
    const file = 'from the file';
    this.progress.skip({
      ...(geometry ? { model: geometry === 'vectors' ? file : 'not needed', embed: geometry === 'vectors' ? file : 'not needed', fit: 'not needed' } : {}),
      ...(source.given?.coords ? { knn: file, layout: file } : {}),
    });
    const retry = () => void this.build(source, modelId, key);
    const run = startPipeline(
      {
        type: 'run',
        texts: corpus.papers.map(paperText),
        modelId,
        modelsUrl: assetUrl('models/'),
        ortUrl: assetUrl('ort/'),
        device: this.device,
        params: DEFAULT_PIPELINE_PARAMS,
        simulate,
        resume: null,
        given: source.given,
      },
      (message) => {
        if (message.type === 'device') this.progress.showDevice(message.choice, wasmThreads());
        else if (message.type === 'progress') this.progress.progress(message.stage, message.done, message.total, message.unit);
        else if (message.type === 'stage-done') {
          if (!ran.includes(message.stage)) ran.push(message.stage);
          timings[message.stage] = message.ms;
          this.progress.stageDone(message.stage, message.ms);
        } else if (message.type === 'stage-skipped') this.progress.skip({ [message.stage]: message.reason });
        else if (message.type === 'gpu-failed') this.progress.note(message.reason, 'warning');
        else if (message.type === 'layout-preview' && !this.entry) {
          document.body.dataset.state = 'preview';
          void this.map.setData({ coords: normaliseCoords(message.coords).coords, colours: previewColours(message.coords.length / 2), focus: null }, { fit: true });
        }
      },
    );
    this.run = run;
    let result;
    try {
      result = await run.result;
    } catch (error) {
      const e = error as PipelineError;
      const stays = this.entry ? ' The previous map stays.' : '';
      if (e.kind === 'cancelled') {
        // A newer run replaced this one: it reports for itself.
        if (this.run !== run) return false;
        this.progress.fail(this.entry ? 'Cancelled: the previous map stays.' : 'Cancelled before the map was built.', retry);
        this.error = 'cancelled';
        return false;
      }
      const where = e.kind === 'failed' && e.stage ? `Failed while ${e.stage === 'model' ? `loading the model ${modelId}` : `computing ${e.stage}`}: ` : '';
      this.fail(`${where}${e.message}${stays}`, retry);
      return false;
    } finally {
      if (this.run === run) this.run = null;
    }
    const entry: MapEntry = {
      key,
      schema: MAP_SCHEMA,
      corpusHash: corpus.hash,
      modelId: mapModelKey(modelId, source.given),
      params: DEFAULT_PIPELINE_PARAMS,
      ...result,
      createdAt: new Date().toISOString(),
    };
    this.commit(source, modelId);
    this.cached = false;
    this.ran = ran;
    Object.assign(this.timings, timings);
    await this.show(entry);
    this.progress.finish(performance.now() - t0);
    for (const warning of entry.warnings) this.progress.note(warning, 'warning');
    if (this.cache) {
      const written = await this.cache.write(entry);
      if (!written.stored) this.cacheProblem = `The map is not saved for next time: ${written.reason}`;
    }
    this.afterOpen();
    await this.applyOpenedWith();
    this.markReady();
    return true;
  }

  private async show(stored: MapEntry): Promise<void> {
    // The one place the map gets its coordinates: centred and scaled so float32 holds when zoomed in
    // (the map, labels, lasso and picking all read these).
    // The int8 rows are for the cache write only: the map on screen does not keep them.
    const { quantised: _forTheCache, ...kept } = stored;
    const entry: MapEntry = { ...kept, coords: normaliseCoords(stored.coords).coords };
    this.entry = entry;
    const t0 = performance.now();
    this.colouring = this.computeColouring(entry);
    // The legend first and the progress folded: the map is framed in the area they leave free.
    this.showLegend();
    this.progress.settle();
    await this.map.setData({ coords: entry.coords, colours: pointColours(this.colouring.rgb), focus: null }, { fit: true });
    this.timings.render = performance.now() - t0;
    // Searching a big map as one types would stall on every keystroke: it waits for a pause instead.
    this.searchBox.keywordDelay = entry.n > 50_000 ? 250 : 0;
    this.anchors = topicAnchors(entry.levels, entry.coords);
    this.updateLabels();
    // One controller per map: the previous one takes its overlay and key listener with it.
    const tool = this.selection?.tool;
    this.selection?.dispose();
    this.selection = new SelectionController(this.corpus!, entry, this.map, this.saved, (i) => this.openPaper(i), () => {
      this.recolour();
      this.scheduleLabels();
      this.syncUrl('push');
    }, tool);
    // Drawing a map is not a step of its own in the history: Back goes straight to the previous map.
    const restoring = this.restoring;
    this.restoring = true;
    this.selection.changed();
    this.restoring = restoring;
    document.body.dataset.state = 'ready';
  }

  private computeColouring(entry: MapEntry): Colouring {
    const { topics, terms } = colourTopics(entry);
    const hits = this.search?.hits ?? [];
    const top = hits[0]?.score ?? 1;
    const searchScores = this.search?.compared ? new Map(hits.map((h) => [h.index, h.score / (top || 1)])) : null;
    const theme = matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
    return colourBy(this.colourMode, { papers: this.corpus!.papers, topics, topicTerms: terms, searchScores, sources: this.corpus!.sources, theme });
  }

  private showLegend(): void {
    if (!this.colouring) return;
    renderLegend(this.colourMode, this.colouring.legend, this.hidden, {
      setMode: (mode) => this.setColourMode(mode),
      toggle: (category) => {
        if (!this.hidden.delete(category)) this.hidden.add(category);
        this.recolour();
        this.showLegend();
      },
      select: (category, modifiers) => {
        const members: number[] = [];
        this.colouring?.category?.forEach((c, i) => c === category && members.push(i));
        this.selection?.selection.apply(members, modifiers.subtract ? 'subtract' : modifiers.add ? 'add' : 'replace');
      },
    }, this.colourModes());
  }

  /** Colour modes this corpus has data for: labels only come with imported files that have them. */
  private colourModes(): ColourMode[] {
    const labelled = this.corpus?.papers.some((p) => p.label) ?? false;
    return COLOUR_MODES.map((m) => m.mode).filter((m) => m !== 'label' || labelled);
  }

  setColourMode(mode: ColourMode): void {
    if (!this.entry) return;
    this.colourMode = mode;
    this.hidden.clear();
    this.colouring = this.computeColouring(this.entry);
    this.recolour();
    this.showLegend();
    this.syncUrl('push');
  }

  private urlState(): UrlState {
    return {
      view: this.entry ? this.map.view() : null,
      colour: this.colourMode,
      query: this.search?.query ?? '',
      queryMode: this.search?.mode ?? 'keyword',
      paper: this.focus !== null ? this.corpus!.papers[this.focus]!.id : null,
      // A selection too large for a link is not listed (a million ids would stall every URL update).
      selected: this.selection && this.selection.selection.size <= MAX_URL_SELECTION ? this.selection.ids() : [],
    };
  }

  /** Writes what is shown into the URL: a new history entry for a step a user would go back to, else a replacement. */
  private syncUrl(kind: 'push' | 'replace'): void {
    if (this.restoring || !this.entry) return;
    const params = encodeUrlState(this.urlState(), new URLSearchParams(location.search));
    const url = `${location.pathname}${params.size > 0 ? `?${params}` : ''}${location.hash}`;
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (kind === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  private async applyOpenedWith(): Promise<void> {
    const state = this.openedWith;
    this.openedWith = null;
    if (state) await this.applyUrlState(state);
    this.restoring = false;
  }

  /** Shows what a URL describes (a shared link, or back/forward). */
  private async applyUrlState(state: UrlState): Promise<void> {
    if (!this.entry || !this.corpus) return;
    this.restoring = true;
    try {
      if (state.colour !== this.colourMode) this.setColourMode(state.colour);
      const missing = this.selection?.selectIds(state.selected) ?? [];
      if (missing.length > 0) this.progress.note(`${missing.length} selected paper${missing.length === 1 ? ' is' : 's are'} not in this corpus: ${missing.slice(0, 3).join(', ')}`, 'warning');
      if (state.query !== (this.search?.query ?? '') || (state.query && state.queryMode !== this.search?.mode)) {
        this.searchBox.set(state.query, state.queryMode);
        await this.runSearch(state.query, state.queryMode);
      }
      const paper = state.paper ? this.corpus.papers.findIndex((p) => p.id === state.paper) : -1;
      this.openPaper(paper >= 0 ? paper : null);
      if (state.view) this.map.setView(state.view);
    } finally {
      this.restoring = false;
    }
  }

  /**
   * Colours the map in the colour mode; papers outside the search hits or the selection fade back,
   * and papers of hidden legend categories are not drawn.
   */
  private recolour(): void {
    if (!this.entry || !this.colouring) return;
    const selection = this.selection?.selection;
    const hits = this.search?.compared ? new Set(this.search.hits.map((h) => h.index)) : null;
    const filtered = hits !== null || (selection?.size ?? 0) > 0;
    const keep = (i: number) => (!hits || hits.has(i)) && (!selection || selection.size === 0 || selection.has(i));
    const category = this.colouring.category;
    const visible = category && this.hidden.size > 0 ? Float32Array.from(category, (c) => (this.hidden.has(c) ? 0 : 1)) : null;
    this.map.update({ colours: pointColours(this.colouring.rgb, filtered ? keep : null), focus: this.focus, dimmed: filtered, visible });
  }

  private async runSearch(query: string, mode: SearchMode): Promise<void> {
    const token = ++this.searchToken;
    if (!this.entry || !this.corpus) return;
    if (query.trim() === '') {
      this.search = null;
      this.syncUrl('replace');
      if (this.colourMode === 'search') this.setColourMode('search');
      this.recolour();
      this.searchBox.show({ total: 0, rows: [], message: null });
      return;
    }
    let hits: SearchHit[] = [];
    let message: string | null = null;
    let compared = false;
    if (mode === 'keyword') {
      this.keywordIndex ??= buildKeywordIndex(this.corpus.papers);
      hits = keywordSearch(this.keywordIndex, query);
      compared = queryWords(query).length > 0;
      if (!compared) message = 'Type a word of two or more letters.';
      else if (hits.length === 0) message = `No paper contains ${queryWords(query).map((w) => `“${w}”`).join(' and ')}.`;
    } else if (this.given?.vectors) {
      message = `This map's vectors came with ${this.corpusName}: search by meaning needs the model that made them. Search by words instead.`;
    } else if (fileGeometry(this.given) === 'positions') {
      message = `This map's positions came with ${this.corpusName}, so its papers were not embedded: search by meaning needs embeddings (import the file with an embedding column, or without x and y to have them computed). Search by words instead.`;
    } else {
      this.searchBox.show({ total: 0, rows: [], message: null, busy: true });
      this.queries ??= new QueryEmbedder({ modelId: this.modelId, modelsUrl: assetUrl('models/'), ortUrl: assetUrl('ort/') });
      try {
        const vector = await this.queries.embed(query);
        if (token !== this.searchToken) return;
        compared = vector !== null;
        if (vector === null) message = `None of these words is known to the model (${this.modelId}): nothing to compare. Try other words, or search by words.`;
        else {
          // The query lands in the map's space: blended with the corpus fit the map was built with.
          const fit = this.entry.corpusFit ?? null;
          const queryVector = fit ? blendQuery(fit, vector, query) : vector;
          this.lexicalIndex ??= this.corpus.papers.length <= LEXICAL_MAX_PAPERS ? buildLexicalIndex(this.corpus.papers.map(paperText)) : null;
          hits = meaningRank(this.entry.embeddings, this.entry.dims, queryVector, query, this.lexicalIndex, SEMANTIC_HITS).filter((h) => h.score > 0);
        }
      } catch (error) {
        if (token !== this.searchToken) return;
        message = `Search by meaning failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (token !== this.searchToken) return;
    this.search = { query, mode, hits, message, compared };
    this.syncUrl('replace');
    if (this.colourMode === 'search') {
      this.colouring = this.computeColouring(this.entry);
      this.showLegend();
    }
    this.recolour();
    const { topics } = colourTopics(this.entry);
    this.searchBox.show({
      total: hits.length,
      message,
      rows: hits.slice(0, MAX_ROWS).map((h) => {
        const paper = this.corpus!.papers[h.index]!;
        const topic = this.topicOf(h.index);
        const score = mode === 'semantic' ? `similarity ${h.score.toFixed(2)}` : null;
        return { index: h.index, title: paper.title, meta: [topic.label ?? 'No clear topic', paper.dateText, score].filter(Boolean).join(' · '), colour: cssColour(topicColour(topics[h.index]!)) };
      }),
    });
  }

  /** Centres the map on a paper (zooming in if far out) and opens it. */
  private flyTo(index: number): void {
    if (!this.entry) return;
    const view = this.map.view();
    this.map.setView({ target: [this.entry.coords[2 * index]!, this.entry.coords[2 * index + 1]!], zoom: Math.max(view.zoom, this.map.overviewZoom + 1.5) });
    this.openPaper(index);
  }

  /** Labels follow the view, at most once a frame. */
  private scheduleLabels(): void {
    if (this.labelFrame) return;
    this.labelFrame = requestAnimationFrame(() => {
      this.labelFrame = 0;
      this.updateLabels();
    });
  }

  private updateLabels(): void {
    if (!this.entry || this.anchors.length === 0) return;
    const level = levelForZoom(this.map.view().zoom, this.map.overviewZoom, this.entry.levels.length);
    const measure = (text: string, size: number) => {
      if (!this.measureContext) return text.length * size * 0.6;
      this.measureContext.font = `600 ${size}px ${LABEL_FONT}`;
      return this.measureContext.measureText(text).width;
    };
    // Panels float over the map: labels under them could not be read or clicked.
    const origin = byId('map').getBoundingClientRect();
    const obstacles = [...document.querySelectorAll<HTMLElement>('.panel, .topbar, .toolbar')]
      .filter((panel) => !panel.hidden && panel.offsetParent !== null)
      .map((panel) => {
        const r = panel.getBoundingClientRect();
        return [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top] as [number, number, number, number];
      });
    this.placed = placeLabels(this.anchors, level, (x, y) => this.map.project(x, y), this.map.size, measure, obstacles);
    this.map.setLabels(this.placed);
  }

  private fail(message: string, retry?: () => void): void {
    this.error = message;
    this.progress.fail(message, retry ?? (() => location.reload()));
    this.failReady(new Error(message));
  }

  private topicOf(index: number): { label: string | null; colour: string } {
    const { topics, terms: allTerms } = colourTopics(this.entry!);
    const topic = topics[index]!;
    const terms = allTerms[topic];
    return { label: topic >= 0 ? terms?.label ?? `Topic ${topic + 1}` : null, colour: cssColour(topicColour(topic)) };
  }

  private hover(index: number | null, x: number, y: number): void {
    if (index === null || !this.corpus || !this.entry) {
      this.tooltip.hide();
      return;
    }
    const paper = this.corpus.papers[index]!;
    const rect = byId('map').getBoundingClientRect();
    this.tooltip.show(paper.title, [this.topicOf(index).label, ...paperMeta(paper).slice(0, 1)].filter(Boolean).join(' · '), rect.left + x, rect.top + y);
  }

  /**
   * A click on the map opens the paper (reading is not selecting); Shift-click adds it to the
   * selection and Alt-click removes it. A click on empty space closes the details.
   */
  private click(index: number | null, modifiers: { add: boolean; subtract: boolean }): void {
    if (index === null) {
      this.openPaper(null);
      return;
    }
    if (modifiers.add || modifiers.subtract) this.selection?.selection.apply([index], modifiers.subtract ? 'subtract' : 'add');
    this.openPaper(index);
  }

  /** Opens a paper's details (null closes them) without touching the selection. */
  openPaper(index: number | null): void {
    if (!this.corpus || !this.entry) return;
    const changed = this.focus !== index;
    this.focus = index;
    this.recolour();
    if (changed) this.syncUrl('push');
    if (index === null) {
      this.details.hide();
      return;
    }
    const topic = this.topicOf(index);
    // A map without vectors (its file gave only positions) lists the papers nearest on the map instead.
    const byMeaning = this.entry.dims > 0;
    const hits = byMeaning ? nearestPapers(this.entry.embeddings, this.entry.dims, index, NEIGHBOURS) : nearestOnMap(this.entry.coords, index, NEIGHBOURS);
    const neighbours = hits.map((h) => ({
      index: h.index,
      title: this.corpus!.papers[h.index]!.title,
      colour: this.topicOf(h.index).colour,
      similarity: byMeaning ? h.score : null,
    }));
    const paper = this.corpus.papers[index]!;
    const pages = new Map(this.corpus.sources.map((s) => [s.id, s.name]));
    this.details.show(paper, topic.label, topic.colour, neighbours, paper.sources.map((id) => pages.get(id) ?? id));
  }

  state(): PapermapState {
    return {
      papers: this.entry?.n ?? 0,
      device: this.entry?.device ?? null,
      neighbours: this.entry?.neighbourMethod ?? null,
      cached: this.cached,
      source: this.entry ? (this.entry.prebuilt && this.ran.length === 0 ? 'prebuilt' : 'browser') : null,
      model: this.modelId,
      corpusFit: this.entry?.corpusFit ? { dims: this.entry.corpusFit.dims, terms: this.entry.corpusFit.terms.length, weight: this.entry.corpusFit.weight } : null,
      selected: this.selection?.ids() ?? [],
      timings: Object.fromEntries(Object.entries(this.timings).map(([k, v]) => [k, Math.round(v * 10) / 10])),
      ran: [...this.ran],
      corpusHash: this.corpus?.hash ?? null,
      corpus: { name: this.corpusName, param: this.corpusParam },
      fallback: this.entry?.fallback ?? null,
      cacheProblem: this.cacheProblem,
      topics: this.entry ? this.entry.levels.flatMap((level, l) => level.terms.map((t) => ({ id: t.topic, label: t.label, size: t.size, level: l }))) : [],
      error: this.error,
      colour: this.colourMode,
      hidden: this.hidden.size,
      search: this.search ? { query: this.search.query, mode: this.search.mode, hits: this.search.hits.map((h) => this.corpus!.papers[h.index]!.id), message: this.search.message, compared: this.search.compared } : null,

      offline: this.offline,
      updateWaiting: this.offlineView.updateWaiting,
      isolated: globalThis.crossOriginIsolated === true,
      threads: wasmThreads(),
    };
  }

  /** Where paper `index` is on the page (CSS pixels), or null before the map is drawn. */
  private pageOf(index: number): [number, number] | null {
    const local = this.map.screenPosition(index);
    if (!local) return null;
    const rect = byId('map').getBoundingClientRect();
    return [rect.left + local[0], rect.top + local[1]];
  }

  api(): PapermapApi {
    return {
      ready: this.ready,
      state: () => this.state(),
      points: () =>
        (this.corpus?.papers ?? []).flatMap((p, i) =>
          this.entry ? [{ id: p.id, x: this.entry.coords[2 * i]!, y: this.entry.coords[2 * i + 1]! }] : [],
        ),
      screenPosition: (id) => {
        const index = this.corpus?.papers.findIndex((p) => p.id === id) ?? -1;
        return index >= 0 ? this.pageOf(index) : null;
      },
      point: (index) => {
        const paper = this.corpus?.papers[index];
        const screen = this.entry && paper ? this.pageOf(index) : null;
        if (!paper || !screen) return null;
        return { id: paper.id, title: paper.title, x: this.entry!.coords[2 * index]!, y: this.entry!.coords[2 * index + 1]!, screen };
      },
      open: (id) => {
        const index = this.corpus?.papers.findIndex((p) => p.id === id) ?? -1;
        if (index < 0) return false;
        this.openPaper(index);
        return true;
      },
      labels: () => {
        const rect = byId('map').getBoundingClientRect();
        return this.placed.map((l) => ({ text: l.text, level: l.level, topic: l.topic, box: [rect.left + l.box[0], rect.top + l.box[1], rect.left + l.box[2], rect.top + l.box[3]] as [number, number, number, number] }));
      },
      view: () => this.map.view(),
      setView: (view: MapView) => this.map.setView(view),
      select: (ids, mode = 'replace') => {
        if (!this.selection) return { selected: 0, missing: [...ids] };
        const missing = this.selection.selectIds([...ids], mode);
        return { selected: this.selection.selection.size, missing };
      },
    };
  }
}

