/**
 * Parquet and Arrow IPC imports, on files written by pyarrow (test/fixtures/columnar/make.py): the
 * layouts found in the wild (row groups, dictionary-encoded text, snappy and zstd, nulls, list and
 * fixed-size-list vectors, the IPC file and stream formats) give the same corpus as the CSV they were
 * made from, and bad files say what is wrong in one sentence.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildImport, guessColumns, ImportError, type ImportResult, type ParsedTable } from '../../src/corpus/import';
import { readTable } from '../../src/corpus/import-read';
import { binaryFormat } from '../../src/corpus/import-binary';
import type { Paper } from '../../src/corpus/types';
import { normaliseCoords } from '../../src/math/geometry/normalise';
import { mapColumns, toParquet } from '../../src/selection/export-parquet';
import { syntheticMapEntry } from '../support/synthetic-map';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/columnar/${name}`, import.meta.url)));

async function read(bytes: Uint8Array, name: string, chunk = 4096): Promise<ParsedTable> {
  return readTable(
    (async function* () {
      for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
    })(),
    { name, total: bytes.length },
  );
}

async function load(name: string): Promise<{ table: ParsedTable; result: ImportResult }> {
  const table = await read(fixture(name), name);
  return { table, result: await buildImport(table, guessColumns(table.columns)) };
}

async function failure(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  }
  throw new Error('expected the import to fail');
}

const csvTitles = async () => {
  const table = await readTable((async function* () { yield new Uint8Array(readFileSync(new URL('../fixtures/import/papers.csv', import.meta.url))); })(), { name: 'papers.csv' });
  return (await buildImport(table, guessColumns(table.columns))).corpus.papers.map((p) => p.title);
};

describe('columnar imports', () => {
  it('tell Parquet and Arrow from text by their first bytes', () => {
    expect(binaryFormat(fixture('papers-zstd.parquet'))).toBe('parquet');
    expect(binaryFormat(fixture('papers.feather'))).toBe('arrow');
    expect(binaryFormat(fixture('papers-stream.arrow'))).toBe('arrow');
    expect(binaryFormat(new TextEncoder().encode('id,title\n'))).toBeNull();
  });

  for (const [file, format] of [
    ['papers-zstd.parquet', 'parquet'],
    ['papers-snappy-fixed.parquet', 'parquet'],
    ['papers.feather', 'arrow'],
    ['papers-stream.arrow', 'arrow'],
  ] as const) {
    it(`read ${file} into the papers of the CSV it was made from, with dates, labels, authors and vectors`, async () => {
      const { table, result } = await load(file);
      expect(table.format).toBe(format);
      expect(table.columns.slice(0, 7)).toEqual(['id', 'title', 'abstract', 'published', 'category', 'authors', 'upvotes']);
      const papers = result.corpus.papers;
      expect(papers.map((p) => p.title)).toEqual(await csvTitles());
      expect(papers[0]!.date).toBe('2023-01-02');
      expect(papers[1]!.date).toBe('2023-01-19');
      // Nulls stay missing: every fourth label, every third upvote count.
      expect(papers[0]!.label).toBeNull();
      expect(papers[1]!.label).toBe('cs.LG');
      expect(papers[0]!.upvotes).toBeNull();
      expect(papers[1]!.upvotes).toBe(12);
      expect(papers.map((p) => p.authors)).toEqual(papers.map((_, i) => 2 + (i % 4)));
      expect(result.vectors?.dims).toBe(8);
      expect(result.vectors!.data).toHaveLength(8 * papers.length);
    });
  }

  it('give the same vectors whatever the layout (list or fixed-size list, Parquet or Arrow)', async () => {
    const [a, b, c] = (await Promise.all(['papers-zstd.parquet', 'papers-snappy-fixed.parquet', 'papers.feather'].map(load))) as [Awaited<ReturnType<typeof load>>, Awaited<ReturnType<typeof load>>, Awaited<ReturnType<typeof load>>];
    expect(b.result.vectors!.data).toEqual(a.result.vectors!.data);
    expect(c.result.vectors!.data).toEqual(a.result.vectors!.data);
    // The fixed-size file also brings x and y.
    expect(b.result.coords).toHaveLength(2 * b.result.corpus.papers.length);
    expect(a.result.coords).toBeNull();
  });

  it('hold each embedding as one typed array of the file’s precision, not a list of boxed numbers, read group by group', async () => {
    for (const name of ['papers-zstd.parquet', 'papers-snappy-fixed.parquet', 'papers.feather', 'papers-stream.arrow']) {
      const { table } = await load(name);
      expect(table.rows.every((row) => row.embedding instanceof Float32Array && row.embedding.length === 8), name).toBe(true);
    }
    // The Parquet file of row groups of 5 gives every row once, in order (read one group at a time).
    const { table } = await load('papers-zstd.parquet');
    expect(table.rows.map((r) => r.id)).toEqual((await load('papers.feather')).table.rows.map((r) => r.id));
    // Arrow lists are views into the file's own (decompressed) buffers: no copy per row.
    const stream = (await load('papers-stream.arrow')).table.rows;
    expect(new Set(stream.map((r) => (r.embedding as Float32Array).buffer)).size).toBeLessThan(stream.length);
  });

  it('say what is wrong with a bad file, in one sentence', async () => {
    const parquet = fixture('papers-zstd.parquet');
    expect(await failure(read(parquet.subarray(0, parquet.length - 300), 'cut.parquet'))).toMatch(/^The Parquet file could not be read \(.+\): it may be cut short or damaged; save or download it again\.$/);
    const arrow = fixture('papers.feather');
    expect(await failure(read(arrow.subarray(0, 3000), 'cut.feather'))).toMatch(/^The Arrow file could not be read \(.+\): it may be cut short or damaged; save or download it again\.$/);
    const wrongMagic = parquet.slice();
    wrongMagic.set([0x50, 0x4b, 0x03, 0x04]);
    expect(await failure(read(wrongMagic, 'papers.parquet'))).toBe('"papers.parquet" does not start like a Parquet file (its first bytes are not PAR1): it is damaged, or not a Parquet file.');
    const ragged = await read(fixture('ragged-vectors.parquet'), 'ragged-vectors.parquet');
    expect(await failure(buildImport(ragged, guessColumns(ragged.columns)))).toMatch(/^Embeddings must all have the same length: row 1 has 8 numbers but row 4 has 5\.$/);
    const empty = await read(fixture('no-rows.parquet'), 'no-rows.parquet');
    expect(await failure(buildImport(empty, guessColumns(empty.columns)))).toBe('The file has no papers in it.');
    const nulls = await read(fixture('null-texts.parquet'), 'null-texts.parquet');
    expect(await failure(buildImport(nulls, guessColumns(nulls.columns)))).toBe('None of the 12 rows has both a title (column "title") and a text (column "abstract"), so there is nothing to map.');
  });
});

describe('a dropped Parquet file, read by byte ranges', () => {
  /** The file as the import worker gets a dropped one: a stream, and the same bytes by range, counted. */
  async function readDropped(bytes: Uint8Array, name: string): Promise<{ table: ParsedTable; reads: number[]; chunks: number; progress: number[] }> {
    const reads: number[] = [];
    const progress: number[] = [];
    let chunks = 0;
    const table = await readTable(
      (async function* () {
        for (let at = 0; at < bytes.length; at += 4096) {
          chunks += 1;
          yield bytes.subarray(at, at + 4096);
        }
      })(),
      {
        name,
        total: bytes.length,
        onProgress: (done) => progress.push(done),
        ranges: { size: bytes.length, read: async (start, end) => (reads.push(end - start), bytes.slice(start, end).buffer) },
      },
    );
    return { table, reads, chunks, progress };
  }

  it('gives the table of the whole file, reading only the first chunk of the stream', async () => {
    for (const name of ['papers-zstd.parquet', 'papers-snappy-fixed.parquet']) {
      const whole = await read(fixture(name), name);
      const dropped = await readDropped(fixture(name), name);
      expect(dropped.chunks).toBe(1);
      expect(dropped.table.rows).toEqual(whole.rows);
      expect(dropped.table.columns).toEqual(whole.columns);
    }
    const cut = fixture('papers-zstd.parquet');
    expect(await failure(readDropped(cut.subarray(0, cut.length - 300), 'cut.parquet'))).toMatch(/^The Parquet file could not be read \(.+\): it may be cut short or damaged; save or download it again\.$/);
  });

  it('holds one row group’s bytes at a time, and reports progress by group', async () => {
    // 12,000 papers × 64-d, row groups of 500: 24 groups of about 140 KB. (The footer is fetched
    // with the file's last 512 KB, hyparquet's first guess at its size.)
    const n = 12_000, dims = 64;
    const { embeddings } = syntheticMapEntry(n, dims, { seed: 5 });
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const bytes = new Uint8Array(parquetWriteBuffer({
      columnData: [
        { name: 'id', data: Array.from({ length: n }, (_, i) => `p${i}`) },
        { name: 'title', data: Array.from({ length: n }, (_, i) => `Title ${i}`) },
        { name: 'abstract', data: Array.from({ length: n }, (_, i) => `Abstract ${i}.`) },
        { name: 'embedding', data: Array.from({ length: n }, (_, i) => Array.from(embeddings.subarray(i * dims, (i + 1) * dims))) },
      ],
      schema: [
        { name: 'root', num_children: 4 },
        { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'title', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'abstract', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'embedding', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
      ],
      rowGroupSize: 500,
    }));
    const { table, reads, progress } = await readDropped(bytes, 'big.parquet');
    expect(table.rows).toHaveLength(n);
    expect(table.rows[n - 1]!.id).toBe(`p${n - 1}`);
    expect(Math.max(...reads)).toBeLessThan(bytes.length / 4);
    expect(progress.length).toBeGreaterThanOrEqual(24);
    expect(progress.at(-1)).toBe(bytes.length);
  });
});

describe('Parquet export, imported again', () => {
  it('round-trips ids, fields, positions and vectors exactly', async () => {
    const n = 300, dims = 16;
    // The map shown (and exported) holds normalised positions, as the app does.
    const raw = syntheticMapEntry(n, dims, { seed: 3 });
    const entry = { ...raw, coords: normaliseCoords(raw.coords).coords };
    const papers: Paper[] = Array.from({ length: n }, (_, i) => ({
      id: `paper-${i}`, title: `Title number ${i}`, abstract: `The abstract of paper ${i}, about topic ${i % 7}.`,
      authors: i % 5 === 0 ? null : i % 9, organization: null, dateText: i % 4 === 0 ? null : '2024-03-0' + ((i % 9) + 1), date: i % 4 === 0 ? null : '2024-03-0' + ((i % 9) + 1), year: i % 4 === 0 ? null : 2024,
      upvotes: i % 3 === 0 ? null : i, sources: ['file'], label: i % 2 === 0 ? 'even' : 'odd',
    }));
    const all = Array.from({ length: n }, (_, i) => i);
    const bytes = await toParquet(mapColumns(papers, entry, all), { data: entry.embeddings, dims, indices: all });
    const table = await read(bytes, 'papermap-export.parquet');
    const { corpus, coords, vectors } = await buildImport(table, guessColumns(table.columns));

    expect(corpus.papers.map((p) => [p.id, p.title, p.abstract, p.authors, p.year, p.upvotes, p.label])).toEqual(papers.map((p) => [p.id, p.title, p.abstract, p.authors, p.year, p.upvotes, p.label]));
    // Positions come back as written: normalising a file's positions on import leaves normalised ones as they are.
    expect(coords).toEqual(entry.coords);
    expect(vectors!.dims).toBe(dims);
    // Unit vectors (as the app's are) are kept as written.
    expect(vectors!.data).toEqual(entry.embeddings);
  });
});
