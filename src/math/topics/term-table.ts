/**
 * Every paper's terms (paperTerms) as numbers: each distinct term once, and each paper's terms as its
 * numbers. Two buffers, so a worker that read a corpus's terms hands them to another at the cost of a
 * transfer (a map of 100,000 papers reads twelve million terms, which a structured clone of string
 * arrays would copy one by one).
 */
import { paperTerms, type PaperTerms } from './terms';

export interface TermTable {
  /** The distinct terms, UTF-8, one per line (a term is words and single spaces: never a line break). */
  text: Uint8Array;
  ids: Int32Array;
  /** Paper i's title terms are ids[start[2i] .. start[2i + 1]), its body terms ids[start[2i + 1] .. start[2i + 2]). */
  start: Int32Array;
}

/** Reads every text's terms (paperTerms) into one table. */
export function termTable(texts: readonly string[]): TermTable {
  const number = new Map<string, number>();
  const distinct: string[] = [];
  let ids = new Int32Array(1 << 16);
  let used = 0;
  const start = new Int32Array(2 * texts.length + 1);
  const add = (terms: string[]) => {
    if (used + terms.length > ids.length) {
      const grown = new Int32Array(Math.max(2 * ids.length, used + terms.length));
      grown.set(ids.subarray(0, used));
      ids = grown;
    }
    for (const term of terms) {
      let id = number.get(term);
      if (id === undefined) number.set(term, (id = distinct.push(term) - 1));
      ids[used++] = id;
    }
  };
  texts.forEach((text, i) => {
    const { title, body } = paperTerms(text);
    add(title);
    start[2 * i + 1] = used;
    add(body);
    start[2 * i + 2] = used;
  });
  return { text: new TextEncoder().encode(distinct.join('\n')), ids: ids.slice(0, used), start };
}

/** Paper i's terms from a table, as paperTerms gives them. */
export function termsOfTable(table: TermTable): (index: number) => PaperTerms {
  const decoded = new TextDecoder().decode(table.text);
  const terms = decoded === '' ? [] : decoded.split('\n');
  const { ids, start } = table;
  const read = (from: number, to: number) => Array.from(ids.subarray(from, to), (id) => terms[id]!);
  return (i) => ({ title: read(start[2 * i]!, start[2 * i + 1]!), body: read(start[2 * i + 1]!, start[2 * i + 2]!) });
}

export function termTableTransfer(table: TermTable): ArrayBuffer[] {
  return [table.text.buffer as ArrayBuffer, table.ids.buffer as ArrayBuffer, table.start.buffer as ArrayBuffer];
}
