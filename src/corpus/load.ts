/**
 * Loads and validates the corpus asset in the browser. Every problem becomes one clear sentence
 * naming what is wrong and where; nothing half-valid reaches the map.
 */
import { corpusHash } from './ids';
import type { Corpus, CorpusSource, Paper } from './types';

export class CorpusError extends Error {}

// Every paper has these fields, null when its source did not give them (the map and exports read them).
const NULLABLE_NUMBER = ['authors', 'year', 'upvotes'] as const;
const NULLABLE_STRING = ['organization', 'dateText', 'date'] as const;
/** Only imported papers have these: absent, null or text. */
const OPTIONAL_STRING = ['url', 'label'] as const;

function checkPaper(value: unknown, index: number): Paper {
  const where = `paper ${index + 1}`;
  if (!value || typeof value !== 'object') throw new CorpusError(`${where} is not an object`);
  const p = value as Record<string, unknown>;
  for (const field of ['id', 'title', 'abstract'] as const) {
    if (typeof p[field] !== 'string' || (p[field] as string).trim() === '') throw new CorpusError(`${where} has no ${field}`);
  }
  for (const field of NULLABLE_NUMBER) {
    // JSON reads 1e999 as Infinity.
    if (p[field] !== null && !Number.isFinite(p[field])) throw new CorpusError(`${where} (${String(p.id)}): ${field} must be a number or null`);
  }
  for (const field of NULLABLE_STRING) {
    if (p[field] !== null && typeof p[field] !== 'string') throw new CorpusError(`${where} (${String(p.id)}): ${field} must be text or null`);
  }
  for (const field of OPTIONAL_STRING) {
    if (p[field] !== null && p[field] !== undefined && typeof p[field] !== 'string') throw new CorpusError(`${where} (${String(p.id)}): ${field} must be text`);
  }
  if (!(Array.isArray(p.sources) && p.sources.every((s) => typeof s === 'string'))) {
    throw new CorpusError(`${where} (${String(p.id)}): sources must be a list of page ids`);
  }
  return value as Paper;
}

/** Checks every paper of a corpus's list and that their ids are unique. */
export function checkPapers(list: unknown[]): Paper[] {
  const papers = list.map(checkPaper);
  const seen = new Set<string>();
  for (const p of papers) {
    if (seen.has(p.id)) throw new CorpusError(`two papers share the id "${p.id}"`);
    seen.add(p.id);
  }
  return papers;
}

/**
 * The corpus's list of source pages, with what can be shown of each: a page without a text id is
 * dropped, a name or detail that is not text is left out (the id then stands in). Only names and
 * facts for display: nothing depends on this list, so it is cleaned rather than refused.
 */
export function checkSources(value: unknown): CorpusSource[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): CorpusSource[] => {
    if (!item || typeof item !== 'object') return [];
    const s = item as Record<string, unknown>;
    if (typeof s.id !== 'string') return [];
    const text = (field: 'name' | 'detail') => (typeof s[field] === 'string' && s[field].trim() !== '' ? { [field]: s[field] } : {});
    return [{ id: s.id, ...text('name'), ...text('detail'), layout: s.layout === 'lines' ? 'lines' : 'blocks', pageDate: typeof s.pageDate === 'string' ? s.pageDate : null, records: Number.isSafeInteger(s.records) ? (s.records as number) : 0 }];
  });
}

/** Validates a parsed corpus asset; checks ids are unique and the content hash matches. */
export async function validateCorpus(data: unknown): Promise<Corpus> {
  if (!data || typeof data !== 'object') throw new CorpusError('the corpus file is not a JSON object');
  const c = data as Partial<Corpus>;
  if (c.format !== 'papermap-corpus') throw new CorpusError('the file is not a Papermap corpus (its "format" field is missing or different)');
  if (c.version !== 1) throw new CorpusError(`corpus version ${String(c.version)} is not supported (this app reads version 1)`);
  if (!Array.isArray(c.papers) || c.papers.length === 0) throw new CorpusError('the corpus has no papers');
  const papers = checkPapers(c.papers);
  const hash = await corpusHash(papers);
  if (c.hash !== hash) throw new CorpusError('the corpus content does not match its hash: the file is damaged or was edited by hand');
  return { format: 'papermap-corpus', version: 1, hash, sources: checkSources(c.sources), papers };
}

export async function loadCorpus(url: string): Promise<Corpus> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new CorpusError(`the corpus could not be fetched from ${url} (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new CorpusError(`the corpus could not be fetched from ${url} (HTTP ${response.status})`);
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new CorpusError('the corpus file is not valid JSON');
  }
  return validateCorpus(data);
}
