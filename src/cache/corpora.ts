/**
 * The user's own corpora: each imported file (or URL) is kept in IndexedDB with whatever vectors or
 * coordinates it brought, so its map reopens offline and is listed beside the shipped corpus.
 * Deleting one deletes its computed maps too; the shipped corpus is never stored here.
 */
import type { Database } from './db';
import type { Corpus } from '../corpus/types';

export interface StoredCorpus {
  /** The corpus content hash: the key, and the maps' key prefix. */
  hash: string;
  /** What the user calls it: the file name, or the URL's last segment. */
  name: string;
  /** Where it came from: a local file, or a URL (?corpus=…) that can be fetched again. */
  source: { kind: 'file'; name: string } | { kind: 'url'; url: string };
  importedAt: string;
  corpus: Corpus;
  /** Vectors given by the file (then the model does not run); n × dims. */
  vectors: { data: Float32Array; dims: number } | null;
  /** 2D positions given by the file (then UMAP does not run); n × 2. */
  coords: Float32Array | null;
}

export type StoredCorpusSummary = Pick<StoredCorpus, 'hash' | 'name' | 'source' | 'importedAt'> & { papers: number };

export class CorpusStore {
  constructor(private readonly db: Database) {}

  /** Every stored corpus, newest first, without their papers. */
  async list(): Promise<StoredCorpusSummary[]> {
    const all = await this.db.getAll('corpora');
    return all
      .map(({ hash, name, source, importedAt, corpus }) => ({ hash, name, source, importedAt, papers: corpus.papers.length }))
      .sort((a, b) => b.importedAt.localeCompare(a.importedAt));
  }

  async get(hash: string): Promise<StoredCorpus | null> {
    return (await this.db.get('corpora', hash)) ?? null;
  }

  /** The corpus last loaded from this URL, for reopening it offline. */
  async fromUrl(url: string): Promise<StoredCorpus | null> {
    const all = await this.db.getAll('corpora');
    return all.filter((c) => c.source.kind === 'url' && c.source.url === url).sort((a, b) => b.importedAt.localeCompare(a.importedAt))[0] ?? null;
  }

  /**
   * Stores a corpus; the error says why it could not be kept (full storage), and nothing else changes.
   * Keyed out of line: see db.ts, keyCorporaOutOfLine.
   */
  async put(record: StoredCorpus): Promise<void> {
    await this.db.put('corpora', record, record.hash);
  }

  /** Deletes a corpus and every map computed from it, in one transaction. Saved selections stay. */
  async remove(hash: string): Promise<void> {
    const tx = this.db.transaction(['corpora', 'maps'], 'readwrite');
    await tx.objectStore('corpora').delete(hash);
    const maps = tx.objectStore('maps');
    for (const key of await maps.getAllKeys()) if (key.split('|')[1] === hash) await maps.delete(key);
    await tx.done;
  }
}
