/**
 * The training corpus (../shared/corpora/arxiv-cc0: 193,397 arXiv papers, CC0 metadata) and the fixed
 * split of it into training and development papers. The split is by paper and stratified by primary
 * category: within each category, papers are ordered by a hash of their arXiv id and the first
 * DEV_SHARE of them are development papers. It depends on nothing but the ids, so the model build and
 * `npm run eval` agree on it, and no development paper is ever read by a fitting step.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export interface ArxivPaper {
  id: string;
  title: string;
  abstract: string;
  /** Primary category first. */
  categories: string[];
  date: string;
}

/** Development share: enough for a 30,000-paper development corpus (~31k of 193k). */
export const DEV_SHARE = 0.16;

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Where the corpus is: $PAPERMAP_ARXIV, else ../shared/corpora/arxiv-cc0 beside the repository. */
export function arxivDir(): string {
  return process.env.PAPERMAP_ARXIV ?? resolve(root, '../shared/corpora/arxiv-cc0');
}

export function arxivShards(dir = arxivDir()): string[] {
  if (!existsSync(dir)) throw new Error(`the training corpus is not at ${dir}: set PAPERMAP_ARXIV to its folder`);
  const shards = readdirSync(dir).filter((f) => /\.jsonl\.gz$/.test(f)).sort();
  if (shards.length === 0) throw new Error(`${dir} holds no *.jsonl.gz shard`);
  return shards.map((f) => join(dir, f));
}

/** SHA-256 of each shard, for the model's provenance. */
export function shardDigests(dir = arxivDir()): Record<string, string> {
  return Object.fromEntries(arxivShards(dir).map((path) => [path.slice(path.lastIndexOf('/') + 1), createHash('sha256').update(readFileSync(path)).digest('hex')]));
}

export function readArxiv(dir = arxivDir()): ArxivPaper[] {
  const papers: ArxivPaper[] = [];
  for (const shard of arxivShards(dir)) {
    const lines = gunzipSync(readFileSync(shard)).toString('utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const record = JSON.parse(line) as Partial<ArxivPaper>;
      if (typeof record.id !== 'string' || typeof record.title !== 'string' || typeof record.abstract !== 'string' || !Array.isArray(record.categories) || record.categories.length === 0) {
        throw new Error(`${shard}, line ${i + 1}: a record needs id, title, abstract and categories`);
      }
      papers.push({ id: record.id, title: record.title, abstract: record.abstract, categories: record.categories, date: record.date ?? '' });
    });
  }
  return papers;
}

export const primaryCategory = (paper: ArxivPaper): string => paper.categories[0]!;

/** The archive of a category: "cs" of "cs.CV", "cond-mat" of "cond-mat.mtrl-sci", "quant-ph" of itself. */
export const archiveOf = (category: string): string => category.split('.')[0]!;

/** 32-bit FNV-1a of a string: a stable order that has nothing to do with the papers' content. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function splitByPaper(papers: ArxivPaper[], devShare = DEV_SHARE): { train: ArxivPaper[]; dev: ArxivPaper[] } {
  const byCategory = new Map<string, ArxivPaper[]>();
  for (const p of papers) {
    const list = byCategory.get(primaryCategory(p)) ?? [];
    list.push(p);
    byCategory.set(primaryCategory(p), list);
  }
  const train: ArxivPaper[] = [];
  const dev: ArxivPaper[] = [];
  for (const category of [...byCategory.keys()].sort()) {
    const list = byCategory.get(category)!.sort((a, b) => fnv1a(a.id) - fnv1a(b.id) || (a.id < b.id ? -1 : 1));
    const devCount = Math.round(list.length * devShare);
    dev.push(...list.slice(0, devCount));
    train.push(...list.slice(devCount));
  }
  return { train, dev };
}

/** The text a paper is embedded from, as the app builds it (src/corpus/text.ts). */
export { paperText } from '../../src/corpus/text';
