/**
 * Text to rows, one reader per format, each fed the decoded text piece by piece: CSV through
 * PapaParse and JSONL line by line, so neither ever holds the file as one string; JSON, which has no
 * streaming parser here, is joined and parsed whole (import-read.ts gives it a lower size limit).
 */
import Papa from 'papaparse';
import { ImportError, nameRows, type ImportFormat, type ImportLimits, type ParsedTable } from './import';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const SPREADSHEETS = /\.(xlsx|xlsm|xls|ods|numbers)$/i;
const NOT_TEXT = /\.(zip|gz|bz2|xz|7z|tar|pdf|docx?|pkl|pickle|npy|npz|h5)$/i;

/** The format by the file's extension, else by its first characters. */
export function detectFormat(name: string, head: string): ImportFormat {
  if (SPREADSHEETS.test(name)) throw new ImportError(`"${name}" is a spreadsheet workbook: save it as CSV (UTF-8) and import that file.`);
  if (NOT_TEXT.test(name)) throw new ImportError(`"${name}" is not a text file: Papermap reads CSV, TSV, JSON, JSONL, Parquet and Arrow files.`);
  const text = head.replace(/^\ufeff/, '').trimStart();
  const looksLikeLines = () => {
    const [first, second] = text.split('\n', 3).map((l) => l.trim()).filter((l) => l !== '');
    if (first === undefined || second === undefined || !second.startsWith('{')) return false;
    try {
      const value: unknown = JSON.parse(first);
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      return false;
    }
  };
  if (/\.(jsonl|ndjson)$/i.test(name)) return 'jsonl';
  // Large dumps named .json are often one object per line (arXiv's metadata snapshot is).
  if (/\.json$/i.test(name)) return text.startsWith('{') && looksLikeLines() ? 'jsonl' : 'json';
  if (/\.(csv|tsv|tab|txt)$/i.test(name)) return 'csv';
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) return looksLikeLines() ? 'jsonl' : 'json';
  return 'csv';
}

/** Receives the decoded text piece by piece and turns it into rows. */
export interface TableReader {
  push(text: string): void;
  finish(): ParsedTable;
}

function table(name: string, format: ImportFormat, rowUnit: ParsedTable['rowUnit']): ParsedTable {
  return { name, format, columns: [], rows: [], rowUnit, rowNumbers: [], warnings: [], papermap: false };
}

function tooManyRows(limits: ImportLimits): ImportError {
  const max = limits.maxPapers.toLocaleString('en');
  return new ImportError(`The file has more than ${max} papers, the most one map can hold in a browser: split it, or keep a sample of at most ${max}.`);
}

/**
 * CSV through PapaParse, fed as a stream: PapaParse reads any object with Node's readable-stream
 * shape (readable, read, on) chunk by chunk and rejoins rows split between chunks. Rows with too few
 * fields are kept (their missing cells empty); rows with too many fields, or broken quotes, stop the
 * import, since their cells can no longer be trusted to sit under the right column.
 */
/** The longest CSV row read: far above a paper with a 20,000-character abstract and a 1,024-d vector. */
const MAX_CSV_ROW_CHARS = 4_000_000;

export function csvReader(name: string, limits: ImportLimits): TableReader {
  const out = table(name, 'csv', 'row');
  const listeners = new Map<string, ((arg?: unknown) => void)[]>();
  const emit = (event: string, arg?: unknown) => (listeners.get(event) ?? []).slice().forEach((f) => f(arg));
  const stream = {
    readable: true,
    read() {},
    pause() {},
    resume() {},
    on(event: string, f: (arg?: unknown) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), f]);
    },
    removeListener(event: string, f: (arg?: unknown) => void) {
      listeners.set(event, (listeners.get(event) ?? []).filter((g) => g !== f));
    },
  };
  const headers: string[] = [];
  const tooFew: number[] = [];
  const tooMany: number[] = [];
  const quotes: number[] = [];
  let fieldCounts = { expected: 0, most: 0 };
  let failure: Error | null = null;
  /** Characters read since the last complete row: PapaParse re-reads an unfinished row on every chunk. */
  let sinceRow = 0;

  Papa.parse<Record<string, unknown>>(stream as unknown as NodeJS.ReadableStream, {
    header: true,
    skipEmptyLines: 'greedy',
    delimiter: /\.(tsv|tab)$/i.test(name) ? '\t' : '',
    // Called for each header cell (more than once): kept to name the columns of a file with no rows.
    transformHeader: (header: string, index: number) => (headers[index] = header.trim()),
    step: (result, parser) => {
      sinceRow = 0;
      if (out.rows.length >= limits.maxPapers) {
        failure = tooManyRows(limits);
        return parser.abort();
      }
      const row = result.data;
      const number = out.rows.length + 2;
      for (const error of result.errors) {
        if (error.code === 'TooFewFields') {
          tooFew.push(number);
          // Left empty, so that every row has every column of the header.
          for (const field of result.meta.fields ?? []) row[field] ??= '';
        } else if (error.code === 'TooManyFields') {
          tooMany.push(number);
          const extra = Array.isArray(row.__parsed_extra) ? row.__parsed_extra.length : 0;
          fieldCounts = { expected: result.meta.fields?.length ?? 0, most: Math.max(fieldCounts.most, (result.meta.fields?.length ?? 0) + extra) };
        } else if (error.type === 'Quotes') quotes.push(number);
      }
      delete row.__parsed_extra;
      if (out.columns.length === 0) out.columns = (result.meta.fields ?? []).filter((f) => f !== '' && f !== '__parsed_extra');
      out.rows.push(row);
      out.rowNumbers.push(number);
    },
    error: (error: Error) => {
      failure = error;
    },
  });

  // readTable's first push is the file's first megabyte: enough for PapaParse to guess the delimiter.
  return {
    push(text) {
      sinceRow += text.length;
      emit('data', text);
      if (failure) throw failure;
      // One row longer than any real paper is a quote that never closes: stop before re-reading it gets slow.
      if (sinceRow > MAX_CSV_ROW_CHARS) {
        throw new ImportError(`Row ${out.rows.length + 2} runs on for more than ${MAX_CSV_ROW_CHARS / 1_000_000} million characters: a quote in it is probably not closed. Fix the quoting of that row.`);
      }
    },
    finish() {
      emit('end');
      if (failure) throw failure;
      if (out.rows.length === 0) {
        throw new ImportError(`The file has a header row (${headers.filter((h) => h !== '').join(', ')}) but no papers under it.`);
      }
      if (quotes.length > 0) {
        const one = new Set(quotes).size === 1;
        throw new ImportError(`The quotes in ${nameRows(quotes, 'row')} are not closed or are followed by other text, so their fields cannot be separated: fix the quoting of ${one ? 'that row' : 'those rows'}.`);
      }
      if (tooMany.length > 0) {
        throw new ImportError(
          `${capital(nameRows(tooMany, 'row'))} ${tooMany.length > 1 ? 'have' : 'has'} more fields than the header's ${fieldCounts.expected} (up to ${fieldCounts.most}): a field with a comma is probably not in quotes; quote it, or remove the extra fields.`,
        );
      }
      if (tooFew.length > 0) {
        out.warnings.push(`${tooFew.length} row${tooFew.length > 1 ? 's have' : ' has'} fewer fields than the header; the missing fields were left empty (${nameRows(tooFew, 'row')}).`);
      }
      return out;
    },
  };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function addRow(out: ParsedTable, seen: Set<string>, row: Record<string, unknown>, number: number): void {
  for (const key of Object.keys(row)) {
    if (!seen.has(key)) {
      seen.add(key);
      out.columns.push(key);
    }
  }
  out.rows.push(row);
  out.rowNumbers.push(number);
}

/** One JSON object per line; blank lines are allowed, and a bad line stops the import naming it. */
export function jsonlReader(name: string, limits: ImportLimits): TableReader {
  const out = table(name, 'jsonl', 'line');
  const seen = new Set<string>();
  let partial = '';
  let line = 0;
  const readLine = (text: string) => {
    line++;
    const trimmed = text.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new ImportError(`Line ${line} is not valid JSON (${(error as Error).message}): each line of a JSONL file must be one JSON object.`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImportError(`Line ${line} holds ${kindOf(value)}, not a JSON object with a title and an abstract.`);
    if (out.rows.length >= limits.maxPapers) throw tooManyRows(limits);
    addRow(out, seen, value as Record<string, unknown>, line);
  };
  return {
    push(text) {
      // A piece without a line break only lengthens the line: splitting the whole of it again for each piece would make a long line quadratic.
      if (!text.includes('\n')) return void (partial += text);
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const l of lines) readLine(l);
    },
    finish() {
      readLine(partial);
      if (out.rows.length === 0) throw new ImportError('The file is empty: it has no lines with papers.');
      return out;
    },
  };
}

/** Line and column of a character offset, for JSON syntax errors. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** A list of paper objects, an object with a "papers" list (a Papermap corpus is one), or one list among an object's fields. */
export function jsonReader(name: string, limits: ImportLimits): TableReader {
  const parts: string[] = [];
  return {
    push(text) {
      parts.push(text);
    },
    finish() {
      const text = parts.join('');
      parts.length = 0;
      if (text.trim() === '') throw new ImportError('The file is empty.');
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (error) {
        const message = (error as Error).message;
        const position = /position (\d+)/.exec(message);
        const where = position ? ` at ${lineColumn(text, Number(position[1]))}` : '';
        throw new ImportError(`The file is not valid JSON${where} (${message.replace(/ in JSON at position.*$/, '')}).`);
      }
      const out = table(name, 'json', 'item');
      let list: unknown = data;
      if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
        const object = data as Record<string, unknown>;
        const lists = Object.keys(object).filter((k) => Array.isArray(object[k]));
        const key = Array.isArray(object.papers) ? 'papers' : lists.length === 1 ? lists[0]! : null;
        if (key === null) {
          throw new ImportError('The JSON file is an object without a list of papers: it should be a list of objects ([{"title": …, "abstract": …}, …]) or an object with a "papers" list.');
        }
        list = object[key];
        out.papermap = object.format === 'papermap-corpus';
        if (out.papermap) out.sources = object.sources;
      }
      if (!Array.isArray(list)) throw new ImportError(`The JSON file holds ${kindOf(list)}, not a list of papers: it should be a list of objects ([{"title": …, "abstract": …}, …]).`);
      if (list.length === 0) throw new ImportError('The file holds an empty list: it has no papers.');
      if (list.length > limits.maxPapers) throw tooManyRows(limits);
      const seen = new Set<string>();
      list.forEach((item: unknown, i) => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          throw new ImportError(`Item ${i + 1} of the JSON list is ${kindOf(item)}, not an object with a title and an abstract.`);
        }
        addRow(out, seen, item as Record<string, unknown>, i + 1);
      });
      return out;
    },
  };
}
