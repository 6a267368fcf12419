import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectLayout, parseDateLine, parseFooter, parseListing } from '../../scripts/lib/seeds/listing';

const seed = (prefix: string) => {
  const dir = new URL('../../data/seeds/', import.meta.url).pathname;
  const file = readdirSync(dir).find((f) => f.startsWith(prefix))!;
  return readFileSync(dir + file, 'utf8');
};

describe('footer date lines', () => {
  it('reads a full date with a year and no upvotes', () => {
    expect(parseDateLine('Dec 9, 2022')).toEqual({ dateText: 'Dec 9, 2022', date: '2022-12-09', year: 2022, upvotes: null });
  });
  it('reads the trailing number after a full date as upvotes', () => {
    expect(parseDateLine('Jul 3, 2024 3')).toEqual({ dateText: 'Jul 3, 2024', date: '2024-07-03', year: 2024, upvotes: 3 });
  });
  it('keeps a date without a year as text only', () => {
    expect(parseDateLine('Mar 21')).toEqual({ dateText: 'Mar 21', date: null, year: null, upvotes: null });
  });
  it('reads "Mar 21 2" as the date Mar 21 with 2 upvotes', () => {
    expect(parseDateLine('Mar 21 2')).toEqual({ dateText: 'Mar 21', date: null, year: null, upvotes: 2 });
  });
  it('writes a year before 1000 with four digits, as ISO dates have', () => {
    expect(parseDateLine('Jan 5, 0000')?.date).toBe('0000-01-05');
    expect(parseDateLine('Jan 8, 0900')?.date).toBe('0900-01-08');
  });
  it('reads an upvote count too long to be a number as no count', () => {
    expect(parseDateLine(`Jan 1 8${'0'.repeat(310)}`)).toMatchObject({ dateText: 'Jan 1', upvotes: null });
    expect(parseListing(`new\n\nTitle\n\nAbstract.\n\n·\nJan 1 8${'0'.repeat(310)}\n`).records[0]!.upvotes).toBeNull();
  });
  it('refuses an impossible day and non-dates', () => {
    expect(parseDateLine('Feb 30, 2023')?.date).toBeNull();
    expect(parseDateLine('Subscribe')).toBeNull();
  });
});

describe('footers', () => {
  it('reads an author count footer', () => {
    expect(parseFooter('• 4 authors\n·\nDec 9, 2022')).toMatchObject({ authors: 4, organization: null, date: { year: 2022 } });
  });
  it('reads an organisation footer ("apple Apple")', () => {
    expect(parseFooter('apple Apple\n·\nMar 11 1')).toMatchObject({ authors: null, organization: 'Apple', date: { upvotes: 1 } });
  });
  it('reads an author count too long to be a number as no count', () => {
    expect(parseFooter(`• ${'9'.repeat(400)} authors\n·\nMar 21`)).toMatchObject({ authors: null, organization: null });
  });
  it('does not take an abstract for a footer', () => {
    expect(parseFooter('A long abstract · with a dot in it.')).toBeNull();
  });
});

describe('real seed pages', () => {
  it('detects the two layouts', () => {
    expect(detectLayout(seed('000'))).toBe('blocks');
    expect(detectLayout(seed('001'))).toBe('lines');
  });

  it('parses a block page with footers, skipping the page chrome', () => {
    const page = parseListing(seed('000'));
    expect(page.pageDate).toBe('Nov 20');
    expect(page.heading).toBe('Daily Papers');
    expect(page.skipped).toEqual([]);
    const first = page.records[0]!;
    expect(first.title).toBe('AP: Selective Activation for De-sparsifying Pruned Neural Networks');
    expect(first.abstract.startsWith('The rectified linear unit (ReLU)')).toBe(true);
    expect(first).toMatchObject({ authors: 4, dateText: 'Dec 9, 2022', date: '2022-12-09', year: 2022, upvotes: null });
    const second = page.records[1]!;
    expect(second.title).toBe('PVChat: Personalized Video Chat with One-Shot Learning');
    expect(second).toMatchObject({ authors: 9, dateText: 'Mar 21', year: null, upvotes: 2 });
  });

  it('keeps a record whose footer is missing, without borrowing the next one', () => {
    const page = parseListing(seed('002'));
    const cures = page.records.find((r) => r.title.startsWith('CurES'))!;
    expect(cures).toMatchObject({ authors: null, dateText: null, upvotes: null });
    const klear = page.records.find((r) => r.title.startsWith('Klear-Reasoner'))!;
    expect(klear.authors).toBe(8);
  });

  it('parses a block page that has no footers at all', () => {
    const page = parseListing(seed('003'));
    expect(page.layout).toBe('blocks');
    // Its heading was not dumped, but the Daily Papers byline was.
    expect(page.heading).toBe('Daily Papers');
    expect(page.records.length).toBe(68);
    expect(page.records.every((r) => r.authors === null && r.abstract.length > 100)).toBe(true);
    expect(page.records[0]!.title).toBe('Robust Representation Consistency Model via Contrastive Denoising');
  });

  it('parses the alternating-lines page and unglues the first title from "Subscribe"', () => {
    const page = parseListing(seed('001'));
    expect(page.layout).toBe('lines');
    expect(page.heading).toBeNull();
    expect(page.pageDate).toBeNull();
    expect(page.records[0]!.title).toBe('Mesa: A Memory-saving Training Framework for Transformers');
    expect(page.records.length).toBe(146);
    expect(page.records.every((r) => r.abstract.length > r.title.length)).toBe(true);
  });

  it('keeps titles that contain colons whole', () => {
    const titles = parseListing(seed('004')).records.map((r) => r.title);
    expect(titles).toContain('Q-VLM: Post-training Quantization for Large Vision-Language Models');
    expect(titles).toContain('GCAV: A Global Concept Activation Vector Framework for Cross-Layer Consistency in Interpretability');
  });

  it('reads a date with year and upvotes from a real footer', () => {
    const gcav = parseListing(seed('004')).records.find((r) => r.title.startsWith('Knowledge Composition'))!;
    expect(gcav).toMatchObject({ authors: 5, dateText: 'Jul 3, 2024', date: '2024-07-03', upvotes: 3 });
  });

  it('survives CRLF line ends and non-breaking spaces', () => {
    const text = seed('000').replace(/\n/g, '\r\n').replace(/ authors/g, '\u00a0authors');
    expect(parseListing(text).records).toEqual(parseListing(seed('000')).records);
  });
});
