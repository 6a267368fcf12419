/**
 * Turns the rows of a user's own file (CSV, JSONL or JSON, read by import-read.ts) into the same
 * Corpus the shipped asset is, plus any embeddings and 2D positions the file carried. Pure: the import
 * worker and the unit tests share it. Every problem is an ImportError whose message is one sentence the
 * user can act on; problems that lose nothing important are warnings instead.
 */
import { corpusHash } from './ids';
import { paperId, titleKey } from './ids';
import { authorCount, cellText, cleanText, cleanTitle, optionalText, parseDate, readVector, toNumber, truncateText } from './import-cells';
import { checkPapers, checkSources, CorpusError } from './load';
import type { Corpus, Paper } from './types';
import { COLUMN_FIELDS, type ColumnField, type ColumnMap } from './import-columns';
import { normaliseCoords } from '../math/geometry/normalise';

// The import's callers (worker, page, scripts) take the column map from here, with the import itself.
export { COLUMN_FIELDS, guessColumns, type ColumnField, type ColumnMap } from './import-columns';

export class ImportError extends Error {}

export interface ImportLimits {
  /** Largest file read (CSV and JSONL are streamed, so this bounds the papers held, not the text). */
  maxBytes: number;
  /** A JSON file is parsed whole, as one string: it gets a lower limit than the streamed formats. */
  maxJsonBytes: number;
  /** Most papers one map can hold in a browser tab (embedding, kNN and UMAP all scale with it). */
  maxPapers: number;
  /** Longer texts are cut: the embedding model reads a few hundred tokens anyway. */
  maxTextChars: number;
  maxTitleChars: number;
}

export const IMPORT_LIMITS: ImportLimits = {
  maxBytes: 500 * 1024 * 1024,
  maxJsonBytes: 200 * 1024 * 1024,
  // A million positions draw and select smoothly; building that many from text takes a long while
  // on a CPU (the progress bar says how long), and a file that brings its own x/y skips it.
  maxPapers: 1_000_000,
  maxTextChars: 20_000,
  maxTitleChars: 1_000,
};

export type ImportFormat = 'csv' | 'jsonl' | 'json' | 'parquet' | 'arrow';

/** How messages name a row: CSV rows count the header as row 1, JSONL has lines, a JSON list items. */
export type RowUnit = 'row' | 'line' | 'item';

/** A file read into rows: what import-read.ts produces and the import worker keeps between requests. */
export interface ParsedTable {
  name: string;
  format: ImportFormat;
  /** Every column (or JSON key) seen, in order of first appearance. */
  columns: string[];
  rows: Record<string, unknown>[];
  rowUnit: RowUnit;
  /**
   * The number of each row as messages name it: JSONL line numbers count blank lines; CSV rows count
   * the header as row 1, as a spreadsheet does, but not blank or all-empty rows, which are skipped.
   */
  rowNumbers: number[];
  warnings: string[];
  /** The file is a Papermap corpus asset: it is taken as is and the column map is ignored. */
  papermap: boolean;
  /** A Papermap corpus asset's list of source pages (their names), as the file gave it. */
  sources?: unknown;
}

/** A summary of a file read into rows (sent by the import worker): enough for the page to confirm or change the column map. */
export interface ImportColumns {
  name: string;
  format: ImportFormat;
  columns: string[];
  /** The map guessed from the column names; title or text may be null when no column fits. */
  guess: ColumnMap;
  rows: number;
  /** The first rows, each cell as text and cut to a few hundred characters. */
  sample: Record<string, string>[];
  /** Problems found while reading (e.g. rows with too few fields) that did not stop it. */
  warnings: string[];
  /** A Papermap corpus asset: it is imported as is, and a column map is not needed. */
  papermap: boolean;
}

export interface ImportResult {
  corpus: Corpus;
  /** n × dims, L2-normalised (cosine similarity does not depend on length, the pipeline expects unit vectors). */
  vectors: { data: Float32Array; dims: number } | null;
  /** n × 2 positions from the file's x and y columns, normalised (see math/geometry/normalise.ts) before float32 loses digits. */
  coords: Float32Array | null;
  warnings: string[];
}

export interface BuildOptions {
  /** The file's name: every paper lists it as its source. */
  fileName: string;
  rowUnit?: RowUnit;
  rowNumbers?: number[];
  limits?: Partial<ImportLimits>;
}

/**
 * "row 3", "rows 3 and 7", "rows 3, 7, 9, 12, 15 and 4 more". Each row is named once, however many
 * problems it has (a parser can report the same row several times).
 */
export function nameRows(numbers: number[], unit: RowUnit): string {
  const distinct = [...new Set(numbers)];
  const shown = distinct.slice(0, 5).map(String);
  const more = distinct.length - shown.length;
  const list = more > 0 ? `${shown.join(', ')} and ${more} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0];
  return `${unit}${distinct.length > 1 ? 's' : ''} ${list}`;
}

const quoteList = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

interface Candidate {
  index: number;
  paper: Paper;
}

/** Builds one paper per usable row; the rest are skipped, counted and named in warnings. */
export async function rowsToCorpus(rows: Record<string, unknown>[], map: ColumnMap, options: BuildOptions): Promise<ImportResult> {
  const limits = { ...IMPORT_LIMITS, ...options.limits };
  const unit = options.rowUnit ?? 'row';
  const numberOf = (i: number) => options.rowNumbers?.[i] ?? i + 1;
  const rowsNamed = (indexes: number[]) => nameRows(indexes.map(numberOf), unit);
  const columns = new Set(rows.flatMap((r) => Object.keys(r)));
  checkMap(map, [...columns], rows.length);

  const warnings: string[] = [];
  const missing: number[] = [];
  const cutTexts: number[] = [];
  const cutTitles: number[] = [];
  const badDates: number[] = [];
  const noId: number[] = [];
  const candidates: Candidate[] = [];
  const value = (row: Record<string, unknown>, field: ColumnField) => (map[field] === null ? undefined : row[map[field]!]);

  rows.forEach((row, index) => {
    let title = cleanTitle(value(row, 'title'));
    let abstract = cleanText(value(row, 'text'));
    if (title === '' || abstract === '') return void missing.push(index);
    if (title.length > limits.maxTitleChars) {
      title = truncateText(title, limits.maxTitleChars);
      cutTitles.push(index);
    }
    if (abstract.length > limits.maxTextChars) {
      abstract = truncateText(abstract, limits.maxTextChars);
      cutTexts.push(index);
    }
    let id = map.id === null ? null : optionalText(value(row, 'id'));
    if (map.id !== null && id === null) noId.push(index);
    id ??= paperId(title);
    const dateText = map.date === null ? null : optionalText(value(row, 'date'));
    const parsed = dateText === null ? null : parseDate(dateText);
    if (dateText !== null && parsed === null) badDates.push(index);
    const paper: Paper = {
      id,
      title,
      abstract,
      authors: map.authors === null ? null : authorCount(value(row, 'authors')),
      organization: map.organization === null ? null : optionalText(value(row, 'organization')),
      dateText,
      date: parsed?.date ?? null,
      year: parsed?.year ?? null,
      upvotes: map.upvotes === null ? null : toNumber(value(row, 'upvotes')),
      sources: [options.fileName],
    };
    // Written only when the file has the column, so papers without them hash like the shipped corpus's.
    if (map.url !== null) paper.url = optionalText(value(row, 'url'));
    if (map.label !== null) paper.label = optionalText(value(row, 'label'));
    candidates.push({ index, paper });
  });

  if (candidates.length === 0) {
    throw new ImportError(
      rows.length === 0
        ? 'The file has no papers in it.'
        : `None of the ${rows.length} ${unit}s has both a title (column "${map.title}") and a text (column "${map.text}"), so there is nothing to map.`,
    );
  }
  if (missing.length > 0) warnings.push(`${missing.length} ${unit}${missing.length > 1 ? 's' : ''} without a title or a text ${missing.length > 1 ? 'were' : 'was'} skipped (${rowsNamed(missing)}).`);
  if (noId.length > 0) warnings.push(`${noId.length} ${unit}${noId.length > 1 ? 's have' : ' has'} no id; ${noId.length > 1 ? 'their ids were' : 'its id was'} made from the title (${rowsNamed(noId)}).`);
  if (cutTexts.length > 0) warnings.push(`${cutTexts.length} text${cutTexts.length > 1 ? 's' : ''} longer than ${limits.maxTextChars.toLocaleString('en')} characters ${cutTexts.length > 1 ? 'were' : 'was'} cut to that length (${rowsNamed(cutTexts)}).`);
  if (cutTitles.length > 0) warnings.push(`${cutTitles.length} title${cutTitles.length > 1 ? 's' : ''} longer than ${limits.maxTitleChars.toLocaleString('en')} characters ${cutTitles.length > 1 ? 'were' : 'was'} cut to that length (${rowsNamed(cutTitles)}).`);
  if (badDates.length > 0) warnings.push(`${badDates.length} date${badDates.length > 1 ? 's' : ''} could not be read and ${badDates.length > 1 ? 'are' : 'is'} shown as written, without a year (${rowsNamed(badDates)}).`);

  const kept = dedupe(candidates, map.id !== null, rowsNamed, warnings);
  const papers = kept.map((c) => c.paper);
  const vectors = map.vector === null ? null : readVectors(kept, rows, map.vector, rowsNamed);
  const coords = readCoords(kept, rows, map, rowsNamed);
  const corpus: Corpus = { format: 'papermap-corpus', version: 1, hash: await corpusHash(papers), sources: [], papers };
  return { corpus, vectors, coords, warnings };
}

function checkMap(map: ColumnMap, columns: string[], rowCount: number): void {
  if (rowCount === 0) throw new ImportError('The file has no papers in it.');
  for (const field of ['title', 'text'] as const) {
    const column = map[field];
    if (column === null) {
      const [what, names] = field === 'title' ? ['title', '"title", "paper_title" or "name"'] : ['text (abstract)', '"abstract", "text", "summary" or "description"'];
      throw new ImportError(`The file has no ${what} column: its columns are ${quoteList(columns)}, but one named ${names} was expected; rename one of them or choose it by hand.`);
    }
  }
  for (const field of COLUMN_FIELDS) {
    const column = map[field];
    if (column !== null && !columns.includes(column)) throw new ImportError(`The column "${column}" chosen for the ${field} is not in the file, whose columns are ${quoteList(columns)}.`);
  }
  if ((map.x === null) !== (map.y === null)) throw new ImportError('Positions need both an x and a y column: choose both, or neither.');
}

/**
 * Duplicates. A row that repeats an earlier one (same id, same title and text) is dropped with a
 * warning: exports often repeat papers listed under several categories. Two different papers under one
 * id from the file's id column are an error, since the ids are the user's and may be wrong. Ids made
 * from titles follow the shipped corpus (one paper per title): the first row with a title wins, and
 * the others are named in a warning.
 */
function dedupe(candidates: Candidate[], idsFromFile: boolean, rowsNamed: (i: number[]) => string, warnings: string[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  const repeats: number[] = [];
  const sameTitle: number[] = [];
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    const first = byId.get(candidate.paper.id);
    if (!first) {
      byId.set(candidate.paper.id, candidate);
      kept.push(candidate);
      continue;
    }
    const same = titleKey(first.paper.title) === titleKey(candidate.paper.title) && first.paper.abstract === candidate.paper.abstract;
    if (same) repeats.push(candidate.index);
    else if (!idsFromFile) sameTitle.push(candidate.index);
    else {
      throw new ImportError(
        `The id "${candidate.paper.id}" is used by two different papers (${rowsNamed([first.index, candidate.index])}): ids must be unique, so fix the file or choose another id column (or none).`,
      );
    }
  }
  if (repeats.length > 0) warnings.push(`${repeats.length} ${repeats.length > 1 ? 'duplicates' : 'duplicate'} of earlier papers ${repeats.length > 1 ? 'were' : 'was'} dropped (${rowsNamed(repeats)}).`);
  if (sameTitle.length > 0) {
    warnings.push(`${sameTitle.length} paper${sameTitle.length > 1 ? 's have' : ' has'} the title of an earlier one with a different text; only the first of each was kept (${rowsNamed(sameTitle)}).`);
  }
  return kept;
}

/** How far from 1 a vector's length may be and still count as unit: a few float32 roundings of its entries. */
const UNIT_TOLERANCE = 1e-6;

function readVectors(kept: Candidate[], rows: Record<string, unknown>[], column: string, rowsNamed: (i: number[]) => string): ImportResult['vectors'] {
  let data: Float32Array | null = null;
  let dims = 0;
  kept.forEach(({ index }, k) => {
    const cell = rows[index]![column];
    if (cell === undefined || cell === null || cell === '') {
      throw new ImportError(`${capital(rowsNamed([index]))} has no embedding in column "${column}": every paper needs one, or choose no embedding column and let the map embed the papers.`);
    }
    const vector = readVector(cell);
    if (vector === null) throw new ImportError(`The embedding in ${rowsNamed([index])} (column "${column}") is not a list of finite numbers.`);
    if (data === null) {
      dims = vector.length;
      data = new Float32Array(kept.length * dims);
    }
    if (vector.length !== dims) {
      throw new ImportError(`Embeddings must all have the same length: ${rowsNamed([kept[0]!.index])} has ${dims} numbers but ${rowsNamed([index])} has ${vector.length}.`);
    }
    // Divided by the largest entry first, so that the sum of squares neither overflows (1e200) nor vanishes (1e-200).
    let largest = 0;
    for (let d = 0; d < dims; d++) largest = Math.max(largest, Math.abs(vector[d]!));
    if (largest === 0) throw new ImportError(`The embedding in ${rowsNamed([index])} is all zeros, so it has no direction to compare.`);
    let squares = 0;
    for (let d = 0; d < dims; d++) squares += (vector[d]! / largest) ** 2;
    const norm = Math.sqrt(squares);
    // A vector already of unit length (to float32's precision) is kept as written, so a map exported
    // with its vectors comes back bit for bit.
    const unit = Math.abs(norm * largest - 1) <= UNIT_TOLERANCE;
    for (let d = 0; d < dims; d++) data[k * dims + d] = unit ? vector[d]! : vector[d]! / largest / norm;
  });
  return { data: data!, dims };
}

function readCoords(kept: Candidate[], rows: Record<string, unknown>[], map: ColumnMap, rowsNamed: (i: number[]) => string): Float32Array | null {
  if (map.x === null || map.y === null) return null;
  // Read in float64: positions like 1e6 + 1e-3 only survive the cast to float32 once centred and scaled.
  const coords = new Float64Array(kept.length * 2);
  kept.forEach(({ index }, k) => {
    const x = toNumber(rows[index]![map.x!]);
    const y = toNumber(rows[index]![map.y!]);
    if (x === null || y === null) throw new ImportError(`${capital(rowsNamed([index]))} has no numeric position in columns "${map.x}" and "${map.y}": every paper needs one, or choose no x and y columns.`);
    // Positions are stored as 32-bit floats, which end near ±3.4e38.
    if (!Number.isFinite(Math.fround(x)) || !Number.isFinite(Math.fround(y))) {
      throw new ImportError(`${capital(rowsNamed([index]))} has a position too far out to draw (${x}, ${y}): scale the x and y columns down, or choose no x and y columns.`);
    }
    coords[k * 2] = x;
    coords[k * 2 + 1] = y;
  });
  return normaliseCoords(coords).coords;
}

/** The first rows with every cell as short text, for the page to show beside the column map. */
export function sampleRows(table: ParsedTable, count = 5, chars = 200): Record<string, string>[] {
  return table.rows.slice(0, count).map((row) => Object.fromEntries(table.columns.map((c) => [c, truncateText(cellText(row[c]), chars)])));
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The corpus of a parsed file. A Papermap corpus asset is taken as it is (so an exported shipped corpus
 * keeps its hash, and its cached map); any other file goes through the column map.
 */
export async function buildImport(table: ParsedTable, map: ColumnMap, limits?: Partial<ImportLimits>): Promise<ImportResult> {
  if (table.papermap) {
    let papers: Paper[];
    try {
      papers = checkPapers(table.rows.map((p) => ({ ...p, sources: p.sources ?? [] })));
    } catch (error) {
      if (error instanceof CorpusError) throw new ImportError(`This Papermap corpus file is damaged: ${error.message}.`);
      throw error;
    }
    const corpus: Corpus = { format: 'papermap-corpus', version: 1, hash: await corpusHash(papers), sources: checkSources(table.sources), papers };
    return { corpus, vectors: null, coords: null, warnings: [...table.warnings] };
  }
  const result = await rowsToCorpus(table.rows, map, { fileName: table.name, rowUnit: table.rowUnit, rowNumbers: table.rowNumbers, ...(limits ? { limits } : {}) });
  return { ...result, warnings: [...table.warnings, ...result.warnings] };
}
