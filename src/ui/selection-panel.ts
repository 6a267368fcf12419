/**
 * The selection panel: how many papers are selected, what sets them apart (top terms against the rest
 * of the corpus), their topic mix, a virtualised list of titles that opens each paper, exports, and
 * the saved selections (save, restore, rename, delete).
 */
import type { SavedSelection } from '../cache/selections';
import { byId, el } from './dom';

export interface SelectionRow {
  index: number;
  title: string;
  meta: string;
  colour: string;
}

export interface SelectionSummary {
  count: number;
  terms: string[];
  mix: { label: string; colour: string; count: number }[];
  /** Row k of the list (0 ≤ k < count), made when it scrolls into view: a big selection is never listed whole. */
  row(k: number): SelectionRow;
}

export type ExportKind = 'csv' | 'json' | 'bibtex' | 'parquet';

export interface SelectionActions {
  open(index: number): void;
  zoomTo(): void;
  clear(): void;
  exportAs(kind: ExportKind): void;
  copyTitles(): void;
  save(name: string): void;
  restore(saved: SavedSelection): void;
  rename(saved: SavedSelection, name: string): void;
  remove(saved: SavedSelection): void;
}

const ROW_HEIGHT = 46;
/** Browsers cap an element's height (about 33 million px in Chromium): the list scrolls over at most this many rows. */
const MAX_LISTED = 500_000;

export const EMPTY: SelectionSummary = { count: 0, terms: [], mix: [], row: () => { throw new RangeError('no rows in an empty selection'); } };
const OVERSCAN = 6;

function button(text: string, onClick: () => void, props: { title?: string; className?: string } = {}): HTMLButtonElement {
  const b = el('button', { className: props.className ?? 'button small', text, ...(props.title ? { title: props.title } : {}) });
  b.addEventListener('click', onClick);
  return b;
}

export class SelectionPanel {
  private readonly root = byId('selection');
  private readonly viewport = el('div', { className: 'rows', attrs: { role: 'list', 'aria-label': 'Selected papers' } });
  private readonly spacer = el('div', { className: 'spacer' });
  private readonly message = el('p', { className: 'message', attrs: { role: 'status' } });
  private saved: SavedSelection[] = [];
  private summary: SelectionSummary = EMPTY;

  constructor(private readonly actions: SelectionActions) {
    this.viewport.append(this.spacer);
    this.viewport.addEventListener('scroll', () => this.drawRows());
  }

  /** Shows a short notice (export done, ids missing on restore) until the next one. */
  say(text: string): void {
    this.message.textContent = text;
  }

  update(summary: SelectionSummary, saved: SavedSelection[] = this.saved): void {
    this.summary = summary;
    this.saved = saved;
    this.render();
  }

  private render(): void {
    const { count, terms, mix } = this.summary;
    const parts: Node[] = [];
    if (count > 0) {
      parts.push(
        el('header', {}, el('h3', { text: `${count.toLocaleString()} paper${count === 1 ? '' : 's'} selected` }), button('Clear', () => this.actions.clear(), { title: 'Clear the selection (Esc)', className: 'button small subtle' })),
        el(
          'div',
          { className: 'actions' },
          button('Zoom to', () => this.actions.zoomTo()),
          button('CSV', () => this.actions.exportAs('csv'), { title: 'Download as CSV' }),
          button('JSON', () => this.actions.exportAs('json'), { title: 'Download as JSON' }),
          button('BibTeX', () => this.actions.exportAs('bibtex'), { title: 'Download as BibTeX entries' }),
          button('Parquet', () => this.actions.exportAs('parquet'), { title: 'Download as Parquet, with positions, topics and vectors (pandas, polars, DuckDB)' }),
          button('Copy titles', () => this.actions.copyTitles()),
        ),
      );
      if (terms.length > 0) parts.push(el('div', { className: 'terms', attrs: { 'aria-label': 'Top terms of the selection' } }, ...terms.map((t) => el('span', { className: 'term', text: t }))));
      if (mix.length > 0) {
        const max = Math.max(...mix.map((m) => m.count));
        parts.push(
          el(
            'ul',
            { className: 'mix', attrs: { 'aria-label': 'Topic mix' } },
            ...mix.map((m) =>
              el(
                'li',
                {},
                el('span', { className: 'label', text: m.label }),
                el('span', { className: 'bar', style: { width: `${Math.max(4, (70 * m.count) / max)}%`, background: m.colour } }),
                el('span', { className: 'count', text: m.count.toLocaleString('en') }),
              ),
            ),
          ),
        );
      }
      this.spacer.style.height = `${this.listed * ROW_HEIGHT}px`;
      this.viewport.scrollTop = 0;
      parts.push(this.viewport);
      if (count > MAX_LISTED) parts.push(el('p', { className: 'more', text: `Listing the first ${MAX_LISTED.toLocaleString('en')}; exports hold all ${count.toLocaleString('en')}.` }));
      parts.push(this.saveForm());
    } else {
      parts.push(el('p', { className: 'empty', text: 'Draw a lasso (L) or a rectangle (R) around papers, or click a topic in the legend, to select them.' }));
    }
    parts.push(this.message);
    if (this.saved.length > 0) parts.push(this.savedList());
    this.root.replaceChildren(...parts);
    // Nothing selected and nothing saved: the toolbar's hint is enough; keep the map clear.
    this.root.hidden = count === 0 && this.saved.length === 0 && this.message.textContent === '';
    this.drawRows();
  }

  private get listed(): number {
    return Math.min(this.summary.count, MAX_LISTED);
  }

  /** Draws only the rows in view (plus a few): the list stays fast for any selection size. */
  private drawRows(): void {
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil((this.viewport.clientHeight || 300) / ROW_HEIGHT) + 2 * OVERSCAN;
    const rows: SelectionRow[] = [];
    for (let k = first; k < Math.min(this.listed, first + visible); k++) rows.push(this.summary.row(k));
    const nodes = rows.map((row, k) => {
      const item = el(
        'button',
        { className: 'row', attrs: { role: 'listitem', 'data-index': String(row.index) }, style: { top: `${(first + k) * ROW_HEIGHT}px` } },
        el('span', { className: 'swatch', style: { background: row.colour } }),
        el('span', { className: 'title', text: row.title }),
        el('span', { className: 'meta', text: row.meta }),
      );
      item.addEventListener('click', () => this.actions.open(row.index));
      return item;
    });
    this.spacer.replaceChildren(...nodes);
  }

  private saveForm(): HTMLFormElement {
    const input = el('input', { attrs: { type: 'text', placeholder: 'Name this selection', 'aria-label': 'Selection name', maxlength: '120' } });
    const form = el('form', { className: 'save' }, input, el('button', { className: 'button small', text: 'Save', attrs: { type: 'submit' } }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.actions.save(input.value);
    });
    return form;
  }

  private savedList(): HTMLElement {
    const items = this.saved.map((saved) => {
      const name = el('button', { className: 'name', text: saved.name, title: `Restore "${saved.name}"` });
      name.addEventListener('click', () => this.actions.restore(saved));
      const rename = button('Rename', () => {
        const input = el('input', { attrs: { type: 'text', value: saved.name, 'aria-label': 'New name', maxlength: '120' } });
        const form = el('form', { className: 'rename' }, input);
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          this.actions.rename(saved, input.value);
        });
        name.replaceWith(form);
        input.focus();
        input.select();
      }, { className: 'button small subtle' });
      const remove = button('Delete', () => this.actions.remove(saved), { className: 'button small subtle danger' });
      return el('li', { attrs: { 'data-id': saved.id } }, name, el('span', { className: 'count', text: String(saved.ids.length) }), rename, remove);
    });
    return el('section', { className: 'saved' }, el('h4', { text: 'Saved selections' }), el('ul', {}, ...items));
  }
}
