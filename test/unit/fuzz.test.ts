/**
 * Property-based fuzzing of every corpus parser: raw listing pages, the corpus asset, and users' CSV,
 * JSONL and JSON files. Given random, truncated or mutated input, each parser returns valid papers or
 * fails with its own error (CorpusError, ImportError), and finishes in time; anything else (a
 * TypeError, a hang, an invalid paper) fails the property, which fast-check then shrinks.
 *
 * Seeded, so a failure reproduces. FUZZ_SEED=<n> runs another campaign, FUZZ_RUNS=<k> k times as many
 * runs: `FUZZ_RUNS=20 npx vitest run --project unit test/unit/fuzz.test.ts`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import vm from 'node:vm';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from '../../scripts/lib/seeds/build';
import { corpusHash } from '../../src/corpus/ids';
import { buildImport, guessColumns, IMPORT_LIMITS, ImportError, type ImportResult, type ParsedTable } from '../../src/corpus/import';
import { authorCount, parseDate, readVector, toNumber, truncateText } from '../../src/corpus/import-cells';
import { csvReader, detectFormat, jsonlReader, jsonReader } from '../../src/corpus/import-formats';
import { ByteDecoder, readTable } from '../../src/corpus/import-read';
import { parseListing, type ListingRecord } from '../../scripts/lib/seeds/listing';
import { CorpusError, loadCorpus, validateCorpus } from '../../src/corpus/load';
import type { Corpus, Paper } from '../../src/corpus/types';

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_917);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
fc.configureGlobal({ seed: SEED });
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)) });

// ---------------------------------------------------------------------------------------------------
// Time limits and outcomes

/** Far above what any input here needs (milliseconds), so only a hang or a blow-up reaches it. */
const LIMIT_MS = 5_000;

class Hang extends Error {}

const watchdog = new vm.Script('run()');
const sandbox = vm.createContext({ run: () => undefined as unknown });

/**
 * Runs fn within the time limit. A timer cannot stop synchronous code (a runaway loop or regex), but
 * vm's watchdog can: fn's synchronous part runs under it. A promise fn returns (an async parser past
 * its first await) gets the time that is left, as a race against a timer.
 */
async function inTime<T>(what: string, fn: () => T | Promise<T>, limit = LIMIT_MS): Promise<T> {
  const start = performance.now();
  sandbox.run = fn;
  let value: T | Promise<T>;
  try {
    value = watchdog.runInContext(sandbox, { timeout: limit }) as T | Promise<T>;
  } catch (error) {
    if ((error as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new Hang(`${what} ran for more than ${limit} ms`);
    throw error;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const left = Math.max(1, limit - (performance.now() - start));
  try {
    return await Promise.race([value, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Hang(`${what} did not settle within ${limit} ms`)), left)))]);
  } finally {
    clearTimeout(timer);
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/** A parse's result, or the error of the parser's own class; any other error fails the property. */
async function outcome<T>(what: string, fn: () => T | Promise<T>, expected: new (...args: never[]) => Error): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await inTime(what, fn) };
  } catch (error) {
    if (error instanceof expected) return { ok: false, error };
    throw error;
  }
}

describe('the time limit', () => {
  it('stops a runaway regex and a promise that never settles, so a hang fails instead of freezing the run', async () => {
    await expect(inTime('a runaway regex', () => /^(a+)+$/.test(`${'a'.repeat(40)}b`), 200)).rejects.toThrow(Hang);
    await expect(inTime('a promise that never settles', () => new Promise(() => undefined), 200)).rejects.toThrow(Hang);
  });
});

// ---------------------------------------------------------------------------------------------------
// What a valid paper is

/** A real calendar day written YYYY-MM-DD. */
function isIsoDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d);
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

const isText = (v: unknown) => typeof v === 'string' && v.trim() !== '';
const isCount = (v: unknown) => v === null || (Number.isInteger(v) && (v as number) >= 0);
const isFiniteOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
const isTextOrNull = (v: unknown) => v === null || typeof v === 'string';

function expectDate(date: unknown, year: unknown): void {
  expect(date === null || (typeof date === 'string' && isIsoDay(date)), `date ${String(date)}`).toBe(true);
  expect(year === null || Number.isInteger(year), `year ${String(year)}`).toBe(true);
  if (typeof date === 'string') expect(year).toBe(Number(date.slice(0, 4)));
}

function expectListingRecord(r: ListingRecord): void {
  expect(isText(r.title), `title ${JSON.stringify(r.title)}`).toBe(true);
  expect(isText(r.abstract), `abstract ${JSON.stringify(r.abstract)}`).toBe(true);
  expect(isCount(r.authors), `authors ${r.authors}`).toBe(true);
  expect(isCount(r.upvotes), `upvotes ${r.upvotes}`).toBe(true);
  expect(r.organization === null || isText(r.organization)).toBe(true);
  expect(isTextOrNull(r.dateText)).toBe(true);
  expectDate(r.date, r.year);
}

/** Every field of a Paper, with its type: what the map, the panels and the exports rely on. */
function expectPaper(p: Paper): void {
  expect(typeof p === 'object' && p !== null).toBe(true);
  for (const field of ['id', 'title', 'abstract'] as const) expect(isText(p[field]), `${field} ${JSON.stringify(p[field])}`).toBe(true);
  for (const field of ['authors', 'year', 'upvotes'] as const) expect(isFiniteOrNull(p[field]), `${field} ${String(p[field])}`).toBe(true);
  for (const field of ['organization', 'dateText', 'date'] as const) expect(isTextOrNull(p[field]), `${field} ${String(p[field])}`).toBe(true);
  for (const field of ['url', 'label'] as const) expect(p[field] === undefined || isTextOrNull(p[field]), `${field} ${String(p[field])}`).toBe(true);
  expect(Array.isArray(p.sources) && p.sources.every((s) => typeof s === 'string'), `sources ${JSON.stringify(p.sources)}`).toBe(true);
}

async function expectValidCorpus(corpus: Corpus): Promise<void> {
  expect(corpus.format).toBe('papermap-corpus');
  expect(corpus.version).toBe(1);
  expect(corpus.papers.length).toBeGreaterThan(0);
  corpus.papers.forEach(expectPaper);
  expect(new Set(corpus.papers.map((p) => p.id)).size).toBe(corpus.papers.length);
  expect(corpus.hash).toBe(await corpusHash(corpus.papers));
}

/** An import's corpus passes the app's own validation; vectors and positions fit it. */
async function expectValidImport(result: ImportResult): Promise<void> {
  const { corpus, vectors, coords } = result;
  await expectValidCorpus(corpus);
  await inTime('validateCorpus', () => validateCorpus(corpus));
  const n = corpus.papers.length;
  if (vectors) {
    expect(vectors.dims).toBeGreaterThan(0);
    expect(vectors.data.length).toBe(n * vectors.dims);
    for (let i = 0; i < n; i++) {
      const row = vectors.data.subarray(i * vectors.dims, (i + 1) * vectors.dims);
      expect(row.every(Number.isFinite), `vector ${i} finite`).toBe(true);
      expect(Math.abs(Math.hypot(...row) - 1), `vector ${i} of unit length`).toBeLessThan(1e-3);
    }
  }
  if (coords) {
    expect(coords.length).toBe(2 * n);
    expect(coords.every(Number.isFinite), 'positions finite').toBe(true);
  }
  expect(result.warnings.every((w) => typeof w === 'string' && w !== '')).toBe(true);
}

/** An encoding error names a byte and its line: that byte must be on that line of the file. */
function expectTrueByteReport(message: string, bytes: Uint8Array): void {
  const m = /line (\d+) has the byte 0x([0-9A-F]{2})/.exec(message);
  if (!m) return;
  const [line, byte] = [Number(m[1]), parseInt(m[2]!, 16)];
  let current = 1;
  const onLine: number[] = [];
  for (const b of bytes) {
    if (current === line) onLine.push(b);
    if (b === 0x0a) current++;
  }
  expect(onLine, `${message} (line ${line} of the file is ${Buffer.from(onLine).toString('hex')})`).toContain(byte);
}

// ---------------------------------------------------------------------------------------------------
// Raw listing pages

const seedDir = new URL('../../data/seeds/', import.meta.url).pathname;
const seedPages = readdirSync(seedDir)
  .sort()
  .map((f) => ({ id: basename(f, '.txt'), text: readFileSync(seedDir + f, 'utf8') }));
const seedWords = [...new Set(seedPages.flatMap((p) => p.text.split(/\s+/)))].filter((w) => w !== '').slice(0, 3000);

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const MONTH_SPELLINGS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'December', 'Sept.', 'jan', 'Mayo'];
/** Footer date lines as the pages print them ("Dec 9, 2022 3", "Mar 21"), with any digits in each slot. */
const dateLine = fc
  .tuple(fc.constantFrom(...MONTH_SPELLINGS), digits(1, 3), fc.option(fc.oneof(digits(4, 4), digits(1, 5))), fc.option(fc.oneof(digits(1, 4), digits(300, 400))))
  .map(([month, day, year, votes]) => `${month} ${day}${year === null ? '' : `, ${year}`}${votes === null ? '' : ` ${votes}`}`);
const authorsLine = fc.tuple(fc.oneof(digits(1, 3), digits(300, 400)), fc.constantFrom('authors', 'author', 'Authors')).map(([n, w]) => `• ${n} ${w}`);
const chromeLine = fc.constantFrom('new', 'Subscribe', 'Daily Papers', 'byAK and the research community', 'Get trending papers in your email inbox!', 'Nov 20', 'Dec 9, 2022', '·');
const spaces = fc.string({ unit: fc.constantFrom(' ', '\t', '\u00a0', '\u2003', '\u200b', '\u3000', '\ufeff', '\r', '\u2028', '\u0085', '\v', '\f'), maxLength: 6 });
const word = fc.oneof({ arbitrary: fc.constantFrom(...seedWords), weight: 4 }, fc.string({ unit: 'grapheme', maxLength: 8 }), spaces);
const sentence = (max: number) => fc.array(word, { minLength: 1, maxLength: max }).map((ws) => ws.join(' '));
/** One line of a listing page: text, footers, chrome, blank and odd whitespace, or anything. */
const listingLine = fc.oneof(
  { arbitrary: sentence(12), weight: 4 },
  { arbitrary: sentence(80), weight: 2 },
  { arbitrary: dateLine, weight: 2 },
  authorsLine,
  fc.tuple(fc.constantFrom('apple', 'google', 'meta-llama'), sentence(3)).map(([h, n]) => `${h} ${n}`),
  chromeLine,
  sentence(6).map((s) => `Subscribe${s}`),
  { arbitrary: fc.constant(''), weight: 3 },
  spaces,
  fc.string({ unit: 'binary', maxLength: 30 }),
);
/** A paper as a block page prints it: title, abstract, and a footer of who, "·" and a date, blank lines between. */
const listingBlock = fc
  .tuple(sentence(12), sentence(80), fc.option(fc.oneof(authorsLine, fc.constant('apple Apple'))), fc.option(dateLine))
  .map(([title, abstract, who, date]) => [title, '', abstract, '', ...(who === null ? [] : [who]), '·', ...(date === null ? [] : [date]), '']);
const listingText = fc
  .tuple(fc.array(fc.oneof(listingLine.map((l) => [l]), listingBlock), { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([parts, nl]) => parts.flat().join(nl));
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }));

type Mutation =
  | { kind: 'truncate' | 'swap' | 'blank' | 'crlf'; at: number }
  | { kind: 'delete' | 'duplicate' | 'unblank'; at: number; count: number }
  | { kind: 'insert'; at: number; line: string };

/** Edits of a real page, line by line: what a copy-paste or a changed page layout might do to it. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('truncate', 'swap', 'blank', 'crlf'), at: fc.nat() }),
  fc.record({ kind: fc.constantFrom('delete', 'duplicate', 'unblank'), at: fc.nat(), count: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), line: listingLine }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let lines = text.split('\n');
  for (const m of mutations) {
    const at = m.at % (lines.length + 1);
    switch (m.kind) {
      case 'truncate': {
        const joined = lines.join('\n');
        lines = joined.slice(0, m.at % (joined.length + 1)).split('\n');
        break;
      }
      case 'swap':
        if (at + 1 < lines.length) [lines[at], lines[at + 1]] = [lines[at + 1]!, lines[at]!];
        break;
      case 'blank':
        lines.splice(at, 0, '');
        break;
      case 'crlf':
        lines = lines.map((l, i) => (i >= at ? l + '\r' : l));
        break;
      case 'delete':
        lines.splice(at, m.count);
        break;
      case 'duplicate':
        lines.splice(at, 0, ...lines.slice(at, at + m.count));
        break;
      case 'unblank':
        lines = lines.filter((l, i) => i < at || i >= at + m.count || l.trim() !== '');
        break;
      case 'insert':
        lines.splice(at, 0, m.line);
        break;
    }
  }
  return lines.join('\n');
}

async function expectListingParses(text: string): Promise<void> {
  const page = await inTime('parseListing', () => parseListing(text));
  expect(['blocks', 'lines']).toContain(page.layout);
  expect(isTextOrNull(page.pageDate)).toBe(true);
  page.records.forEach(expectListingRecord);
  expect(page.skipped.every((s) => typeof s === 'string')).toBe(true);
}

describe('raw listing pages', () => {
  it('any text parses into well-formed records, never an exception', async () => {
    await fc.assert(fc.asyncProperty(anyText, expectListingParses), runs(300));
  });

  it('text made of listing lines (footers, dates, chrome, odd spaces) parses into well-formed records', async () => {
    await fc.assert(fc.asyncProperty(listingText, expectListingParses), runs(300));
  });

  it('mutated real seed pages parse into well-formed records', async () => {
    const page = fc.constantFrom(...seedPages.map((p) => p.text));
    await fc.assert(
      fc.asyncProperty(page, fc.array(mutation, { maxLength: 8 }), (text, mutations) => expectListingParses(mutate(text, mutations))),
      runs(60),
    );
  });

  it('buildCorpus over mutated pages gives valid papers with unique ids and the hash of their content', async () => {
    const pages = fc.tuple(fc.subarray([...seedPages.keys()], { minLength: 1 }), fc.array(fc.array(mutation, { maxLength: 5 }), { minLength: 5, maxLength: 5 }));
    await fc.assert(
      fc.asyncProperty(pages, async ([chosen, edits]) => {
        const raw = chosen.map((i) => ({ id: seedPages[i]!.id, text: mutate(seedPages[i]!.text, edits[i]!) }));
        const { skipped, ...corpus } = await inTime('buildCorpus', () => buildCorpus(raw));
        expect(corpus.sources.map((s) => s.id).sort()).toEqual(raw.map((p) => p.id).sort());
        expect(corpus.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(corpus.hash).toBe(await corpusHash(corpus.papers));
        expect(Object.values(skipped).every((list) => list.every((s) => typeof s === 'string'))).toBe(true);
        if (corpus.papers.length === 0) return;
        await expectValidCorpus(corpus);
        for (const p of corpus.papers) expect(p.sources.every((s) => raw.some((r) => r.id === s))).toBe(true);
        // What build-corpus writes, the app reads back.
        const reread = await inTime('validateCorpus', () => validateCorpus(JSON.parse(JSON.stringify(corpus))));
        expect(reread.hash).toBe(corpus.hash);
      }),
      runs(15),
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// The corpus asset

const shippedText = readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8');
const shipped = JSON.parse(shippedText) as Corpus;

/** What JSON.parse can give, including what fc.jsonValue leaves out: "1e999" parses to Infinity, "-0" to -0. */
const jsonish = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 3 },
  fc.constantFrom<unknown>(Infinity, -Infinity, -0, 0, -1, 1.5, 2 ** 53, '', ' ', '\u00a0', '\n', null, true, [], {}, ['a', 1], 'papermap-corpus'),
);
const PAPER_FIELDS = ['id', 'title', 'abstract', 'authors', 'organization', 'dateText', 'date', 'year', 'upvotes', 'sources', 'url', 'label'] as const;
const TOP_FIELDS = ['format', 'version', 'hash', 'papers', 'sources'] as const;

type CorpusMutation =
  | { kind: 'deleteField'; paper: number; field: string }
  | { kind: 'setField'; paper: number; field: string; value: unknown }
  | { kind: 'replacePaper'; paper: number; value: unknown }
  | { kind: 'duplicatePaper' | 'dropPapers'; paper: number; count: number }
  | { kind: 'deleteTop'; field: string }
  | { kind: 'setTop'; field: string; value: unknown };

const corpusMutation: fc.Arbitrary<CorpusMutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('deleteField' as const), paper: fc.nat(), field: fc.constantFrom(...PAPER_FIELDS) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('setField' as const), paper: fc.nat(), field: fc.constantFrom(...PAPER_FIELDS), value: jsonish }), weight: 4 },
  fc.record({ kind: fc.constant('replacePaper' as const), paper: fc.nat(), value: jsonish }),
  fc.record({ kind: fc.constantFrom('duplicatePaper' as const, 'dropPapers' as const), paper: fc.nat(), count: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('deleteTop' as const), field: fc.constantFrom(...TOP_FIELDS) }),
  fc.record({ kind: fc.constant('setTop' as const), field: fc.constantFrom(...TOP_FIELDS), value: jsonish }),
);

function mutateCorpus(data: Record<string, unknown>, mutations: CorpusMutation[]): void {
  for (const m of mutations) {
    const papers = Array.isArray(data.papers) ? (data.papers as unknown[]) : null;
    const at = 'paper' in m && papers ? m.paper % Math.max(1, papers.length) : 0;
    const paper = papers?.[at];
    const editable = typeof paper === 'object' && paper !== null && !Array.isArray(paper) ? (paper as Record<string, unknown>) : null;
    switch (m.kind) {
      case 'deleteField':
        if (editable) delete editable[m.field];
        break;
      case 'setField':
        if (editable) editable[m.field] = structuredClone(m.value);
        break;
      case 'replacePaper':
        if (papers) papers[at] = structuredClone(m.value);
        break;
      case 'duplicatePaper':
        if (papers && paper !== undefined) papers.splice(at, 0, structuredClone(paper));
        break;
      case 'dropPapers':
        papers?.splice(at, m.count);
        break;
      case 'deleteTop':
        delete data[m.field];
        break;
      case 'setTop':
        data[m.field] = structuredClone(m.value);
        break;
    }
  }
}

/** validateCorpus resolves with a valid corpus or rejects with a CorpusError, nothing else. */
async function expectCorpusOrCorpusError(data: unknown): Promise<void> {
  const result = await outcome('validateCorpus', () => validateCorpus(data), CorpusError);
  if (result.ok) await expectValidCorpus(result.value);
}

const paperLike = fc.record(
  {
    id: fc.oneof({ arbitrary: fc.string({ minLength: 1 }), weight: 4 }, jsonish),
    title: fc.oneof({ arbitrary: fc.string({ minLength: 1 }), weight: 4 }, jsonish),
    abstract: fc.oneof({ arbitrary: fc.string({ minLength: 1 }), weight: 4 }, jsonish),
    authors: fc.oneof({ arbitrary: fc.option(fc.nat()), weight: 4 }, jsonish),
    organization: fc.oneof({ arbitrary: fc.option(fc.string()), weight: 4 }, jsonish),
    dateText: fc.oneof({ arbitrary: fc.option(fc.string()), weight: 4 }, jsonish),
    date: fc.oneof({ arbitrary: fc.option(fc.constantFrom('2023-01-02', '1999-12-31')), weight: 4 }, jsonish),
    year: fc.oneof({ arbitrary: fc.option(fc.integer({ min: 1900, max: 2100 })), weight: 4 }, jsonish),
    upvotes: fc.oneof({ arbitrary: fc.option(fc.nat()), weight: 4 }, jsonish),
    sources: fc.oneof({ arbitrary: fc.array(fc.string()), weight: 4 }, jsonish),
    url: fc.oneof(fc.option(fc.string()), jsonish),
    label: fc.oneof(fc.option(fc.string()), jsonish),
  },
  { requiredKeys: ['id', 'title', 'abstract', 'authors', 'organization', 'dateText', 'date', 'year', 'upvotes'] },
);

describe('the corpus asset', () => {
  it('any JSON value is a corpus or a CorpusError', async () => {
    await fc.assert(fc.asyncProperty(jsonish, expectCorpusOrCorpusError), runs(300));
  });

  it('corpus-shaped JSON with its hash recomputed is a valid corpus or a CorpusError', async () => {
    const corpusLike = fc.record({
      format: fc.oneof({ arbitrary: fc.constant('papermap-corpus'), weight: 6 }, jsonish),
      version: fc.oneof({ arbitrary: fc.constant(1), weight: 6 }, jsonish),
      papers: fc.oneof({ arbitrary: fc.array(fc.oneof({ arbitrary: paperLike, weight: 8 }, jsonish), { maxLength: 5 }), weight: 6 }, jsonish),
      sources: fc.oneof(fc.constant([]), jsonish),
    });
    await fc.assert(
      fc.asyncProperty(corpusLike, fc.boolean(), async (data, rehash) => {
        const hash = rehash && Array.isArray(data.papers) ? await corpusHash(data.papers as Paper[]) : 'not the hash';
        await expectCorpusOrCorpusError({ ...data, hash });
      }),
      runs(300),
    );
  });

  it('mutations of the shipped corpus (fields deleted or retyped, papers dropped or repeated) are caught, by the hash or by the field checks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(corpusMutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (mutations, rehash) => {
        const data = structuredClone(shipped) as unknown as Record<string, unknown>;
        mutateCorpus(data, mutations);
        // Recomputing the hash gets past the hash check, to the checks of each field.
        if (rehash && Array.isArray(data.papers)) data.hash = await corpusHash(data.papers as Paper[]);
        await expectCorpusOrCorpusError(data);
      }),
      runs(60),
    );
  });

  it('the shipped corpus file cut short or with bytes changed loads or fails with a CorpusError', async () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom('1e999', '"', ',', '}', ']', 'null', '\\', '\u0000'), fc.string({ maxLength: 4 })) }),
    );
    await fc.assert(
      fc.asyncProperty(edit, async (e) => {
        const at = e.at % (shippedText.length + 1);
        const text = e.kind === 'cut' ? shippedText.slice(0, at) : shippedText.slice(0, at) + e.text + shippedText.slice(at);
        const url = `data:application/json;base64,${Buffer.from(text).toString('base64')}`;
        const result = await outcome('loadCorpus', () => loadCorpus(url), CorpusError);
        if (result.ok) await expectValidCorpus(result.value);
      }),
      runs(25),
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Users' files: CSV, TSV, JSONL, JSON

const FILE_NAMES = ['papers.csv', 'papers.tsv', 'papers.json', 'papers.jsonl', 'papers.ndjson', 'papers.txt', 'download', 'papers.xlsx'];

/** Chunk sizes, used in turn; 0 gives an empty chunk, as a stream may. */
const chunkSizes = fc.array(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 300 }), fc.constant(65_536)), { minLength: 1, maxLength: 6 }).map((s) => (s.some((n) => n > 0) ? s : [1]));

async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    yield bytes.slice(i, i + n);
    i += n;
  }
}

interface FileInput {
  name: string;
  bytes: Uint8Array;
  sizes: number[];
  /** Whether readTable is told the size up front, as it is for a File. */
  known: boolean;
}

/** readTable then buildImport with the guessed columns: a valid import or an ImportError, nothing else. */
async function importFile({ name, bytes, sizes, known }: FileInput): Promise<Outcome<ImportResult>> {
  const table = await outcome('readTable', () => readTable(chunked(bytes, sizes), { name, total: known ? bytes.length : null }), ImportError);
  if (!table.ok) return table;
  expect(table.value.rows.length).toBe(table.value.rowNumbers.length);
  return outcome('buildImport', () => buildImport(table.value, guessColumns(table.value.columns)), ImportError);
}

async function expectImportOrImportError(input: FileInput): Promise<void> {
  const result = await importFile(input);
  if (result.ok) await expectValidImport(result.value);
  else {
    expect(result.error.message).not.toBe('');
    // The guessed columns come from the file: saying one is not in it would send the user looking for a mistake that is not there.
    expect(result.error.message).not.toMatch(/chosen for the \w+ is not in the file/);
    expectTrueByteReport(result.error.message, input.bytes);
  }
}

/** The synchronous heart of readTable: decoding, format detection and the format's reader, under the watchdog. */
function readSync(name: string, bytes: Uint8Array, sizes: number[]): ParsedTable {
  const decoder = new ByteDecoder();
  let text = '';
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    text += decoder.push(bytes.subarray(i, i + n));
    i += n;
  }
  text += decoder.push(new Uint8Array(0), true);
  const format = detectFormat(name, text);
  const reader = (format === 'csv' ? csvReader : format === 'jsonl' ? jsonlReader : jsonReader)(name, IMPORT_LIMITS);
  reader.push(text);
  return reader.finish();
}

const TRICKY = ['"', '""', ',', ';', '\t', '|', '\n', '\r\n', '\r', ' ', '\u00a0', '\u2028', '\ufeff', '"quoted, with comma"', '<script>alert("x")</script>', '<b>bold</b> &amp;', 'naïve café', 'e\u0301', '扩散模型', 'العربية', '🚀', '👩‍🔬', '[1, 2]', '{"a": 1}', 'null', '1e999', '=SUM(A1)', '\\'];
const textPiece = fc.oneof(
  { arbitrary: fc.constantFrom(...seedWords), weight: 4 },
  { arbitrary: fc.constantFrom(...TRICKY), weight: 3 },
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 10 }),
);
/** Cell text without NUL, which the reader refuses (a UTF-16 file without its mark reads as NULs). */
const cellText = fc.array(textPiece, { maxLength: 20 }).map((p) => p.join(' ').replace(/\u0000/g, ''));
/** Now and then a very long word: titles over 1,000 and texts over 20,000 characters are cut. */
const longWord = fc.oneof(fc.integer({ min: 990, max: 1_100 }), fc.integer({ min: 19_990, max: 20_500 })).map((n) => 'w'.repeat(n));
const titleCell = fc.oneof({ arbitrary: cellText, weight: 12 }, longWord);
const textCell = fc.oneof({ arbitrary: cellText, weight: 12 }, longWord);
const dateCell = fc.oneof(
  fc.tuple(digits(1, 5), digits(1, 2), digits(1, 2)).map(([y, m, d]) => `${y}-${m}-${d}`),
  fc.tuple(digits(4, 4), digits(1, 2), digits(1, 2), fc.constantFrom('', 'T12:00:00Z', ' 08:30', 'T00:00:00+02:00')).map(([y, m, d, t]) => `${y}-${m}-${d}${t}`),
  fc.tuple(fc.constantFrom(...MONTH_SPELLINGS), digits(1, 2), digits(4, 4)).map(([mo, d, y]) => `${mo} ${d}, ${y}`),
  fc.tuple(digits(1, 2), fc.constantFrom(...MONTH_SPELLINGS), digits(4, 4)).map(([d, mo, y]) => `${d} ${mo} ${y}`),
  cellText,
);
const number = fc.oneof(fc.double(), fc.integer(), { arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }), weight: 3 });

/** The guessed field of a column name, if any. */
const guessedField = (name: string) => Object.entries(guessColumns([name])).find(([, column]) => column !== null)?.[0] ?? null;
/** Extra columns the guess must leave alone: names it does not know, unique after trimming and case. */
const extraName = fc.string({ minLength: 1, maxLength: 12 }).filter((n) => n.trim() === n && n !== '__parsed_extra' && guessedField(n) === null && !/[\r\n"]/.test(n));

const TITLE_NAMES = ['title', 'Title', 'TITLE', 'paper_title', 'Paper Title', 'name', 'display_name'];
const TEXT_NAMES = ['abstract', 'Abstract', 'text', 'summary', 'description', 'body', 'content', 'abstract_text'];

interface Columns {
  title: string;
  text: string;
  id: string | null;
  date: string | null;
  authors: string | null;
  upvotes: string | null;
  url: string | null;
  label: string | null;
  vector: string | null;
  xy: [string, string] | null;
  extra: string[];
}

const columnsArb = (withNumbers: boolean): fc.Arbitrary<Columns> =>
  fc.record({
    title: fc.constantFrom(...TITLE_NAMES),
    text: fc.constantFrom(...TEXT_NAMES),
    id: fc.option(fc.constantFrom('id', 'paper_id', 'arxiv_id', 'DOI')),
    date: fc.option(fc.constantFrom('date', 'published', 'year')),
    authors: fc.option(fc.constantFrom('authors', 'author')),
    upvotes: fc.option(fc.constantFrom('upvotes', 'likes')),
    url: fc.option(fc.constantFrom('url', 'link')),
    label: fc.option(fc.constantFrom('category', 'topic')),
    vector: withNumbers ? fc.option(fc.constantFrom('embedding', 'vector'), { freq: 2 }) : fc.constant(null),
    xy: withNumbers ? fc.option(fc.constantFrom<[string, string]>(['x', 'y'], ['umap_x', 'umap_y']), { freq: 2 }) : fc.constant(null),
    extra: fc.uniqueArray(extraName, { maxLength: 3, selector: (n) => n.toLowerCase() }),
  });

const columnList = (c: Columns) => [c.id, c.title, c.text, c.date, c.authors, c.upvotes, c.url, c.label, c.vector, ...(c.xy ?? []), ...c.extra].filter((n): n is string => n !== null);

/** One row of the model: each column's cell, of the kinds people's files hold. */
const rowArb = (c: Columns, json: boolean): fc.Arbitrary<Record<string, unknown>> => {
  const any = json ? fc.oneof({ arbitrary: cellText, weight: 3 }, fc.jsonValue({ maxDepth: 2 })) : cellText;
  const cells: Record<string, fc.Arbitrary<unknown>> = { [c.title]: json ? fc.oneof({ arbitrary: titleCell, weight: 9 }, any) : titleCell, [c.text]: textCell };
  if (c.id) cells[c.id] = fc.oneof(fc.nat().map((n) => `id-${n}`), any);
  if (c.date) cells[c.date] = fc.oneof(dateCell, json ? fc.integer({ min: 0, max: 3000 }) : dateCell);
  if (c.authors) cells[c.authors] = fc.oneof(fc.constantFrom('A. Lee, B. Ng and C. Wu', 'Lee, Ann; Ng, Bo', '3'), json ? fc.array(fc.string(), { maxLength: 4 }) : cellText, any);
  if (c.upvotes) cells[c.upvotes] = fc.oneof(json ? number : number.map(String), any);
  if (c.url) cells[c.url] = any;
  if (c.label) cells[c.label] = any;
  if (c.vector) {
    const vector = fc.oneof({ arbitrary: fc.array(number, { minLength: 3, maxLength: 3 }), weight: 12 }, fc.array(number, { maxLength: 4 }));
    cells[c.vector] = fc.oneof({ arbitrary: json ? vector : vector.map((v) => JSON.stringify(v)), weight: 8 }, any);
  }
  if (c.xy) for (const axis of c.xy) cells[axis] = fc.oneof({ arbitrary: json ? number : number.map(String), weight: 8 }, any);
  for (const name of c.extra) cells[name] = any;
  // JSON objects may leave out any key but the title and the text.
  return fc.record(cells, { requiredKeys: json ? [c.title, c.text] : undefined }) as fc.Arbitrary<Record<string, unknown>>;
};

type Format = 'csv' | 'tsv' | 'jsonl' | 'json';
type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

interface Model {
  format: Format;
  columns: Columns;
  rows: Record<string, unknown>[];
  newline: '\n' | '\r\n';
  /** JSON: a list, or an object with a "papers" list. */
  wrapped: boolean;
  encoding: Encoding;
}

const modelArb = (withNumbers: boolean, encodings: Encoding[] = ['utf-8', 'utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be']): fc.Arbitrary<Model> =>
  fc.constantFrom<Format>('csv', 'tsv', 'jsonl', 'json').chain((format) =>
    columnsArb(withNumbers).chain((columns) =>
      fc.record({
        format: fc.constant(format),
        columns: fc.constant(columns),
        rows: fc.array(rowArb(columns, format === 'json' || format === 'jsonl'), { maxLength: 12 }),
        newline: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
        wrapped: fc.boolean(),
        encoding: fc.constantFrom(...encodings),
      }),
    ),
  );

const csvCell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function serialise(m: Model): string {
  const columns = columnList(m.columns);
  switch (m.format) {
    case 'csv':
    case 'tsv':
      return Papa.unparse({ fields: columns, data: m.rows.map((r) => columns.map((c) => csvCell(r[c]))) }, { newline: m.newline, delimiter: m.format === 'tsv' ? '\t' : ',' });
    case 'jsonl':
      return m.rows.map((r) => JSON.stringify(r)).join(m.newline);
    case 'json':
      return JSON.stringify(m.wrapped ? { papers: m.rows } : m.rows, null, m.newline === '\n' ? 1 : undefined);
  }
}

function encode(text: string, encoding: Encoding): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  if (encoding === 'utf-8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf-16be') bytes.swap16();
  return bytes;
}

const NAMES_BY_FORMAT: Record<Format, string[]> = {
  csv: ['papers.csv', 'papers.txt', 'download'],
  tsv: ['papers.tsv', 'papers.tab'],
  jsonl: ['papers.jsonl', 'papers.ndjson', 'papers.json', 'download'],
  json: ['papers.json', 'download'],
};

/** A model file, serialised, encoded, cut at a random byte and read in random chunks. */
const cutModelFile = fc
  .tuple(modelArb(true), fc.nat(), fc.boolean(), chunkSizes, fc.boolean(), fc.nat())
  .map(([m, cut, whole, sizes, known, pick]): FileInput & { model: Model } => {
    const bytes = encode(serialise(m), m.encoding);
    const names = NAMES_BY_FORMAT[m.format];
    return { model: m, name: names[pick % names.length]!, bytes: whole ? bytes : bytes.subarray(0, cut % (bytes.length + 1)), sizes, known };
  });

const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.concat([Buffer.from('title,abstract\n'), b])),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.concat([Buffer.from([0xff, 0xfe]), b])),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.concat([Buffer.from('[{"title": "A", "abstract": "'), b])),
  anyText.map((t) => new TextEncoder().encode(t)),
);
const anyFile = fc.record({ name: fc.constantFrom(...FILE_NAMES), bytes: anyBytes, sizes: chunkSizes, known: fc.boolean() });

/** What an import came to, comparable across runs: the corpus, vectors, positions and warnings, or the message. */
function summary(result: Outcome<ImportResult>): unknown {
  if (!result.ok) return { error: result.error.message };
  const { corpus, vectors, coords, warnings } = result.value;
  return { hash: corpus.hash, papers: corpus.papers, vectors: vectors && [vectors.dims, Array.from(vectors.data)], coords: coords && Array.from(coords), warnings };
}

describe("users' files", () => {
  it('any bytes, under any name and in any chunks, import or fail with an ImportError that names a true byte', async () => {
    await fc.assert(fc.asyncProperty(anyFile, expectImportOrImportError), runs(300));
  });

  it('files written from random records, cut at a random byte and read in random chunks, import or fail with an ImportError', async () => {
    await fc.assert(fc.asyncProperty(cutModelFile, expectImportOrImportError), runs(200));
  });

  it('the readers finish in time on the same inputs, their synchronous code watched', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyFile, cutModelFile), async ({ name, bytes, sizes }) => {
        await outcome('reading', () => readSync(name, bytes, sizes), ImportError);
      }),
      runs(200),
    );
  });

  it('the same bytes give the same corpus or the same message however they are chunked', async () => {
    const file = fc.oneof(anyFile, cutModelFile).filter((f) => !f.bytes.includes(0));
    await fc.assert(
      fc.asyncProperty(file, chunkSizes, async (input, otherSizes) => {
        const [a, b] = [await importFile(input), await importFile({ ...input, sizes: otherSizes })];
        expect(summary(b)).toEqual(summary(a));
      }),
      runs(150),
    );
  });

  it('a Papermap corpus file, mutated, imports as it is or fails with an ImportError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(corpusMutation, { maxLength: 4 }), fc.boolean(), chunkSizes, async (mutations, rehash, sizes) => {
        const data = structuredClone(shipped) as unknown as Record<string, unknown>;
        mutateCorpus(data, mutations);
        if (rehash && Array.isArray(data.papers)) data.hash = await corpusHash(data.papers as Paper[]);
        const bytes = new TextEncoder().encode(JSON.stringify(data));
        await expectImportOrImportError({ name: 'corpus.json', bytes, sizes: sizes.map((n) => n * 64), known: true });
      }),
      runs(20),
    );
  });

  it('files past the first megabyte read the same streamed in chunks as in one piece', async () => {
    // readTable decides the format on the first megabyte, then streams the rest to the reader.
    const big = fc.tuple(modelArb(false, ['utf-8']), fc.option(fc.integer({ min: 1, max: 100 }), { freq: 2 }), fc.array(fc.integer({ min: 1_000, max: 70_000 }), { minLength: 1, maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(big, async ([m, cut, sizes]) => {
        fc.pre(m.rows.length > 0);
        const once = serialise(m).length + 1;
        const rows = Array.from({ length: Math.ceil(1_200_000 / once) }, () => m.rows).flat();
        const bytes = encode(serialise({ ...m, rows }), 'utf-8');
        const name = { csv: 'papers.csv', tsv: 'papers.tsv', jsonl: 'papers.jsonl', json: 'papers.json' }[m.format];
        const input = { name, bytes: bytes.subarray(0, bytes.length - (cut ?? 0)), sizes, known: false };
        const [streamed, whole] = [await importFile(input), await importFile({ ...input, sizes: [input.bytes.length] })];
        expect(summary(streamed)).toEqual(summary(whole));
      }),
      runs(8),
    );
  });

  it('well-formed files round-trip: every row with a title and a text comes back, normalised as documented', async () => {
    const model = modelArb(false).chain((m) => fc.tuple(fc.constant(m), chunkSizes));
    await fc.assert(
      fc.asyncProperty(model, async ([m, sizes]) => {
        const c = m.columns;
        // Unique ids, or titles made unique, so that no row is dropped as a duplicate.
        const rows = m.rows.map((r, i) => ({ ...r, ...(c.id ? { [c.id]: `id-${i}`, [c.title]: csvCell(r[c.title]) } : { [c.title]: `T${i} ${csvCell(r[c.title])}` }) }));
        const name = { csv: 'papers.csv', tsv: 'papers.tsv', jsonl: 'papers.jsonl', json: 'papers.json' }[m.format];
        const bytes = encode(serialise({ ...m, rows }), m.encoding);
        const result = await importFile({ name, bytes, sizes, known: true });
        // import-cells.ts: runs of whitespace in a title become one space; a text keeps its line breaks (CRLF as LF); both are trimmed.
        const expected = rows
          .map((r) => ({ title: csvCell(r[c.title]).replace(/\s+/g, ' ').trim(), abstract: csvCell(r[c.text]).replace(/\r\n?/g, '\n').trim() }))
          .filter((p) => p.title !== '' && p.abstract !== '');
        if (expected.length === 0) {
          expect(result.ok).toBe(false);
          return;
        }
        if (!result.ok) throw result.error;
        await expectValidImport(result.value);
        const papers = result.value.corpus.papers;
        expect(papers.length).toBe(expected.length);
        papers.forEach((p, i) => {
          expectCut(p.title, expected[i]!.title, IMPORT_LIMITS.maxTitleChars);
          expectCut(p.abstract, expected[i]!.abstract, IMPORT_LIMITS.maxTextChars);
          expect(p.sources).toEqual([name]);
          if (c.id) expect(p.id).toMatch(/^id-\d+$/);
        });
      }),
      runs(150),
    );
  });
});

/** A text at most `limit` long comes back whole; a longer one is cut to the limit and ends with "…". */
function expectCut(actual: string, original: string, limit: number): void {
  if (original.length <= limit) return void expect(actual).toBe(original);
  expect(actual.length).toBeLessThanOrEqual(limit);
  expect(actual.endsWith('…')).toBe(true);
  expect(original.startsWith(actual.slice(0, -1))).toBe(true);
}

describe('cells of a paper', () => {
  const cell = fc.oneof(dateCell, cellText, anyText, fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), number.map(String));

  it('dates read as a real day and its year, or a year, or nothing', () => {
    fc.assert(
      fc.property(cell, (text) => {
        const parsed = parseDate(text);
        if (parsed) expectDate(parsed.date, parsed.year);
      }),
      runs(500),
    );
  });

  it('vectors, counts and numbers read as finite numbers or null', () => {
    const value = fc.oneof(cell, fc.jsonValue({ maxDepth: 2 }), fc.array(number, { maxLength: 5 }), number);
    fc.assert(
      fc.property(value, (v) => {
        const vector = readVector(v);
        expect(vector === null || (vector.length > 0 && Array.from(vector).every(Number.isFinite))).toBe(true);
        expect(isCount(authorCount(v))).toBe(true);
        expect(isFiniteOrNull(toNumber(v))).toBe(true);
      }),
      runs(500),
    );
  });

  it('a cut text fits its limit and never splits a character', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, cellText), fc.integer({ min: 2, max: 300 }), (text, limit) => {
        const cut = truncateText(text, limit);
        if (text.length <= limit) return void expect(cut).toBe(text);
        expect(cut.length).toBeLessThanOrEqual(limit);
        expect(cut.endsWith('…')).toBe(true);
        expect(text.startsWith(cut.slice(0, -1))).toBe(true);
        const last = cut.charCodeAt(cut.length - 2);
        expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      }),
      runs(500),
    );
  });
});
