import type { Paper } from './types';

/** The text that represents a paper to the embedding model: title then abstract. */
export function paperText(paper: Pick<Paper, 'title' | 'abstract'>): string {
  return `${paper.title}. ${paper.abstract}`;
}
