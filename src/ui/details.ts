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

/**
 * A paper's link, if it is safe to follow: only http(s) URLs become links (a `javascript:` or `data:`
 * URL from an untrusted file would run or show content in the page's name).
 */
export function safeLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export interface Neighbour {
  index: number;
  title: string;
  colour: string;
  /** Cosine similarity; null when the neighbours are the nearest on the map (a map without vectors). */
  similarity: number | null;
}

export class DetailsPanel {
  private readonly root = byId('details');

  constructor(
    private readonly onClose: () => void,
    private readonly onOpen: (index: number) => void,
  ) {}

  /** `listedOn`: the names of the pages the paper was found on (its sources, named). */
  show(paper: Paper, topicLabel: string | null, topicColour: string, neighbours: Neighbour[] = [], listedOn: string[] = paper.sources): void {
    const close = el('button', { className: 'icon-button close', text: '×', title: 'Close (Esc)', attrs: { 'aria-label': 'Close details' } });
    close.addEventListener('click', () => this.onClose());
    const topic = topicLabel
      ? el('div', { className: 'topic-chip' }, el('span', { className: 'swatch', style: { background: topicColour } }), topicLabel)
      : null;
    const sources = el(
      'dl',
      { className: 'facts' },
      el('dt', { text: 'Listed on' }),
      // One line per page: names hold commas and middle dots of their own.
      ...(listedOn.length > 0 ? listedOn.map((name) => el('dd', { text: name })) : [el('dd', { text: 'unknown' })]),
      el('dt', { text: 'Id' }),
      el('dd', { text: paper.id }),
      ...(paper.label ? [el('dt', { text: 'Label' }), el('dd', { text: paper.label })] : []),
      ...(paper.url ? [el('dt', { text: 'Link' }), this.link(paper.url)] : []),
    );
    this.root.replaceChildren(
      close,
      ...(topic ? [topic] : []),
      el('h2', { text: paper.title }),
      el('p', { className: 'meta', text: paperMeta(paper).join(' · ') || 'No date or author information' }),
      el('p', { className: 'abstract', text: paper.abstract }),
      sources,
      ...(neighbours.length > 0 ? [this.neighbourList(neighbours)] : []),
    );
    this.root.hidden = false;
    this.root.scrollTop = 0;
  }

  /** An http(s) link opens in a new tab without access to this page; anything else is shown as text. */
  private link(url: string): HTMLElement {
    const href = safeLink(url);
    if (!href) return el('dd', { text: url, title: 'Not an http(s) link: shown, not linked' });
    return el('dd', {}, el('a', { text: url, attrs: { href, target: '_blank', rel: 'noopener noreferrer' } }));
  }

  /** The nearest papers in embedding space (or on the map, for a map without vectors); clicking one flies to it. */
  private neighbourList(neighbours: Neighbour[]): HTMLElement {
    const items = neighbours.map((n) => {
      const button = el(
        'button',
        { className: 'neighbour', title: n.similarity === null ? 'Near on the map' : `Cosine similarity ${n.similarity.toFixed(2)}`, attrs: { 'data-index': String(n.index) } },
        el('span', { className: 'swatch', style: { background: n.colour } }),
        el('span', { className: 'title', text: n.title }),
        ...(n.similarity === null ? [] : [el('span', { className: 'score', text: n.similarity.toFixed(2) })]),
      );
      button.addEventListener('click', () => this.onOpen(n.index));
      return el('li', {}, button);
    });
    const heading = neighbours.some((n) => n.similarity === null) ? 'Nearest on the map' : 'Nearest papers';
    return el('section', { className: 'neighbours' }, el('h3', { text: heading }), el('ol', {}, ...items));
  }

  hide(): void {
    this.root.hidden = true;
  }

  get open(): boolean {
    return !this.root.hidden;
  }
}
