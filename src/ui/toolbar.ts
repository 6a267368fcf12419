/** The map toolbar: pan / lasso / rectangle tools, Fit (the whole map again), keyboard shortcuts, and the modifier hint. */
import type { Tool } from '../map/lasso-overlay';
import { byId, el } from './dom';

// 20 × 20 SVG paths: icons that do not depend on which fonts the machine has.
const TOOLS: { tool: Tool; label: string; path: string; key: string }[] = [
  { tool: 'pan', label: 'Pan and zoom', path: 'M10 2v16M2 10h16M10 2l-3 3M10 2l3 3M10 18l-3-3M10 18l3-3M2 10l3-3M2 10l3 3M18 10l-3-3M18 10l-3 3', key: 'v' },
  { tool: 'lasso', label: 'Lasso select', path: 'M10 3c4.5 0 7.5 2.2 7.5 5s-3 5-7.5 5-7.5-2.2-7.5-5 3-5 7.5-5zM6 12.5c-1 1.5-.5 3.5 1.5 4.5', key: 'l' },
  { tool: 'rect', label: 'Rectangle select', path: 'M3 4h14v12H3z', key: 'r' },
];
const FIT = { label: 'Fit the whole map in view', path: 'M3 7V3h4M13 3h4v4M17 13v4h-4M7 17H3v-4', key: 'f' };

function icon(path: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('aria-hidden', 'true');
  const shape = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  shape.setAttribute('d', path);
  svg.append(shape);
  return svg;
}

export class Toolbar {
  private readonly root = byId('toolbar');
  private readonly buttons = new Map<Tool, HTMLButtonElement>();
  private readonly onKey: (event: KeyboardEvent) => void;

  constructor(onTool: (tool: Tool) => void, onFit: () => void) {
    for (const { tool, label, path, key } of TOOLS) {
      const button = el('button', { className: 'tool', title: `${label} (${key.toUpperCase()})`, attrs: { 'aria-label': label, 'aria-pressed': 'false', 'data-tool': tool } }, icon(path));
      button.addEventListener('click', () => onTool(tool));
      this.buttons.set(tool, button);
    }
    const fit = el('button', { className: 'tool fit', title: `${FIT.label} (${FIT.key.toUpperCase()})`, attrs: { 'aria-label': FIT.label, 'aria-keyshortcuts': FIT.key.toUpperCase() } }, icon(FIT.path));
    fit.addEventListener('click', onFit);
    const hint = el('span', { className: 'hint', text: 'Shift adds · Alt subtracts · Esc clears' });
    this.root.replaceChildren(...this.buttons.values(), el('span', { className: 'separator', attrs: { 'aria-hidden': 'true' } }), fit, hint);
    this.onKey = (event) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement || event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === FIT.key) onFit();
      const match = TOOLS.find((t) => t.key === key);
      if (match) onTool(match.tool);
    };
    document.addEventListener('keydown', this.onKey);
    this.root.hidden = false;
  }

  /** Stops answering keys; the buttons are replaced by the next toolbar's. */
  dispose(): void {
    document.removeEventListener('keydown', this.onKey);
  }

  show(tool: Tool): void {
    for (const [t, button] of this.buttons) button.setAttribute('aria-pressed', String(t === tool));
    this.root.dataset.tool = tool;
  }
}
