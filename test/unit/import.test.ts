import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusHash } from '../../src/corpus/ids';
import { paperId } from '../../src/corpus/ids';
import { buildImport, guessColumns, ImportError, nameRows, rowsToCorpus, type ColumnMap, type ImportLimits } from '../../src/corpus/import';
import { parseDate } from '../../src/corpus/import-cells';
import { detectFormat } from '../../src/corpus/import-formats';
import { readTable, readText } from '../../src/corpus/import-read';
import { openSource } from '../../src/corpus/import-source';
import { MAP_SPAN } from '../../src/math/geometry/normalise';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url));

/** Bytes as a stream of small chunks, so rows, quotes and multi-byte characters fall across chunk edges. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(name: string, bytes: Uint8Array = fixture(name), chunk = 4096, limits?: Partial<ImportLimits>) {
  return readTable(chunked(bytes, chunk), { name, total: bytes.length, ...(limits ? { limits } : {}) });
}

/** Reads a file and builds its corpus with the guessed column map. */
async function importFile(name: string, bytes: Uint8Array = fixture(name), chunk = 4096, limits?: Partial<ImportLimits>) {
  const table = await read(name, bytes, chunk, limits);
  return buildImport(table, guessColumns(table.columns), limits);
}

async function importText(name: string, text: string, limits?: Partial<ImportLimits>) {
  const table = await readText(text, { name, ...(limits ? { limits } : {}) });
  return buildImport(table, guessColumns(table.columns), limits);
}

/** The ImportError an import fails with (the test fails if it succeeds or fails otherwise). */
async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return (error as ImportError).message;
}

const NO_COLUMNS: ColumnMap = { title: null, text: null, id: null, date: null, url: null, label: null, vector: null, x: null, y: null, authors: null, organization: null, upvotes: null };

describe('a CSV file with awkward quoting and characters', () => {
  it('guesses the columns by their usual names', async () => {
    const table = await read('papers.csv');
    expect(table.format).toBe('csv');
    expect(guessColumns(table.columns)).toEqual({
      ...NO_COLUMNS,
      title: 'title',
      text: 'abstract',
      id: 'id',
      date: 'date',
      url: 'url',
      label: 'category',
      authors: 'authors',
      upvotes: 'upvotes',
    });
  });

  it('keeps commas, doubled quotes, line breaks, unicode and HTML exactly as written', async () => {
    const { corpus, warnings } = await importFile('papers.csv');
    expect(warnings).toEqual([]);
    expect(corpus.papers).toHaveLength(12);
    const byId = new Map(corpus.papers.map((p) => [p.id, p]));
    expect(byId.get('2301.00101')!.title).toBe('Denoising Diffusion, Revisited: Why "Noise" Schedules Matter');
    expect(byId.get('2302.04410')!.abstract).toContain('as a Schrödinger bridge between the data and a Gaussian, which shortens sampling to twenty steps.\n\nA second paragraph follows a blank line: the naïve sampler and the café-au-lait dataset');
    expect(byId.get('2212.04488')!.abstract).toContain('in English and Chinese (扩散模型, 文本到图像).');
    expect(byId.get('2305.11771')!.title).toBe('Consistency Distillation: One-Step Sampling from Diffusion Models 🚀');
    expect(byId.get('2210.09911')!.title).toBe('Self-Supervised Speech Representations for Arabic Dialects (العربية) and Hebrew (עברית)');
    expect(byId.get('2303.02210')!.title).toBe('Message Passing <script>alert("x")</script> Is Not All You Need');
    expect(byId.get('2209.13357')!.title).toBe('Over-smoothing in Deep Graph Convolutional Networks <img src=x onerror=alert(1)>');
    expect(byId.get('2304.08899')!.title).toBe('Graph Transformers with Positional Encodings: Laplacian, Random-Walk, and "Structural" Views');
  });

  it('reads ids, dates, links, labels, author counts and upvotes', async () => {
    const { corpus } = await importFile('papers.csv');
    const byId = new Map(corpus.papers.map((p) => [p.id, p]));
    expect(byId.get('2301.00101')).toEqual({
      id: '2301.00101',
      title: 'Denoising Diffusion, Revisited: Why "Noise" Schedules Matter',
      abstract: expect.stringMatching(/^We study how the noise schedule .* higher resolutions\.$/) as unknown as string,
      authors: 4,
      organization: null,
      dateText: '2023-01-03',
      date: '2023-01-03',
      year: 2023,
      upvotes: 37,
      sources: ['papers.csv'],
      url: 'https://arxiv.org/abs/2301.00101',
      label: 'cs.CV',
    });
    expect(byId.get('2212.04488')).toMatchObject({ dateText: 'Dec 9, 2022', date: '2022-12-09', year: 2022, authors: 3 });
    expect(byId.get('2305.11771')).toMatchObject({ date: '2023-05-19', year: 2023 });
    expect(byId.get('2209.13357')).toMatchObject({ dateText: '2022', date: null, year: 2022, upvotes: null });
  });

  it('gives the same corpus and hash whatever the chunk size, so the same file hits the same cache', async () => {
    const whole = await importFile('papers.csv', fixture('papers.csv'), 1 << 20);
    const tiny = await importFile('papers.csv', fixture('papers.csv'), 7);
    expect(tiny.corpus).toEqual(whole.corpus);
    expect(whole.corpus.hash).toBe(await corpusHash(whole.corpus.papers));
    expect(whole.corpus.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads tab-separated files and semicolon-separated ones', async () => {
    const tsv = await importText('list.tsv', 'title\tabstract\nGraph attention, revisited\tAttention over neighbours, with commas, in the text.\n');
    expect(tsv.corpus.papers[0]).toMatchObject({ title: 'Graph attention, revisited', abstract: 'Attention over neighbours, with commas, in the text.' });
    const semicolons = await importText('list.csv', 'title;abstract;year\nSpeech codecs;Neural audio codecs, tokenised;2023\nGraph kernels;Kernels on graphs, compared;2021\n');
    expect(semicolons.corpus.papers.map((p) => [p.title, p.year])).toEqual([
      ['Speech codecs', 2023],
      ['Graph kernels', 2021],
    ]);
  });

  it('makes ids from titles, as the shipped corpus does, when the file has no id column', async () => {
    const { corpus } = await importText('list.csv', 'title,abstract\nScore-Based Diffusion,Reverse SDEs.\n');
    expect(corpus.papers[0]!.id).toBe(paperId('Score-Based Diffusion'));
    // Fields the file has no column for are not written at all, so they do not enter the hash.
    expect(Object.keys(corpus.papers[0]!)).not.toContain('url');
    expect(Object.keys(corpus.papers[0]!)).not.toContain('label');
  });
});

describe('JSONL and JSON files', () => {
  it('maps other column names (name, summary, published, category, paper_id) and counts author lists', async () => {
    const table = await read('papers.jsonl');
    expect(table.format).toBe('jsonl');
    expect(guessColumns(table.columns)).toMatchObject({ title: 'name', text: 'summary', date: 'published', label: 'category', id: 'paper_id', authors: 'authors' });
    const { corpus } = await buildImport(table, guessColumns(table.columns));
    expect(corpus.papers.map((p) => p.id)).toEqual(['gnn-1', 'gnn-2', 'gnn-3', 'diff-1', 'diff-2', 'diff-3', 'speech-1', 'speech-2', 'speech-3']);
    expect(corpus.papers[1]).toMatchObject({ label: 'graph learning', authors: 2, dateText: 'Mar 3, 2023', date: '2023-03-03', year: 2023 });
    expect(corpus.papers[5]!.abstract).toContain('“Smart quotes” — and dashes — are kept.');
    expect(corpus.papers[6]!.abstract).toContain('including 日本語 and 한국어');
  });

  it('reads precomputed embeddings (unit length) and x/y positions', async () => {
    const table = await read('papers-vectors.json');
    const map = guessColumns(table.columns);
    expect(map).toMatchObject({ vector: 'embedding', x: 'x', y: 'y' });
    const { corpus, vectors, coords } = await buildImport(table, map);
    expect(corpus.papers).toHaveLength(6);
    expect(vectors!.dims).toBe(4);
    expect(vectors!.data).toHaveLength(24);
    const first = Array.from(vectors!.data.subarray(0, 4));
    const norm = Math.hypot(0.9, 0.1, 0, 0.05);
    first.forEach((v, d) => expect(v).toBeCloseTo([0.9, 0.1, 0, 0.05][d]! / norm, 6));
    // The file's layout, centred on 0 and scaled so its longer side (y: −1.2 … 1.2) spans MAP_SPAN.
    const scale = MAP_SPAN / 2.4;
    [(1 + 0.05) * scale, 1.2 * scale, (1.1 + 0.05) * scale, 0.9 * scale].forEach((v, i) => expect(coords![i]).toBeCloseTo(v, 4));
  });

  it('scales embeddings to unit length even when their squares overflow or vanish', async () => {
    const { vectors } = await importText('v.jsonl', '{"title": "A", "abstract": "a", "embedding": [1.340684292166218e154, 0, -1.608613070576123e152]}\n{"title": "B", "abstract": "b", "embedding": [3e-200, 4e-200, 0]}\n');
    const norm = Math.hypot(1.340684292166218, 0, -0.01608613070576123);
    expect(Array.from(vectors!.data)).toEqual([1.340684292166218 / norm, 0, -0.01608613070576123 / norm, 0.6, 0.8, 0].map(Math.fround));
  });

  it('refuses positions a 32-bit float cannot hold, rather than draw them at infinity', async () => {
    expect(await failure(importText('p.json', '[{"title": "A", "abstract": "a", "x": 0, "y": -3.4028235677973366e38}]'))).toBe(
      'Item 1 has a position too far out to draw (0, -3.4028235677973366e+38): scale the x and y columns down, or choose no x and y columns.',
    );
  });

  it('reads embeddings written as JSON text, or as NumPy prints them, in a CSV cell', async () => {
    const { vectors } = await importText('v.csv', 'title,abstract,embedding\nA,One.,"[3, 4, 0]"\nB,Two.,"[ 0.  2.\n  0.]"\n');
    expect(vectors!.dims).toBe(3);
    expect(Array.from(vectors!.data)).toEqual([0.6, 0.8, 0, 0, 1, 0].map(Math.fround));
    expect(await failure(importText('v.csv', 'title,abstract,embedding\nA,One.,"[3, 4]"\nB,Two.,"[ 0.  2.\n  0.]"\n'))).toBe(
      'Embeddings must all have the same length: row 2 has 2 numbers but row 3 has 3.',
    );
  });

  it('takes a Papermap corpus file as it is, with the hash of the shipped corpus', async () => {
    const bytes = readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url));
    const shipped = JSON.parse(bytes.toString('utf8')) as { hash: string; papers: unknown[]; sources: unknown[] };
    const table = await read('corpus.json', bytes, 1 << 16);
    expect(table.papermap).toBe(true);
    const { corpus } = await buildImport(table, NO_COLUMNS);
    expect(corpus.papers).toEqual(shipped.papers);
    expect(corpus.hash).toBe(shipped.hash);
    // Its pages keep their names.
    expect(corpus.sources).toEqual(shipped.sources);
  });

  it('accepts an object holding a "papers" list, and stringifies numbers given as titles', async () => {
    const { corpus } = await importText('p.json', JSON.stringify({ papers: [{ title: 1984, abstract: 'Orwell, on <b>surveillance</b>.' }] }));
    expect(corpus.papers[0]).toMatchObject({ title: '1984', abstract: 'Orwell, on <b>surveillance</b>.' });
  });

  it('tells JSONL from JSON by content when the name does not', () => {
    const lines = '{"title": "A", "abstract": "a"}\n{"title": "B", "abstract": "b"}\n';
    expect(detectFormat('arxiv-metadata.json', lines)).toBe('jsonl');
    expect(detectFormat('download', lines)).toBe('jsonl');
    expect(detectFormat('download', '[{"title": "A"}]')).toBe('json');
    expect(detectFormat('download', '{\n "papers": []\n}')).toBe('json');
    expect(detectFormat('download', 'title,abstract\nA,a\n')).toBe('csv');
    expect(detectFormat('list.tsv', 'title\tabstract\n')).toBe('csv');
  });
});

describe('parsing dates', () => {
  it('reads ISO dates, month names and lone years, and refuses impossible days', () => {
    expect(parseDate('2023-05-01')).toEqual({ date: '2023-05-01', year: 2023 });
    expect(parseDate('2023-05-01T12:00:00+02:00')).toEqual({ date: '2023-05-01', year: 2023 });
    expect(parseDate('2023')).toEqual({ date: null, year: 2023 });
    expect(parseDate('December 9, 2022')).toEqual({ date: '2022-12-09', year: 2022 });
    expect(parseDate('9 Dec 2022')).toEqual({ date: '2022-12-09', year: 2022 });
    expect(parseDate('12/09/2022')).toEqual({ date: null, year: 2022 });
    expect(parseDate('2023-02-30')).toBeNull();
    expect(parseDate('8 Jan 0900')).toEqual({ date: '0900-01-08', year: 900 });
    expect(parseDate('soon')).toBeNull();
  });

  it('keeps an unreadable date as written and says so', async () => {
    const { corpus, warnings } = await importText('d.csv', 'title,abstract,date\nA,a,sometime\nB,b,2021\n');
    expect(corpus.papers[0]).toMatchObject({ dateText: 'sometime', date: null, year: null });
    expect(warnings).toEqual(['1 date could not be read and is shown as written, without a year (row 2).']);
  });
});

describe('files that are empty or not UTF-8', () => {
  it('says a file of 0 bytes, of blank space, or of only a header is empty', async () => {
    expect(await failure(importFile('empty.csv'))).toBe('The file is empty (0 bytes).');
    expect(await failure(importText('blank.csv', '  \n\n \t\n'))).toMatch(/empty: it holds only blank space/);
    expect(await failure(importText('header.csv', 'title,abstract,date\n'))).toBe('The file has a header row (title, abstract, date) but no papers under it.');
    expect(await failure(importText('list.json', '[]'))).toMatch(/empty list: it has no papers/);
    expect(await failure(importText('list.jsonl', '\n\n'))).toMatch(/empty/);
  });

  it('names the line and the byte of a Latin-1 file, even when read in small chunks', async () => {
    const expected = 'The file is not UTF-8 text: line 4 has the byte 0xE7, which is "ç" in Latin-1 / Windows-1252; save the file as UTF-8 (in Excel: "CSV UTF-8") and try again.';
    expect(await failure(importFile('latin1.csv'))).toBe(expected);
    expect(await failure(importFile('latin1.csv', fixture('latin1.csv'), 5))).toBe(expected);
    const smartQuotes = Buffer.concat([Buffer.from('title,abstract\nA,'), Buffer.from([0x93]), Buffer.from('quoted')]);
    expect(await failure(importFile('quotes.csv', smartQuotes))).toMatch(/^The file is not UTF-8 text: line 2 has the byte 0x93, which is "“" in Latin-1 \/ Windows-1252;/);
  });

  it('reads UTF-16 files with a byte-order mark, little- and big-endian', async () => {
    const text = 'title,abstract\nDiffusion für Audio,Klänge aus Rauschen — 音声.\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const bytes of [le, be]) {
      // In chunks of 1 byte, the mark itself comes in two chunks.
      for (const chunk of [3, 1]) {
        const { corpus } = await importFile('utf16.csv', bytes, chunk);
        expect(corpus.papers[0]).toMatchObject({ title: 'Diffusion für Audio', abstract: 'Klänge aus Rauschen — 音声.' });
      }
    }
  });

  it('names the bad byte when it ends a chunk, and a byte that only UTF-8 decoders refuse (an encoded surrogate)', async () => {
    const latin1 = Buffer.concat([Buffer.from('title,abstract\nA,caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]);
    expect(await failure(importFile('cafe.csv', latin1, 19))).toMatch(/^The file is not UTF-8 text: line 2 has the byte 0xE9, which is "é"/);
    const surrogate = Buffer.concat([Buffer.from('title,abstract\nA,'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('x\n')]);
    expect(await failure(importFile('s.csv', surrogate))).toMatch(/^The file is not UTF-8 text: line 2 has the byte 0xED/);
  });

  it('says a file that ends inside a character was cut short', async () => {
    const cut = Buffer.concat([Buffer.from('title,abstract\n'), Buffer.from([0xc2])]);
    for (const chunk of [1, 4096]) {
      expect(await failure(importFile('cut.csv', cut, chunk))).toBe('The file ends in the middle of a character on line 2: it was probably cut short; download or save it again.');
    }
  });

  it('drops a UTF-8 byte-order mark so the first column keeps its name', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('title,abstract\nA,a\n')]);
    const table = await read('bom.csv', bytes);
    expect(table.columns).toEqual(['title', 'abstract']);
  });

  it('says a file with NUL bytes is UTF-16 without a mark or binary', async () => {
    const bytes = Buffer.from('title,abstract\nA,a\n', 'utf16le');
    expect(await failure(importFile('nomark.csv', bytes))).toMatch(/NUL bytes.*UTF-16 without a byte-order mark or a binary file/);
  });

  it('asks for a CSV export of a spreadsheet', async () => {
    expect(await failure(importFile('papers.xlsx', Buffer.from('PK\u0003\u0004')))).toBe('"papers.xlsx" is a spreadsheet workbook: save it as CSV (UTF-8) and import that file.');
  });
});

describe('CSV rows that do not fit the header', () => {
  it('stops at rows with extra fields and names them, rather than shift their columns', async () => {
    expect(await failure(importFile('ragged.csv'))).toBe(
      "Rows 4 and 6 have more fields than the header's 3 (up to 5): a field with a comma is probably not in quotes; quote it, or remove the extra fields.",
    );
  });

  it('keeps rows with missing trailing fields, and says which', async () => {
    const { corpus, warnings } = await importText('short.csv', 'title,abstract,date\nA,a,2023\nB,b\nC,c,2021\n');
    expect(corpus.papers.map((p) => [p.title, p.dateText])).toEqual([
      ['A', '2023'],
      ['B', null],
      ['C', '2021'],
    ]);
    expect(warnings).toEqual(['1 row has fewer fields than the header; the missing fields were left empty (row 3).']);
  });

  it('does not say a column of the header is missing when no row reaches it', async () => {
    expect(await failure(importText('short.csv', 'title,abstract\nOnly a title\n'))).toBe(
      'None of the 1 rows has both a title (column "title") and a text (column "abstract"), so there is nothing to map.',
    );
  });

  it('stops at a quote that is never closed', async () => {
    expect(await failure(importText('q.csv', 'title,abstract\nA,a\n"B,b\nC,c\n'))).toMatch(/^The quotes in row 3 are not closed/);
  });

  it('names a row once, however many quote errors it has', async () => {
    expect(await failure(importText('q.csv', 'title,abstract\nA,"a"b"c"d\nB,b\n'))).toBe(
      'The quotes in row 2 are not closed or are followed by other text, so their fields cannot be separated: fix the quoting of that row.',
    );
  });
});

describe('naming rows in messages', () => {
  it('names each row once, in order, and counts the rest once each', () => {
    expect(nameRows([3], 'row')).toBe('row 3');
    expect(nameRows([2, 2, 2], 'line')).toBe('line 2');
    expect(nameRows([4, 4, 4, 4, 4, 9, 9, 132], 'row')).toBe('rows 4, 9 and 132');
    // 137 errors on 28 rows (4 to 31): five named, 23 more.
    expect(nameRows(Array.from({ length: 137 }, (_, i) => 4 + Math.floor(i / 5)), 'row')).toBe('rows 4, 5, 6, 7, 8 and 23 more');
  });
});

describe('a web page where a corpus file was expected', () => {
  it('is recognised by its first tag, whatever the file is called', async () => {
    const page = '\ufeff\n  <!DOCTYPE html>\n<html lang="en"><head><title>Papermap</title></head><body><p class="x">"quoted" text</p></body></html>\n';
    for (const name of ['missing.csv', 'papers.jsonl', 'papers.json']) {
      expect(await failure(readText(page, { name }))).toBe('The file is a web page (HTML), not a corpus file: Papermap reads CSV, TSV, JSON, JSONL, Parquet and Arrow files.');
    }
    expect(await failure(readText('<html>\n<body>hi</body></html>', { name: 'x.csv' }))).toMatch(/^The file is a web page/);
  });

  it('leaves a CSV whose text mentions tags alone', async () => {
    const { corpus } = await importText('tags.csv', 'title,abstract\n<html> in titles,We study <b> tags.\n');
    expect(corpus.papers[0]!.title).toBe('<html> in titles');
  });
});

describe('missing columns and values', () => {
  it('lists the columns found and the names expected when there is no title column', async () => {
    expect(await failure(importFile('no-title.csv'))).toBe(
      'The file has no title column: its columns are "heading_text", "abstract", "year", but one named "title", "paper_title" or "name" was expected; rename one of them or choose it by hand.',
    );
    expect(await failure(importText('t.csv', 'title,notes\nA,a\n'))).toMatch(/^The file has no text \(abstract\) column: its columns are "title", "notes", but one named "abstract", "text"/);
  });

  it('builds with a column map the user chose instead', async () => {
    const table = await read('no-title.csv');
    const { corpus } = await buildImport(table, { ...guessColumns(table.columns), title: 'heading_text' });
    expect(corpus.papers.map((p) => [p.title, p.year])).toEqual([
      ['Graph Neural Networks for Molecules', 2023],
      ['Diffusion Models in Practice', 2022],
    ]);
  });

  it('rejects a chosen column the file does not have, and x without y', async () => {
    const rows = [{ title: 'A', abstract: 'a', x: 1 }];
    const map = { ...NO_COLUMNS, title: 'title', text: 'abstract' };
    expect(await failure(rowsToCorpus(rows, { ...map, date: 'when' }, { fileName: 'f' }))).toBe('The column "when" chosen for the date is not in the file, whose columns are "title", "abstract", "x".');
    expect(await failure(rowsToCorpus(rows, { ...map, x: 'x' }, { fileName: 'f' }))).toBe('Positions need both an x and a y column: choose both, or neither.');
  });

  it('skips rows without a title or a text, naming them, and fails when none is left', async () => {
    const { corpus, warnings } = await importText('gaps.csv', 'title,abstract,date\nA,a,2021\n,b,2022\nC,,2023\n  ,  ,2024\nE,e,2025\n');
    expect(corpus.papers.map((p) => p.title)).toEqual(['A', 'E']);
    expect(warnings).toEqual(['3 rows without a title or a text were skipped (rows 3, 4 and 5).']);
    expect(await failure(importText('gaps.csv', 'title,abstract\n,b\nC,\n'))).toBe('None of the 2 rows has both a title (column "title") and a text (column "abstract"), so there is nothing to map.');
  });
});

describe('duplicates', () => {
  it('fails on one id used by two different papers, naming the id and its lines', async () => {
    expect(await failure(importFile('duplicate-ids.jsonl'))).toBe(
      'The id "a2" is used by two different papers (lines 2 and 5): ids must be unique, so fix the file or choose another id column (or none).',
    );
  });

  it('drops exact repeats with a warning', async () => {
    const lines = fixture('duplicate-ids.jsonl').toString('utf8').split('\n').slice(0, 4).join('\n');
    const { corpus, warnings } = await importText('d.jsonl', lines);
    expect(corpus.papers.map((p) => p.id)).toEqual(['a1', 'a2', 'a3']);
    expect(warnings).toEqual(['1 duplicate of earlier papers was dropped (line 3).']);
  });

  it('keeps the first of two papers with one title when ids come from titles', async () => {
    const { corpus, warnings } = await importText('t.csv', 'title,abstract\nGraph Kernels,First.\ngraph kernels!,Second.\nOther,Third.\n');
    expect(corpus.papers.map((p) => p.abstract)).toEqual(['First.', 'Third.']);
    expect(warnings).toEqual(['1 paper has the title of an earlier one with a different text; only the first of each was kept (row 3).']);
  });
});

describe('long texts and large files', () => {
  it('cuts a 50,000-character abstract to the limit at a word, and keeps a 10,000-character word whole', async () => {
    const word = 'x'.repeat(10_000);
    const long = Array.from({ length: 5_000 }, (_, i) => `word${i % 10}`).join(' ').slice(0, 50_000);
    const text = `title,abstract\nLong,${long}\nOne word,${word}\n`;
    const { corpus, warnings } = await importText('long.csv', text);
    const cut = corpus.papers[0]!.abstract;
    expect(cut.length).toBeLessThanOrEqual(20_000);
    expect(cut.length).toBeGreaterThan(19_800);
    expect(cut.endsWith('…')).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(long[cut.length - 1]).toBe(' ');
    expect(corpus.papers[1]!.abstract).toBe(word);
    expect(warnings).toEqual(['1 text longer than 20,000 characters was cut to that length (row 2).']);
  });

  it('cuts a single 30,000-character word without splitting a character', async () => {
    const { corpus } = await importText('emoji.csv', `title,abstract\nE,${'🚀'.repeat(15_000)}\n`);
    const cut = corpus.papers[0]!.abstract;
    expect(cut.length).toBeLessThanOrEqual(20_000);
    expect(cut.slice(0, -1)).toBe('🚀'.repeat((cut.length - 1) / 2));
  });

  it('streams a 20 MB CSV in chunks, reporting progress', async () => {
    const abstract = 'Diffusion models denoise step by step; graph networks pass messages. '.repeat(14);
    const lines = ['id,title,abstract'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i},"Paper ${i}, on ""things""","${abstract}${i}"`);
    const bytes = new TextEncoder().encode(lines.join('\n'));
    expect(bytes.length).toBeGreaterThan(20_000_000);
    const progress: number[] = [];
    const table = await readTable(chunked(bytes, 65_536), { name: 'big.csv', total: bytes.length, onProgress: (b) => progress.push(b) });
    expect(table.rows).toHaveLength(20_000);
    expect(table.rows[19_999]).toEqual({ id: '19999', title: 'Paper 19999, on "things"', abstract: `${abstract}19999` });
    expect(progress.length).toBeGreaterThan(15);
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('reads a JSONL file that is one 30 MB line in time linear in its size (a JSON list saved as .jsonl)', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(Array.from({ length: 30_000 }, (_, i) => ({ title: `T${i}`, abstract: 'x'.repeat(1_000) }))));
    const start = performance.now();
    expect(await failure(read('list.jsonl', bytes, 65_536))).toBe('Line 1 holds a list, not a JSON object with a title and an abstract.');
    // Splitting the growing line again for each of its 458 chunks took about 8 s; reading it once takes well under 1 s.
    expect(performance.now() - start).toBeLessThan(4_000);
  });

  it('stops at a CSV row that runs on for millions of characters (an unclosed quote) instead of re-reading it ever slower', async () => {
    const text = 'title,abstract\nA paper,"An abstract whose quote never closes. ' + 'More words about speech. '.repeat(400_000);
    const bytes = new TextEncoder().encode(text);
    const start = performance.now();
    expect(await failure(read('open-quote.csv', bytes, 65_536))).toBe('Row 2 runs on for more than 4 million characters: a quote in it is probably not closed. Fix the quoting of that row.');
    expect(performance.now() - start).toBeLessThan(20_000);
  });

  it('refuses a file over the size limit before reading it, and stops reading a stream that passes it', async () => {
    const limits = { maxBytes: 2_000_000, maxPapers: 1_000_000 };
    const never = (async function* () {
      throw new Error('should not be read');
    })();
    expect(await failure(readTable(never, { name: 'huge.csv', total: 600 * 1024 * 1024 }))).toBe(
      'The file is larger than 500 MB, the most Papermap reads: split it, or keep a sample of the papers.',
    );
    let sent = 0;
    const endless = (async function* () {
      yield new TextEncoder().encode('title,abstract\n');
      for (;;) {
        const chunk = new TextEncoder().encode('A paper,An abstract about speech.\n'.repeat(2_000));
        sent += chunk.length;
        yield chunk;
      }
    })();
    expect(await failure(readTable(endless, { name: 'stream.csv', limits }))).toBe('The file is larger than 2 MB, the most Papermap reads: split it, or keep a sample of the papers.');
    expect(sent).toBeLessThan(2_200_000);
  });

  it('refuses more papers than the limit, in every format', async () => {
    const limits = { maxPapers: 5 };
    const message = 'The file has more than 5 papers, the most one map can hold in a browser: split it, or keep a sample of at most 5.';
    const rows = Array.from({ length: 6 }, (_, i) => ({ title: `T${i}`, abstract: `A${i}` }));
    expect(await failure(importText('many.csv', ['title,abstract', ...rows.map((r) => `${r.title},${r.abstract}`)].join('\n'), limits))).toBe(message);
    expect(await failure(importText('many.jsonl', rows.map((r) => JSON.stringify(r)).join('\n'), limits))).toBe(message);
    expect(await failure(importText('many.json', JSON.stringify(rows), limits))).toBe(message);
    expect((await importText('five.json', JSON.stringify(rows.slice(0, 5)), limits)).corpus.papers).toHaveLength(5);
  });

  it('sends large JSON to JSONL or CSV', async () => {
    const text = JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ title: `T${i}`, abstract: 'a'.repeat(100) })));
    expect(await failure(importText('list.json', text, { maxJsonBytes: 1_000 }))).toMatch(/^The file is larger than 1 MB, the most Papermap reads as one JSON document: save it as JSONL or CSV/);
  });
});

describe('JSON that is not a list of papers', () => {
  it('says what the file holds instead', async () => {
    expect(await failure(importText('n.json', '42'))).toBe('The JSON file holds a number, not a list of papers: it should be a list of objects ([{"title": …, "abstract": …}, …]).');
    expect(await failure(importText('o.json', '{"title": "A", "abstract": "a"}'))).toMatch(/^The JSON file is an object without a list of papers/);
    expect(await failure(importText('s.json', '[{"title": "A", "abstract": "a"}, "B"]'))).toBe('Item 2 of the JSON list is a string, not an object with a title and an abstract.');
  });

  it('gives the line and column of a syntax error', async () => {
    expect(await failure(importText('bad.json', '[\n {"title": "A", "abstract": "a"},\n {"title": "B" "abstract": "b"}\n]'))).toMatch(/^The file is not valid JSON at line 3, column 16 \(.+\)\.$/);
  });

  it('names the bad line of a JSONL file, counting blank lines', async () => {
    expect(await failure(importFile('bad-line.jsonl'))).toMatch(/^Line 4 is not valid JSON \(.+\): each line of a JSONL file must be one JSON object\.$/);
    expect(await failure(importText('l.jsonl', '{"title": "A", "abstract": "a"}\n["B", "b"]\n'))).toBe('Line 2 holds a list, not a JSON object with a title and an abstract.');
  });
});

describe('embeddings that cannot be used', () => {
  const map = { ...NO_COLUMNS, title: 'title', text: 'abstract', vector: 'embedding' };
  const build = (embeddings: unknown[]) =>
    rowsToCorpus(
      embeddings.map((embedding, i) => ({ title: `T${i}`, abstract: 'a', embedding })),
      map,
      { fileName: 'v.json', rowUnit: 'item' },
    );

  it('names the rows whose lengths differ, hold non-numbers, or are missing', async () => {
    expect(await failure(build([[1, 0], [0, 1], [1, 1, 1]]))).toBe('Embeddings must all have the same length: item 1 has 2 numbers but item 3 has 3.');
    expect(await failure(build([[1, 0], [0, 'one']]))).toBe('The embedding in item 2 (column "embedding") is not a list of finite numbers.');
    expect(await failure(build([[1, 0], '[0, 1e999]']))).toBe('The embedding in item 2 (column "embedding") is not a list of finite numbers.');
    expect(await failure(build([[1, 0], null]))).toBe(
      'Item 2 has no embedding in column "embedding": every paper needs one, or choose no embedding column and let the map embed the papers.',
    );
    expect(await failure(build([[1, 0], [0, 0]]))).toBe('The embedding in item 2 is all zeros, so it has no direction to compare.');
  });
});

describe('opening a Blob or a URL', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const page = '<!doctype html><html><body>Papermap</body></html>';
    server = createServer((request, response) => {
      if (request.url === '/data/papers.csv') response.writeHead(200, { 'content-type': 'text/csv' }).end(fixture('papers.csv'));
      // A single-page-app host answers any path with its page; others have a 404 page.
      else if (request.url === '/app/missing.csv') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      else if (request.url === '/pages/missing.csv') response.writeHead(404, 'Not Found', { 'content-type': 'text/html' }).end(page);
      else if (request.url === '/picture.csv') response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      else if (request.url === '/busy.csv') response.writeHead(503, 'Service Unavailable').end();
      else response.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('streams a Blob under the name it is given', async () => {
    const source = await openSource(new Blob([fixture('papers.jsonl')]), 'mine.jsonl');
    const table = await readTable(source.chunks, source);
    expect(table.rows).toHaveLength(9);
    expect(table.name).toBe('mine.jsonl');
  });

  it('fetches a URL and names the file after its path', async () => {
    const source = await openSource(`${base}/data/papers.csv`);
    expect(source.name).toBe('papers.csv');
    const { corpus } = await buildImport(await readTable(source.chunks, source), guessColumns(['title', 'abstract', 'id']));
    expect(corpus.papers).toHaveLength(12);
    expect(corpus.papers[0]!.sources).toEqual(['papers.csv']);
  });

  it('says which HTTP status a failed fetch got, and when the server cannot be reached', async () => {
    expect(await failure(openSource(`${base}/missing.csv`))).toBe(`${base}/missing.csv is not a corpus file (the server answered HTTP 404 Not Found): check the address.`);
    expect(await failure(openSource(`${base}/busy.csv`))).toBe(`${base}/busy.csv could not be fetched (the server answered HTTP 503 Service Unavailable): try again later.`);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/papers.csv`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await failure(openSource(url))).toMatch(/^The corpus could not be fetched from http:\/\/127\.0\.0\.1:\d+\/papers\.csv \(.*ECONNREFUSED.*\): check the address/);
  });

  it('says when the server answers with a web page or another kind of file, before reading it', async () => {
    expect(await failure(openSource(`${base}/app/missing.csv`))).toBe(`${base}/app/missing.csv is not a corpus file (the server returned a web page, HTTP 200): check the address.`);
    expect(await failure(openSource(`${base}/pages/missing.csv`))).toBe(`${base}/pages/missing.csv is not a corpus file (the server returned a web page, HTTP 404): check the address.`);
    expect(await failure(openSource(`${base}/picture.csv`))).toBe(`${base}/picture.csv is not a corpus file (the server returned an image, image/png): check the address.`);
  });
});
