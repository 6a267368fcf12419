/**
 * The map cache: one IndexedDB store of computed maps, keyed by (schema, corpus hash, model id,
 * pipeline parameters). Each value is small metadata plus one binary part (see map-format.ts).
 * An outdated or corrupt entry is deleted and reported as a miss: the page recomputes, never breaks.
 * A failed write (quota, private mode) is reported, and the map is still shown.
 */
import { openDatabase, writeFailure, type Database } from './db';
import { COLOUR_LEVEL, type TopicLevel } from '../math/topics/topics';
import { fileGeometry, type GivenGeometry, type PipelineParams } from '../pipeline/types';
import { MAP_SCHEMA, packMap, unpackMap, withBufferData, type MapEntry } from './map-format';

export { MAP_SCHEMA, type MapEntry } from './map-format';

export function mapKey(corpusHash: string, modelId: string, params: PipelineParams): string {
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  return `v${MAP_SCHEMA}|${corpusHash}|${modelId}|${JSON.stringify(sorted)}`;
}

/**
 * The "model" part of a map's key: the model id, or what the corpus file gave instead (its own
 * vectors, its own positions), since those maps do not depend on the model alone.
 */
export function mapModelKey(modelId: string, given: GivenGeometry | null): string {
  const geometry = fileGeometry(given);
  if (geometry === 'positions') return 'xy-from-file'; // no vectors at all
  const vectors = geometry === 'vectors' ? 'vectors-from-file' : modelId;
  return given?.coords ? `${vectors}+xy-from-file` : vectors;
}

export type ReadResult = { entry: MapEntry } | { entry: null; reason: string };
export type WriteResult = { stored: true } | { stored: false; reason: string };

export class MapCache {
  constructor(private readonly db: Database) {}

  /** Opens the cache; null when IndexedDB is unavailable (private mode, blocked, disabled). */
  static async open(name?: string): Promise<MapCache | null> {
    const db = await openDatabase(name);
    return db ? new MapCache(db) : null;
  }

  async read(key: string, n: number): Promise<ReadResult> {
    let unpacked;
    try {
      const stored = await this.db.get('maps', key);
      if (stored === undefined) return { entry: null, reason: 'not cached yet' };
      unpacked = await unpackMap(stored, n);
    } catch (error) {
      return { entry: null, reason: `cache read failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (unpacked.problem !== null) {
      await this.db.delete('maps', key).catch(() => undefined);
      return { entry: null, reason: `cached map discarded: ${unpacked.problem}` };
    }
    return { entry: unpacked.entry };
  }

  async write(entry: MapEntry): Promise<WriteResult> {
    try {
      // Maps of an older schema can never be read again (their keys name it): make room first.
      await this.pruneOutdated();
      const stored = packMap(entry);
      try {
        await this.db.put('maps', stored);
      } catch (error) {
        // WebKit refuses some Blobs (private mode, "Error preparing Blob/File data"): the same bytes as an ArrayBuffer.
        if (error instanceof DOMException && error.name === 'QuotaExceededError') throw error;
        await this.db.put('maps', await withBufferData(stored));
      }
      return { stored: true };
    } catch (error) {
      return { stored: false, reason: writeFailure(error) };
    }
  }

  private async pruneOutdated(): Promise<void> {
    const tx = this.db.transaction('maps', 'readwrite');
    for (const key of await tx.store.getAllKeys()) if (!key.startsWith(`v${MAP_SCHEMA}|`)) await tx.store.delete(key);
    await tx.done;
  }

  async keys(): Promise<string[]> {
    return this.db.getAllKeys('maps');
  }

  close(): void {
    this.db.close();
  }
}

/** The topics that colour the map and fill the legend. */
export function colourTopics(entry: Pick<MapEntry, 'levels'>): TopicLevel {
  return entry.levels[COLOUR_LEVEL]!;
}
