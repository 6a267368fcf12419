/**
 * The maps panel (opened from the corpus summary in the top bar): which corpus and which model the
 * map is built from. Lists the shipped corpus and the user's imported ones (open, delete), imports a
 * new file (pick, or drop anywhere on the page) with a column mapping the user can correct, and picks
 * the model. Thin glue: the import runs in a worker (CorpusImport), maps are built by the App.
 */
import { CorpusImport } from '../corpus/import-client';
import { COLUMN_FIELDS, type ColumnField, type ColumnMap, type ImportColumns, type ImportResult } from '../corpus/import';
import type { FileGeometry } from '../pipeline/types';
import type { StoredCorpusSummary } from '../cache/corpora';
import { DEFAULT_MODEL_ID, isValidModelId } from '../model/models';
import { byId, el } from './dom';

/** Models offered in the picker besides the embedded one (any other id can be typed). */
const SUGGESTED_MODELS = ['Xenova/all-MiniLM-L6-v2', 'Xenova/bge-small-en-v1.5'];

/** What a user can do with the model picker (how a site hosts a model is the README's business, not the user's). */
const MODEL_HELP = 'Any model of the Hugging Face hub can be tried by its name (org/name): it is downloaded while you are online, unless this site hosts its own copy. If it cannot be loaded, the current map stays.';

/** What building with these columns will do, in a sentence. */
function buildPlan(map: ColumnMap): string {
  const positions = map.x !== null && map.y !== null;
  if (map.vector !== null) return `The file's vectors are used, so no model runs${positions ? ', and its positions are the map' : ''}. Search by meaning is off.`;
  if (positions) return "The file's positions are the map: no model runs and nothing is embedded, so it opens quickly and search by meaning is off. Clear x and y to have the texts embedded and laid out here.";
  return 'The texts are embedded with the current model and laid out here.';
}

const FIELD_LABELS: Record<ColumnField, string> = {
  title: 'Title',
  text: 'Abstract / text',
  id: 'Id',
  date: 'Date',
  url: 'Link',
  label: 'Label',
  vector: 'Embedding',
  x: 'x position',
  y: 'y position',
  authors: 'Authors',
  organization: 'Organisation',
  upvotes: 'Upvotes',
};

export interface MapsPanelActions {
  /** What is shown now: the corpus (null hash = shipped), model, and what the file gave in place of the model (see fileGeometry). */
  current(): { hash: string | null; name: string; papers: number; modelId: string; fileGeometry: FileGeometry; prebuilt: boolean };
  corpora(): Promise<StoredCorpusSummary[]>;
  /** Opens a stored corpus (null: the shipped one). */
  openCorpus(hash: string | null): Promise<void>;
  deleteCorpus(hash: string): Promise<void>;
  /** Keeps an import and opens its map. */
  openImport(result: ImportResult, name: string): Promise<void>;
  useModel(modelId: string): Promise<void>;
  /** Embeds the texts of a corpus that brought only positions (the positions stay). */
  embedTexts(): Promise<void>;
  /** Computes the map shown in this browser, replacing its prebuilt copy. */
  rebuild(): Promise<void>;
  /** Downloads the map shown as Parquet (every paper: fields, position, topics, vectors). */
  exportMap(): Promise<void>;
}

function bytes(n: number): string {
  return n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

export class MapsPanel {
  private readonly root = byId('maps');
  private readonly trigger = byId<HTMLButtonElement>('summary');
  private readonly fileInput = el('input', { attrs: { type: 'file', accept: '.csv,.tsv,.json,.jsonl,.ndjson,.parquet,.arrow,.feather,.ipc,text/csv,application/json', 'aria-label': 'Corpus file' } });
  /** The import under way, if any. */
  private job: CorpusImport | null = null;
  /** Where the import form and its messages go. */
  private readonly importArea = el('div', { className: 'import' });

  constructor(private readonly actions: MapsPanelActions) {
    this.trigger.addEventListener('click', () => (this.root.hidden ? void this.open() : this.close()));
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = '';
      if (file) void this.importFile(file);
    });
    // A file dropped anywhere on the page is imported.
    document.addEventListener('dragover', (event) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      document.body.dataset.drop = 'on';
    });
    document.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) delete document.body.dataset.drop;
    });
    document.addEventListener('drop', (event) => {
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      delete document.body.dataset.drop;
      void this.importFile(file);
    });
    this.root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.close();
      }
    });
  }

  async open(): Promise<void> {
    this.root.hidden = false;
    this.trigger.setAttribute('aria-expanded', 'true');
    await this.render();
  }

  close(): void {
    this.root.hidden = true;
    this.trigger.setAttribute('aria-expanded', 'false');
  }

  /** Redraws the lists (after a switch, an import or a deletion); the import area is kept. */
  async render(): Promise<void> {
    const current = this.actions.current();
    const stored = await this.actions.corpora().catch(() => []);
    const close = el('button', { className: 'icon-button close', text: '×', attrs: { 'aria-label': 'Close' } });
    close.addEventListener('click', () => this.close());

    const corpusRow = (hash: string | null, name: string, detail: string) => {
      const active = hash === current.hash;
      const open = el('button', { className: 'corpus', attrs: { 'aria-current': String(active), ...(hash ? { 'data-hash': hash } : { 'data-shipped': '' }) } }, el('span', { className: 'name', text: name }), el('span', { className: 'meta', text: detail }));
      open.disabled = active;
      open.addEventListener('click', async () => {
        // The panel gives the map back while it is built (it would cover the legend and the results).
        this.close();
        await this.actions.openCorpus(hash);
        if (!this.root.hidden) await this.render();
      });
      const row = el('li', {}, open);
      if (hash) {
        const remove = el('button', { className: 'button small danger', text: 'Delete', title: `Delete ${name} and its maps from this browser` });
        // A second click confirms: deleting loses the computed maps (the file can be imported again).
        let armed = 0;
        remove.addEventListener('click', async () => {
          if (!armed) {
            remove.textContent = 'Confirm delete';
            armed = window.setTimeout(() => {
              armed = 0;
              remove.textContent = 'Delete';
            }, 4000);
            return;
          }
          clearTimeout(armed);
          remove.disabled = true;
          await this.actions.deleteCorpus(hash);
          await this.render();
        });
        row.append(remove);
      }
      return row;
    };
    const list = el(
      'ol',
      { className: 'corpora' },
      corpusRow(null, 'Shipped corpus', current.hash === null ? `${current.papers} papers · research paper listings` : 'research paper listings'),
      ...stored.map((c) => corpusRow(c.hash, c.name, `${c.papers} papers · ${c.source.kind === 'url' ? 'from a URL' : 'imported'} ${c.importedAt.slice(0, 10)}`)),
    );
    const pick = el('button', { className: 'button', text: 'Import a file…' });
    const exportMap = el('button', { className: 'button small', text: 'Export map as Parquet', title: 'Every paper with its position, topics at each level and vector: for pandas, polars, DuckDB' });
    const exported = el('span', { className: 'meta', attrs: { role: 'status' } });
    exportMap.addEventListener('click', () => {
      exportMap.disabled = true;
      exported.textContent = 'Writing…';
      this.actions.exportMap().then(
        () => (exported.textContent = `Saved ${current.papers.toLocaleString('en')} papers.`),
        (error: unknown) => (exported.textContent = `Could not write the file (${error instanceof Error ? error.message : String(error)}).`),
      ).finally(() => (exportMap.disabled = false));
    });
    let prebuilt: HTMLElement | null = null;
    if (current.prebuilt) {
      const rebuild = el('button', { className: 'button small', text: 'Rebuild in this browser' });
      rebuild.addEventListener('click', () => {
        this.close();
        void this.actions.rebuild();
      });
      prebuilt = el('div', { className: 'prebuilt' }, el('p', { className: 'meta', text: 'Computed ahead of time and shipped with this page: nothing was computed here.' }), rebuild);
    }
    pick.addEventListener('click', () => this.fileInput.click());

    this.root.replaceChildren(
      close,
      el('h3', { text: 'Corpus' }),
      list,
      ...(prebuilt ? [prebuilt] : []),
      el('div', { className: 'map-export' }, exportMap, exported),
      el('div', { className: 'import-actions' }, pick, el('span', { className: 'hint', text: 'CSV, JSON(L), Parquet or Arrow — or drop a file on the map' })),
      this.importArea,
      el('h3', { text: 'Model' }),
      this.modelPicker(current),
    );
  }

  private modelPicker(current: ReturnType<MapsPanelActions['current']>): HTMLElement {
    if (current.fileGeometry === 'vectors') return el('p', { className: 'meta', text: 'This corpus brought its own vectors: no model runs, and search by meaning is off.' });
    if (current.fileGeometry === 'positions') {
      const embed = el('button', { className: 'button', text: 'Embed the texts' });
      embed.addEventListener('click', () => {
        embed.disabled = true;
        this.close();
        void this.actions.embedTexts().finally(() => !this.root.hidden && this.render());
      });
      return el(
        'div',
        { className: 'embed-positions' },
        el('p', { className: 'meta', text: `This corpus brought its own positions: no model runs, and search by meaning is off. Embedding its ${current.papers.toLocaleString('en')} texts with ${current.modelId} keeps the positions and turns search by meaning on; the map stays usable meanwhile.` }),
        embed,
      );
    }
    const ids = [...new Set([DEFAULT_MODEL_ID, ...SUGGESTED_MODELS, current.modelId])];
    const select = el('select', { attrs: { 'aria-label': 'Model' } }, ...ids.map((id) => el('option', { text: id === DEFAULT_MODEL_ID ? `${id} (embedded)` : id, attrs: { value: id, ...(id === current.modelId ? { selected: '' } : {}) } })), el('option', { text: 'Other…', attrs: { value: '' } }));
    const other = el('input', { attrs: { type: 'text', placeholder: 'org/name', 'aria-label': 'Model id', spellcheck: 'false' } });
    other.hidden = true;
    const use = el('button', { className: 'button', text: 'Use model' });
    const problem = el('p', { className: 'problem', attrs: { role: 'alert' } });
    select.addEventListener('change', () => {
      other.hidden = select.value !== '';
      if (!other.hidden) other.focus();
    });
    use.addEventListener('click', () => {
      const id = (select.value || other.value).trim();
      problem.textContent = '';
      if (!isValidModelId(id)) {
        problem.textContent = `“${id}” is not a model id: expected org/name, as on the Hugging Face hub.`;
        return;
      }
      if (id === current.modelId) return;
      use.disabled = true;
      this.close();
      // Drawn again only if the panel still shows this drawing: one opened since was drawn fresh, and
      // drawing it again would undo a choice being made in it.
      void this.actions.useModel(id).finally(() => !this.root.hidden && use.isConnected && this.render());
    });
    return el('div', { className: 'model' }, el('div', { className: 'row' }, select, use), other, problem, el('p', { className: 'meta', text: MODEL_HELP }));
  }

  /** Reads a file in the import worker, then asks the user to confirm which columns are what. */
  async importFile(file: Blob & { name?: string }): Promise<void> {
    if (this.root.hidden) await this.open();
    this.job?.close();
    const name = file.name || 'corpus file';
    const status = el('p', { className: 'meta', text: `Reading ${name} (${bytes(file.size)})…` });
    this.importArea.replaceChildren(status);
    const job = new CorpusImport(file, { name, onProgress: (done, total) => (status.textContent = `Reading ${name}: ${bytes(done)}${total ? ` of ${bytes(total)}` : ''}…`) });
    this.job = job;
    let columns: ImportColumns;
    try {
      columns = await job.columns;
    } catch (error) {
      if (this.job === job) this.showProblem(error);
      return;
    }
    if (this.job !== job) return;
    if (columns.papermap) {
      await this.build(job, columns.guess, name);
      return;
    }
    this.showMapping(job, columns, name);
  }

  private showMapping(job: CorpusImport, columns: ImportColumns, name: string): void {
    const map: ColumnMap = { ...columns.guess };
    // What the chosen columns mean for the build (a file's positions skip the model): said before it starts.
    const plan = el('p', { className: 'meta plan', text: buildPlan(map) });
    const selects = COLUMN_FIELDS.map((field) => {
      const select = el('select', { attrs: { 'aria-label': FIELD_LABELS[field], 'data-field': field } }, el('option', { text: field === 'title' || field === 'text' ? 'choose a column' : '—', attrs: { value: '' } }), ...columns.columns.map((c) => el('option', { text: c, attrs: { value: c, ...(c === map[field] ? { selected: '' } : {}) } })));
      select.addEventListener('change', () => {
        map[field] = select.value || null;
        plan.textContent = buildPlan(map);
      });
      return el('label', { className: field === 'title' || field === 'text' ? 'required' : '' }, el('span', { text: FIELD_LABELS[field] }), select);
    });
    const sample = columns.sample[0];
    const build = el('button', { className: 'button primary', text: 'Build map' });
    const cancel = el('button', { className: 'button', text: 'Cancel' });
    build.addEventListener('click', () => void this.build(job, map, name));
    cancel.addEventListener('click', () => {
      job.close();
      this.job = null;
      this.importArea.replaceChildren();
    });
    this.importArea.replaceChildren(
      el('p', { className: 'file', text: `${name} — ${columns.format.toUpperCase()}, ${columns.rows.toLocaleString()} rows, ${columns.columns.length} columns` }),
      ...columns.warnings.map((w) => el('p', { className: 'warning', text: w })),
      el('div', { className: 'mapping' }, ...selects),
      ...(sample && map.title ? [el('p', { className: 'meta sample', text: `First row: ${sample[map.title] ?? ''}` })] : []),
      plan,
      el('div', { className: 'actions' }, cancel, build),
    );
  }

  private async build(job: CorpusImport, map: ColumnMap, name: string): Promise<void> {
    const problem = this.importArea.querySelector('.problem');
    problem?.remove();
    let result: ImportResult;
    try {
      result = await job.build(map);
    } catch (error) {
      if (this.job === job) this.showProblem(error, true);
      return;
    }
    job.close();
    this.job = null;
    this.importArea.replaceChildren();
    this.close();
    await this.actions.openImport(result, name);
    await this.render();
  }

  /** Shows why an import failed; `keep` leaves the mapping form so the user can correct it. */
  private showProblem(error: unknown, keep = false): void {
    const message = el('p', { className: 'problem', text: error instanceof Error ? error.message : String(error), attrs: { role: 'alert' } });
    if (keep) this.importArea.append(message);
    else this.importArea.replaceChildren(message);
  }
}
