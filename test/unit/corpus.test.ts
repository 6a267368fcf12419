import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from '../../scripts/lib/seeds/build';
import { corpusHash } from '../../src/corpus/ids';
import { mergeRecords } from '../../scripts/lib/seeds/merge';
import { paperId, titleKey } from '../../src/corpus/ids';
import type { ListingRecord } from '../../scripts/lib/seeds/listing';
import { checkSources, CorpusError, validateCorpus } from '../../src/corpus/load';
import { nameSources, yearRange, type PageFacts } from '../../scripts/lib/seeds/source-names';

const dir = new URL('../../data/seeds/', import.meta.url).pathname;
const pages = () => readdirSync(dir).map((f) => ({ id: basename(f, '.txt'), text: readFileSync(dir + f, 'utf8') }));

const record = (over: Partial<ListingRecord>): ListingRecord => ({
  title: 'A Paper: About Things',
  abstract: 'Short.',
  authors: null,
  organization: null,
  dateText: null,
  date: null,
  year: null,
  upvotes: null,
  ...over,
});

describe('merging duplicate papers', () => {
  it('treats titles differing only in case, spacing and punctuation as one paper', () => {
    expect(titleKey('Scalable  Forward-Forward Algorithm')).toBe(titleKey('scalable forward forward algorithm'));
    expect(paperId('Scalable Forward-Forward Algorithm')).toBe(paperId('scalable forward–forward algorithm'));
  });

  it('merges metadata from every page and lists every source', () => {
    const papers = mergeRecords([
      { source: 'b', record: record({ abstract: 'Short.', authors: 3, dateText: 'Mar 21', upvotes: 2 }) },
      { source: 'a', record: record({ abstract: 'A much longer abstract.', dateText: 'Mar 21, 2024', date: '2024-03-21', year: 2024, upvotes: 7 }) },
    ]);
    expect(papers).toHaveLength(1);
    expect(papers[0]).toMatchObject({
      abstract: 'A much longer abstract.',
      authors: 3,
      dateText: 'Mar 21, 2024',
      date: '2024-03-21',
      year: 2024,
      upvotes: 7,
      sources: ['a', 'b'],
    });
  });
});

describe('the corpus built from the seeds', () => {
  it('has the unique papers of all five pages with stable, unique ids', async () => {
    const corpus = await buildCorpus(pages());
    const records = corpus.sources.reduce((n, s) => n + s.records, 0);
    expect(corpus.sources).toHaveLength(5);
    expect(records).toBe(359);
    expect(corpus.papers).toHaveLength(336);
    expect(new Set(corpus.papers.map((p) => p.id)).size).toBe(336);
    // 23 repeat sightings: 21 papers seen on two pages, one on three.
    expect(corpus.papers.filter((p) => p.sources.length > 1).length).toBe(22);
    expect(corpus.skipped).toEqual({});
  });

  it('names every page by what it is and when, never by its file id', async () => {
    const corpus = await buildCorpus(pages());
    expect(corpus.sources.map((s) => s.name)).toEqual(['Daily Papers · Nov 20', 'Activation · 2021–2024', 'Daily Papers · Oct 31', 'Daily Papers · Mar 14', 'Daily Papers · Nov 3']);
    // The page without a heading or date: its subject from its titles, its years from its papers (dated on other pages).
    expect(corpus.sources[1]!.detail).toBe('146 papers (4 dated), from 2021–2024; title terms: activation, forward-forward algorithm, image super-resolution, inverse problems');
  });

  it('is reproducible and matches the committed asset byte for byte', async () => {
    const { skipped, ...corpus } = await buildCorpus(pages().reverse());
    expect(skipped).toEqual({});
    const committed = readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8');
    expect(JSON.stringify(corpus, null, 1) + '\n').toBe(committed);
  });

  it('gives every paper a title, an abstract and a well-formed date when it has one', async () => {
    const { papers } = await buildCorpus(pages());
    for (const p of papers) {
      expect(p.title.length).toBeGreaterThan(5);
      expect(p.abstract.length).toBeGreaterThan(p.title.length);
      if (p.date) expect(p.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (p.year !== null) expect(p.date).not.toBeNull();
    }
  });
});

describe('naming source pages', () => {
  const page = (over: Partial<PageFacts>): PageFacts => ({ heading: null, pageDate: null, titles: [], years: [], ...over });
  const proteins = ['Folding Proteins with Attention', 'Designing Proteins at Scale', 'Language Models of Proteins', 'Robust Docking of Proteins'];
  const speech = ['Speech Recognition at Scale', 'Streaming Speech Translation', 'Speech Enhancement with Diffusion', 'Robust Speech Models'];
  const vision = ['Vision Transformers for Detection', 'Efficient Vision Backbones', 'Contrastive Vision Pretraining', 'Sparse Vision Models'];

  it('says what a page is (its heading, else its own subject) and when (its date, else its years)', () => {
    const names = nameSources([
      page({ heading: 'Daily Papers', pageDate: 'Nov 20', titles: proteins, years: [2023] }),
      page({ titles: speech, years: [2024, 2021, 2022] }),
      page({ titles: vision }),
    ]);
    expect(names.map((n) => n.name)).toEqual(['Daily Papers · Nov 20', 'Speech · 2021–2024', 'Vision']);
    expect(names[1]!.detail).toBe('4 papers (3 dated), from 2021–2024; title terms: speech');
    expect(names[0]!.detail).toMatch(/^4 papers \(1 dated\), from 2023; title terms: proteins/);
  });

  it('gives two pages alike in heading and date names of their own', () => {
    const names = nameSources([page({ heading: 'Daily Papers', pageDate: 'Nov 20' }), page({ heading: 'Daily Papers', pageDate: 'Nov 20' }), page({})]);
    expect(names.map((n) => n.name)).toEqual(['Daily Papers · Nov 20', 'Daily Papers · Nov 20 (2)', 'Listing page']);
  });

  it('writes a year range with an en dash, one year alone', () => {
    expect(yearRange([])).toBeNull();
    expect(yearRange([2024, 2024])).toBe('2024');
    expect(yearRange([2024, 2016, 2020])).toBe('2016–2024');
  });

  it('keeps what can be shown of a file\'s page list, and drops the rest', () => {
    expect(checkSources('pages')).toEqual([]);
    expect(checkSources([null, { name: 'no id' }, { id: 'a', name: 5, detail: '  ' }, { id: 'b', name: '<b>B</b> · Nov 3', layout: 'lines', pageDate: 'Nov 3', records: 4 }])).toEqual([
      { id: 'a', layout: 'blocks', pageDate: null, records: 0 },
      { id: 'b', name: '<b>B</b> · Nov 3', layout: 'lines', pageDate: 'Nov 3', records: 4 },
    ]);
  });
});

describe('validating the corpus asset', () => {
  const paper = { id: 'p1', title: 'A Paper', abstract: 'Its abstract.', authors: 2, organization: null, dateText: null, date: null, year: null, upvotes: 3, sources: ['000'] };
  /** A corpus file holding these papers, with their true hash, so that only the field checks can refuse it. */
  const asset = async (papers: unknown[]) => JSON.parse(JSON.stringify({ format: 'papermap-corpus', version: 1, hash: await corpusHash(papers as never), sources: [], papers })) as unknown;
  const refusal = (data: unknown) => validateCorpus(data).then(() => null, (e: unknown) => (e instanceof CorpusError ? e.message : e));

  it('accepts a well-formed paper', async () => {
    expect((await validateCorpus(await asset([paper]))).papers).toEqual([paper]);
  });

  it('refuses a paper without a field the map reads, even with a matching hash', async () => {
    const without = (field: string) => Object.fromEntries(Object.entries(paper).filter(([k]) => k !== field));
    expect(await refusal(await asset([without('upvotes')]))).toBe('paper 1 (p1): upvotes must be a number or null');
    expect(await refusal(await asset([without('date')]))).toBe('paper 1 (p1): date must be text or null');
    expect(await refusal(await asset([without('sources')]))).toBe('paper 1 (p1): sources must be a list of page ids');
  });

  it('refuses a number too large for JSON to read as a number (1e999 parses as Infinity)', async () => {
    const text = JSON.stringify({ format: 'papermap-corpus', version: 1, hash: 'x', sources: [], papers: [{ ...paper, upvotes: 0 }] }).replace('"upvotes":0', '"upvotes":1e999');
    const data = JSON.parse(text) as { hash: string; papers: unknown[] };
    data.hash = await corpusHash(data.papers as never);
    expect(await refusal(data)).toBe('paper 1 (p1): upvotes must be a number or null');
  });
});
