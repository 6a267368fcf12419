/** The details panel: everything the corpus knows about one paper. */
import type { Paper } from '../corpus/types';
import { byId, el } from './dom';

export function paperMeta(paper: Paper): string[] {
  const parts: string[] = [];
  if (paper.dateText) parts.push(paper.dateText);
  if (paper.authors !== null) parts.push(`${paper.authors} author${paper.authors === 1 ? '' : 's'}`);
  if (paper.organization) parts.push(paper.organization);
  if (paper.upvotes !== null) parts.push(`▲ ${paper.upvotes} upvote${paper.upvotes === 1 ? '' : 's'}`);
  return parts;
}

export class DetailsPanel {
  private readonly root = byId('details');

  constructor(private readonly onClose: () => void) {}

  show(paper: Paper, topicLabel: string | null, topicColour: string): void {
    const close = el('button', { className: 'icon-button close', text: '×', title: 'Close (Esc)', attrs: { 'aria-label': 'Close details' } });
    close.addEventListener('click', () => this.onClose());
    const topic = topicLabel
      ? el('div', { className: 'topic-chip' }, el('span', { className: 'swatch', style: { background: topicColour } }), topicLabel)
      : null;
    const sources = el(
      'dl',
      { className: 'facts' },
      el('dt', { text: 'Listed on' }),
      el('dd', { text: paper.sources.length > 0 ? paper.sources.join(', ') : 'unknown' }),
      el('dt', { text: 'Id' }),
      el('dd', { text: paper.id }),
    );
    this.root.replaceChildren(
      close,
      ...(topic ? [topic] : []),
      el('h2', { text: paper.title }),
      el('p', { className: 'meta', text: paperMeta(paper).join(' · ') || 'No date or author information' }),
      el('p', { className: 'abstract', text: paper.abstract }),
      sources,
    );
    this.root.hidden = false;
    this.root.scrollTop = 0;
  }

  hide(): void {
    this.root.hidden = true;
  }

  get open(): boolean {
    return !this.root.hidden;
  }
}
