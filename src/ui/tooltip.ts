/** The hover tooltip: a paper's title near the pointer. */
import { byId, el } from './dom';

export class Tooltip {
  private readonly root = byId('tooltip');

  show(title: string, meta: string, x: number, y: number): void {
    // The title is clamped to a few lines: a title from a file can be one 10,000-character word.
    this.root.replaceChildren(el('span', { className: 'title', text: title }), ...(meta ? [el('small', { text: meta })] : []));
    this.root.hidden = false;
    // Keep it inside the window: flip to the left/top near the right/bottom edges.
    const { innerWidth, innerHeight } = window;
    const box = this.root.getBoundingClientRect();
    const left = x + 14 + box.width > innerWidth ? x - 14 - box.width : x + 14;
    const top = y + 14 + box.height > innerHeight ? y - 14 - box.height : y + 14;
    this.root.style.transform = `translate(${Math.max(4, left)}px, ${Math.max(4, top)}px)`;
  }

  hide(): void {
    this.root.hidden = true;
  }
}
