/**
 * Turns the records of several listing pages into one de-duplicated corpus: the same paper seen on
 * several pages becomes one entry with its metadata merged and every page it came from listed.
 */
import type { ListingRecord } from './listing';
import { paperId, titleKey } from '../../../src/corpus/ids';
import type { Paper } from '../../../src/corpus/types';

export interface SourcedRecord {
  source: string;
  record: ListingRecord;
}

function pick<T>(a: T | null, b: T | null): T | null {
  return a ?? b;
}

function mergeInto(paper: Paper, record: ListingRecord, source: string): void {
  // Pages are snapshots taken on different days: keep the longest abstract and the highest vote count.
  if (record.abstract.length > paper.abstract.length) paper.abstract = record.abstract;
  paper.authors = pick(paper.authors, record.authors);
  paper.organization = pick(paper.organization, record.organization);
  // A date with a year beats one without.
  if (paper.year === null && record.year !== null) {
    paper.dateText = record.dateText;
    paper.date = record.date;
    paper.year = record.year;
  } else {
    paper.dateText = pick(paper.dateText, record.dateText);
  }
  if (record.upvotes !== null) paper.upvotes = Math.max(paper.upvotes ?? 0, record.upvotes);
  if (!paper.sources.includes(source)) paper.sources = [...paper.sources, source].sort();
}

/** Merges records in input order; the first spelling of a title wins. */
export function mergeRecords(records: SourcedRecord[]): Paper[] {
  const byKey = new Map<string, Paper>();
  for (const { source, record } of records) {
    const key = titleKey(record.title);
    if (key === '') continue;
    const existing = byKey.get(key);
    if (existing) {
      mergeInto(existing, record, source);
      continue;
    }
    byKey.set(key, {
      id: paperId(record.title),
      title: record.title,
      abstract: record.abstract,
      authors: record.authors,
      organization: record.organization,
      dateText: record.dateText,
      date: record.date,
      year: record.year,
      upvotes: record.upvotes,
      sources: [source],
    });
  }
  return [...byKey.values()];
}
