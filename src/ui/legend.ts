/**
 * The legend: what the colours mean in the current colour mode. Categories can be hidden from the
 * map (the eye) or selected (click the name; Shift adds, Alt subtracts); ramps show their range.
 * It folds to its colour-by line (folded from the start on a phone, where the map needs the room).
 */
import { COLOUR_MODES, type ColourMode, type Colouring } from '../map/colour-modes';
import { cssColour } from '../map/palette';
import { byId, el, foldButton } from './dom';

export interface LegendActions {
  setMode(mode: ColourMode): void;
  toggle(category: number): void;
  select(category: number, modifiers: { add: boolean; subtract: boolean }): void;
}

/** Screens where the legend starts folded (style.css's phone layout). */
const PHONE = '(max-width: 640px)';

/** Categories listed at most: a file's label column may have thousands of values. */
const MAX_ITEMS = 100;

/** `modes`: the colour modes this corpus has data for. */
export function renderLegend(mode: ColourMode, legend: Colouring['legend'], hidden: ReadonlySet<number>, actions: LegendActions, modes: readonly ColourMode[]): void {
  const root = byId('legend');
  const picker = el('select', { attrs: { 'aria-label': 'Colour by' } }, ...COLOUR_MODES.filter((m) => modes.includes(m.mode)).map(({ mode: m, label }) => el('option', { text: label, attrs: { value: m, ...(m === mode ? { selected: '' } : {}) } })));
  picker.addEventListener('change', () => actions.setMode(picker.value as ColourMode));
  root.dataset.collapsed ??= String(matchMedia(PHONE).matches);
  const header = el('header', {}, el('h3', { text: 'Colour by' }), picker, foldButton(root, 'the legend'));

  let body: HTMLElement;
  if (legend.kind === 'categories') {
    body = el(
      'ol',
      {},
      ...legend.items.slice(0, MAX_ITEMS).map((item) => {
        const shown = !hidden.has(item.id);
        const toggle = el('button', { className: 'toggle', title: shown ? 'Hide these papers' : 'Show these papers', attrs: { 'aria-pressed': String(shown), 'aria-label': `${shown ? 'Hide' : 'Show'} ${item.label}` } }, el('span', { className: 'swatch', style: { background: cssColour(item.colour) } }));
        toggle.addEventListener('click', () => actions.toggle(item.id));
        const name = el(
          'button',
          { className: 'topic', title: `${item.detail ? `${item.detail} — ` : ''}click to select (Shift adds, Alt subtracts)`, attrs: { 'data-category': String(item.id) } },
          el('span', { className: 'label', text: item.label }),
          el('span', { className: 'count', text: item.count.toLocaleString('en') }),
        );
        name.addEventListener('click', (event) => actions.select(item.id, { add: event.shiftKey, subtract: event.altKey }));
        return el('li', { className: [shown ? '' : 'hidden', item.id < 0 ? 'noise' : ''].join(' ').trim() }, toggle, name);
      }),
      legend.items.length > MAX_ITEMS ? el('li', { className: 'more', text: `and ${(legend.items.length - MAX_ITEMS).toLocaleString('en')} more, smaller` }) : null,
    );
    if (legend.note) body = el('div', {}, el('p', { className: 'missing', text: legend.note }), body);
  } else {
    const gradient = `linear-gradient(to right, ${legend.stops.map(cssColour).join(', ')})`;
    body = el(
      'div',
      { className: 'ramp' },
      el('span', { className: 'bar', style: { background: gradient } }),
      el('div', { className: 'ends' }, el('span', { text: legend.from }), el('span', { text: legend.to })),
      legend.missing > 0 ? el('p', { className: 'missing', text: `${legend.missing.toLocaleString('en')} grey: ${legend.missingLabel}` }) : null,
    );
  }
  root.replaceChildren(header, body);
  root.hidden = false;
}
