/**
 * Papers' terms (paperTerms) as numbers: each distinct term once, and each paper's terms as its
 * numbers. Naming counts by these numbers (./term-ranking.ts), and a worker that read a corpus's terms
 * hands them to another as five buffers (a map of 100,000 papers reads twelve million terms, which a
 * structured clone of string arrays would copy one by one).
 */
import { paperTerms, type PaperTerms } from './terms';

/**
 * Paper p's title terms are terms[ids[start[2p] .. start[2p + 1])], its body terms terms[ids[start[2p + 1] .. start[2p + 2])].
 * A phrase's words are terms too: term t's are words[wordStart[t] .. wordStart[t + 1]) (none for a word).
 */
export interface NumberedTerms {
  terms: readonly string[];
  ids: Int32Array;
  start: Int32Array;
  words: Int32Array;
  wordStart: Int32Array;
}

/** NumberedTerms for a transfer: the distinct terms as UTF-8, one per line (a term is words and single spaces: never a line break). */
export interface TermTable extends Omit<NumberedTerms, 'terms'> {
  text: Uint8Array;
}

/** An Int32Array that grows as it is appended to. */
class Int32List {
  private data = new Int32Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(2 * this.data.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Numbers terms as they come, paper by paper. */
class Numbering {
  readonly terms: string[] = [];
  private readonly number = new Map<string, number>();
  private readonly ids = new Int32List();
  private readonly words = new Int32List();
  private readonly wordStart = new Int32List();
  readonly start: Int32Array;
  private papers = 0;

  constructor(papers: number) {
    this.start = new Int32Array(2 * papers + 1);
    this.wordStart.push(0);
  }

  add({ title, body }: PaperTerms): void {
    for (const term of title) this.ids.push(this.intern(term));
    this.start[2 * this.papers + 1] = this.ids.length;
    for (const term of body) this.ids.push(this.intern(term));
    this.start[2 * this.papers + 2] = this.ids.length;
    this.papers += 1;
  }

  done(): NumberedTerms {
    return { terms: this.terms, ids: this.ids.done(), start: this.start, words: this.words.done(), wordStart: this.wordStart.done() };
  }

  private intern(term: string): number {
    let id = this.number.get(term);
    if (id === undefined) {
      // A phrase's words first (a paper's terms list them before the phrase; any other list may not).
      const parts = term.includes(' ') ? term.split(' ').map((word) => this.intern(word)) : [];
      this.number.set(term, (id = this.terms.push(term) - 1));
      for (const word of parts) this.words.push(word);
      this.wordStart.push(this.words.length);
    }
    return id;
  }
}

/** Papers' terms (a plain list is a paper's body terms), numbered. */
export function numberTerms(papers: readonly (PaperTerms | string[])[]): NumberedTerms {
  const numbering = new Numbering(papers.length);
  for (const paper of papers) numbering.add(Array.isArray(paper) ? { title: [], body: paper } : paper);
  return numbering.done();
}

/** Every text's terms (paperTerms), numbered. */
export function numberTexts(texts: readonly string[]): NumberedTerms {
  const numbering = new Numbering(texts.length);
  for (const text of texts) numbering.add(paperTerms(text));
  return numbering.done();
}

/** Reads every text's terms (paperTerms) into one table, for a transfer. */
export function termTable(texts: readonly string[]): TermTable {
  return termTableOf(numberTexts(texts));
}

/** Numbered terms as a table, for a transfer (which takes their numbers away). */
export function termTableOf({ terms, ...numbers }: NumberedTerms): TermTable {
  return { text: new TextEncoder().encode(terms.join('\n')), ...numbers };
}

/** A table of numbered terms for a transfer, with numbers of its own: the caller keeps using `numbered`. */
export function termTableCopy({ ids, start, words, wordStart, ...rest }: NumberedTerms): TermTable {
  return termTableOf({ ...rest, ids: ids.slice(), start: start.slice(), words: words.slice(), wordStart: wordStart.slice() });
}

export function decodeTermTable({ text, ...numbers }: TermTable): NumberedTerms {
  const decoded = new TextDecoder().decode(text);
  return { terms: decoded === '' ? [] : decoded.split('\n'), ...numbers };
}

export function termTableTransfer({ text, ids, start, words, wordStart }: TermTable): ArrayBuffer[] {
  return [text, ids, start, words, wordStart].map((array) => array.buffer as ArrayBuffer);
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
  return { ...all, ids, start };
}
