/**
 * The map cache: one IndexedDB store of computed maps, keyed by (schema, corpus hash, model id,
 * pipeline parameters). Values hold typed arrays (structured clone keeps them binary) and small JSON.
 * An outdated or corrupt entry is deleted and reported as a miss: the page recomputes, never breaks.
 * A failed write (quota, private mode) is reported, and the map is still shown.
 */
import { openDatabase, type Database } from './db';
import { COLOUR_LEVEL, TOPIC_LEVELS, type TopicLevel } from '../math/topics';
import type { PipelineParams, PipelineResult } from '../../workers/messages';

/** Bump when the shape or meaning of a stored map changes: old entries are then recomputed. */
export const MAP_SCHEMA = 2;

/** A pipeline result as stored: the result itself plus what it was computed from. */
export interface MapEntry extends PipelineResult {
  key: string;
  schema: number;
  corpusHash: string;
  modelId: string;
  params: PipelineParams;
  createdAt: string;
}

export function mapKey(corpusHash: string, modelId: string, params: PipelineParams): string {
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  return `v${MAP_SCHEMA}|${corpusHash}|${modelId}|${JSON.stringify(sorted)}`;
}

/**
 * The "model" part of a map's key: the model id, or what the corpus file gave instead (its own
 * vectors, its own positions), since those maps do not depend on the model alone.
 */
export function mapModelKey(modelId: string, given: { vectors: unknown; coords: unknown } | null): string {
  const vectors = given?.vectors ? 'vectors-from-file' : modelId;
  return given?.coords ? `${vectors}+xy-from-file` : vectors;
}

/** Why an entry cannot be used, or null when it is sound for a corpus of n papers. */
export function entryProblem(entry: unknown, n: number): string | null {
  const e = entry as Partial<MapEntry> | null;
  if (!e || typeof e !== 'object') return 'not a map entry';
  if (e.schema !== MAP_SCHEMA) return `schema ${String(e.schema)} is not ${MAP_SCHEMA}`;
  if (e.n !== n) return `it has ${String(e.n)} papers, the corpus has ${n}`;
  if (!(e.coords instanceof Float32Array) || e.coords.length !== 2 * n) return 'coordinates are missing or the wrong size';
  if (!Array.isArray(e.levels) || e.levels.length !== TOPIC_LEVELS.length) return 'topic levels are missing';
  for (const level of e.levels) {
    if (!(level.topics instanceof Int32Array) || level.topics.length !== n || !Array.isArray(level.terms)) return 'topics are missing or the wrong size';
  }
  if (!(e.embeddings instanceof Float32Array) || typeof e.dims !== 'number' || e.embeddings.length !== n * e.dims) return 'embeddings are missing or the wrong size';
  if (!Array.isArray(e.warnings)) return 'warnings are missing';
  for (let i = 0; i < e.coords.length; i++) if (!Number.isFinite(e.coords[i])) return 'coordinates are not finite';
  return null;
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
    let entry: unknown;
    try {
      entry = await this.db.get('maps', key);
    } catch (error) {
      return { entry: null, reason: `cache read failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (entry === undefined) return { entry: null, reason: 'not cached yet' };
    const problem = entryProblem(entry, n);
    if (problem) {
      await this.db.delete('maps', key).catch(() => undefined);
      return { entry: null, reason: `cached map discarded: ${problem}` };
    }
    return { entry: entry as MapEntry };
  }

  async write(entry: MapEntry): Promise<WriteResult> {
    try {
      await this.db.put('maps', entry);
      return { stored: true };
    } catch (error) {
      const name = error instanceof DOMException ? error.name : '';
      const reason = name === 'QuotaExceededError' ? 'browser storage is full' : error instanceof Error ? error.message : String(error);
      return { stored: false, reason };
    }
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
