/**
 * The search box (press / to focus): keyword search as you type, or search by meaning (the query is
 * embedded by the map's model). Results list under the box, best first; clicking one flies to it.
 */
import { byId, el } from './dom';

export type SearchMode = 'keyword' | 'semantic';

export interface SearchResultRow {
  index: number;
  title: string;
  meta: string;
  colour: string;
}

export interface SearchActions {
  search(query: string, mode: SearchMode): void;
  open(index: number): void;
  selectAll(): void;
}

/** Results listed under the box (every hit is highlighted on the map). */
export const MAX_ROWS = 50;

export class SearchBox {
  private readonly root = byId('search');
  private readonly input = el('input', { attrs: { type: 'search', placeholder: 'Search papers  ( / )', 'aria-label': 'Search papers', autocomplete: 'off', spellcheck: 'false' } });
  private readonly modes = new Map<SearchMode, HTMLButtonElement>();
  private readonly results = byId('results');
  private mode: SearchMode = 'keyword';
  private timer = 0;
  /** Pause (ms) after a keystroke before a word search: 0 searches as you type; a big map waits for a pause in typing. */
  keywordDelay = 0;

  constructor(private readonly actions: SearchActions) {
    const toggle = el('div', { className: 'modes', attrs: { role: 'group', 'aria-label': 'Search mode' } });
    // A click on the toggle leaves the focus where it was: typing after it still goes into the box.
    toggle.addEventListener('mousedown', (event) => event.preventDefault());
    for (const [mode, label, title] of [
      ['keyword', 'Words', 'Papers containing every word'],
      ['semantic', 'Meaning', 'Papers closest in meaning, by the map’s model'],
    ] as const) {
      const button = el('button', { className: 'mode', text: label, title, attrs: { 'aria-pressed': String(mode === this.mode), 'data-mode': mode } });
      button.addEventListener('click', () => {
        this.setMode(mode);
        this.run(0);
      });
      this.modes.set(mode, button);
      toggle.append(button);
    }
    this.root.replaceChildren(this.input, toggle);
    this.root.hidden = false;
    this.input.addEventListener('input', () => this.run(this.mode === 'keyword' ? this.keywordDelay : 350));
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.run(0);
      if (event.key === 'Escape') {
        this.set('', this.mode);
        this.run(0);
        this.input.blur();
      }
    });
    document.addEventListener('keydown', (event) => {
      if (event.key !== '/' || event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      event.preventDefault();
      this.input.focus();
      this.input.select();
    });
  }

  private setMode(mode: SearchMode): void {
    this.mode = mode;
    for (const [m, button] of this.modes) button.setAttribute('aria-pressed', String(m === mode));
  }

  /** Sets the box without searching (restoring a shared URL). */
  set(query: string, mode: SearchMode): void {
    this.input.value = query;
    this.setMode(mode);
  }

  private run(delay: number): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.actions.search(this.input.value, this.mode), delay);
  }

  show(summary: { total: number; rows: SearchResultRow[]; message: string | null; busy?: boolean }): void {
    if (this.input.value.trim() === '' && !summary.message) {
      this.results.hidden = true;
      return;
    }
    const header = el(
      'header',
      {},
      el('span', { className: 'count', text: summary.busy ? 'Searching…' : summary.message ?? `${summary.total} paper${summary.total === 1 ? '' : 's'}` }),
    );
    if (summary.total > 0) {
      const all = el('button', { className: 'button small', text: 'Select all', title: 'Make the hits the selection' });
      all.addEventListener('click', () => this.actions.selectAll());
      header.append(all);
    }
    const list = el(
      'ol',
      {},
      ...summary.rows.slice(0, MAX_ROWS).map((row) => {
        const item = el('button', { className: 'hit', attrs: { 'data-index': String(row.index) } }, el('span', { className: 'swatch', style: { background: row.colour } }), el('span', { className: 'title', text: row.title }), el('span', { className: 'meta', text: row.meta }));
        item.addEventListener('click', () => this.actions.open(row.index));
        return el('li', {}, item);
      }),
    );
    const more = summary.total > MAX_ROWS ? el('p', { className: 'more', text: `Showing the best ${MAX_ROWS}; all ${summary.total} are highlighted on the map.` }) : null;
    this.results.replaceChildren(header, list, ...(more ? [more] : []));
    this.results.hidden = false;
  }

  get query(): string {
    return this.input.value;
  }
}
