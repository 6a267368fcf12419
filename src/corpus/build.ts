/** Builds the corpus asset from raw listing pages. Pure: the script and the tests share it. */
import { parseListing } from './listing';
import { mergeRecords, type SourcedRecord } from './merge';
import { sha256Hex } from './ids';
import type { Corpus, CorpusSource, Paper } from './types';

export interface RawPage {
  /** Page id, e.g. the file name without extension. */
  id: string;
  text: string;
}

export async function corpusHash(papers: Paper[]): Promise<string> {
  return sha256Hex(JSON.stringify(papers));
}

export async function buildCorpus(pages: RawPage[]): Promise<Corpus & { skipped: Record<string, string[]> }> {
  const sorted = [...pages].sort((a, b) => a.id.localeCompare(b.id));
  const sources: CorpusSource[] = [];
  const records: SourcedRecord[] = [];
  const skipped: Record<string, string[]> = {};
  for (const page of sorted) {
    const parsed = parseListing(page.text);
    sources.push({ id: page.id, layout: parsed.layout, pageDate: parsed.pageDate, records: parsed.records.length });
    for (const record of parsed.records) records.push({ source: page.id, record });
    if (parsed.skipped.length > 0) skipped[page.id] = parsed.skipped;
  }
  const papers = mergeRecords(records);
  return { format: 'papermap-corpus', version: 1, hash: await corpusHash(papers), sources, papers, skipped };
}
