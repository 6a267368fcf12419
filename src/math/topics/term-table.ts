/**
 * Papers' terms (paperTerms) as numbers: each distinct term once, and each paper's terms as its
 * numbers. Naming counts by these numbers (./term-ranking.ts), and a worker that read a corpus's terms
 * hands them to another as three buffers (a map of 100,000 papers reads twelve million terms, which a
 * structured clone of string arrays would copy one by one).
 */
import { paperTerms, type PaperTerms } from './terms';

/** Paper p's title terms are terms[ids[start[2p] .. start[2p + 1])], its body terms terms[ids[start[2p + 1] .. start[2p + 2])]. */
export interface NumberedTerms {
  terms: readonly string[];
  ids: Int32Array;
  start: Int32Array;
}

/** NumberedTerms for a transfer: the distinct terms as UTF-8, one per line (a term is words and single spaces: never a line break). */
export interface TermTable {
  text: Uint8Array;
  ids: Int32Array;
  start: Int32Array;
}

/** Numbers terms as they come, paper by paper. */
class Numbering {
  readonly terms: string[] = [];
  private readonly number = new Map<string, number>();
  private ids = new Int32Array(1 << 16);
  private used = 0;
  readonly start: Int32Array;
  private papers = 0;

  constructor(papers: number) {
    this.start = new Int32Array(2 * papers + 1);
  }

  add({ title, body }: PaperTerms): void {
    this.push(title);
    this.start[2 * this.papers + 1] = this.used;
    this.push(body);
    this.start[2 * this.papers + 2] = this.used;
    this.papers += 1;
  }

  done(): NumberedTerms {
    return { terms: this.terms, ids: this.ids.slice(0, this.used), start: this.start };
  }

  private push(terms: readonly string[]): void {
    if (this.used + terms.length > this.ids.length) {
      const grown = new Int32Array(Math.max(2 * this.ids.length, this.used + terms.length));
      grown.set(this.ids.subarray(0, this.used));
      this.ids = grown;
    }
    for (const term of terms) {
      let id = this.number.get(term);
      if (id === undefined) this.number.set(term, (id = this.terms.push(term) - 1));
      this.ids[this.used++] = id;
    }
  }
}

/** Papers' terms (a plain list is a paper's body terms), numbered. */
export function numberTerms(papers: readonly (PaperTerms | string[])[]): NumberedTerms {
  const numbering = new Numbering(papers.length);
  for (const paper of papers) numbering.add(Array.isArray(paper) ? { title: [], body: paper } : paper);
  return numbering.done();
}

/** Reads every text's terms (paperTerms) into one table, for a transfer. */
export function termTable(texts: readonly string[]): TermTable {
  const numbering = new Numbering(texts.length);
  for (const text of texts) numbering.add(paperTerms(text));
  const { terms, ids, start } = numbering.done();
  return { text: new TextEncoder().encode(terms.join('\n')), ids, start };
}

export function decodeTermTable({ text, ids, start }: TermTable): NumberedTerms {
  const decoded = new TextDecoder().decode(text);
  return { terms: decoded === '' ? [] : decoded.split('\n'), ids, start };
}

export function termTableTransfer(table: TermTable): ArrayBuffer[] {
  return [table.text.buffer as ArrayBuffer, table.ids.buffer as ArrayBuffer, table.start.buffer as ArrayBuffer];
}

/** The papers at `indices`, in that order, numbered as in `all`. */
export function selectPapers(all: NumberedTerms, indices: ArrayLike<number>): NumberedTerms {
  let total = 0;
  for (let j = 0; j < indices.length; j++) total += all.start[2 * indices[j]! + 2]! - all.start[2 * indices[j]!]!;
  const ids = new Int32Array(total);
  const start = new Int32Array(2 * indices.length + 1);
  let used = 0;
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j]!;
    const [from, middle, to] = [all.start[2 * i]!, all.start[2 * i + 1]!, all.start[2 * i + 2]!];
    ids.set(all.ids.subarray(from, to), used);
    start[2 * j + 1] = used + middle - from;
    start[2 * j + 2] = used += to - from;
  }
  return { terms: all.terms, ids, start };
}
