/** Builds the corpus asset from raw listing pages. Pure: the script and the tests share it. */
import { parseListing } from './listing';
import { mergeRecords, type SourcedRecord } from './merge';
import { corpusHash, paperId } from '../../../src/corpus/ids';
import { nameSources, type PageFacts } from './source-names';
import type { Corpus, CorpusSource, Paper } from '../../../src/corpus/types';

export interface RawPage {
  /** Page id, e.g. the file name without extension. */
  id: string;
  text: string;
}

export async function buildCorpus(pages: RawPage[]): Promise<Corpus & { skipped: Record<string, string[]> }> {
  const sorted = [...pages].sort((a, b) => a.id.localeCompare(b.id));
  const records: SourcedRecord[] = [];
  const skipped: Record<string, string[]> = {};
  const parsedPages = sorted.map((page) => parseListing(page.text));
  sorted.forEach((page, k) => {
    const parsed = parsedPages[k]!;
    for (const record of parsed.records) records.push({ source: page.id, record });
    if (parsed.skipped.length > 0) skipped[page.id] = parsed.skipped;
  });
  const papers = mergeRecords(records);
  // Pages are named once all are read: a page's subject is what sets its titles apart from the other
  // pages', and a paper's year may come from another page that printed it.
  const byId = new Map(papers.map((p) => [p.id, p]));
  const facts: PageFacts[] = parsedPages.map((parsed) => ({
    heading: parsed.heading,
    pageDate: parsed.pageDate,
    titles: parsed.records.map((r) => r.title),
    years: parsed.records.flatMap((r) => byId.get(paperId(r.title))?.year ?? []),
  }));
  const names = nameSources(facts);
  const sources: CorpusSource[] = sorted.map((page, k) => {
    const { layout, pageDate, records } = parsedPages[k]!;
    return { id: page.id, ...names[k]!, layout, pageDate, records: records.length };
  });
  return { format: 'papermap-corpus', version: 1, hash: await corpusHash(papers), sources, papers, skipped };
}
