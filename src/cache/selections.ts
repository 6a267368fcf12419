/**
 * Saved selections: named sets of paper ids kept in IndexedDB beside the maps. Ids, not indices, so
 * they survive rebuilds of the map; ids missing from the current corpus are reported on restore.
 */
import type { Database } from './db';

export interface SavedSelection {
  id: string;
  name: string;
  /** Corpus the selection was made on; restoring on another corpus reports the ids it lacks. */
  corpusHash: string;
  ids: string[];
  createdAt: string;
  updatedAt: string;
}

export class SavedSelections {
  constructor(private readonly db: Database) {}

  /** All saved selections, newest first. */
  async list(): Promise<SavedSelection[]> {
    const all = await this.db.getAll('selections');
    return all.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.name.localeCompare(b.name));
  }

  async save(name: string, corpusHash: string, ids: string[]): Promise<SavedSelection> {
    const now = new Date().toISOString();
    const record: SavedSelection = { id: crypto.randomUUID(), name: name.trim() || 'Untitled selection', corpusHash, ids: [...ids], createdAt: now, updatedAt: now };
    await this.db.put('selections', record);
    return record;
  }

  async rename(id: string, name: string): Promise<void> {
    const record = await this.db.get('selections', id);
    if (!record) throw new Error('that saved selection no longer exists');
    await this.db.put('selections', { ...record, name: name.trim() || record.name, updatedAt: new Date().toISOString() });
  }

  async remove(id: string): Promise<void> {
    await this.db.delete('selections', id);
  }
}

/** Splits a saved selection's ids into those the corpus has (as indices) and those it lacks. */
export function resolveIds(ids: string[], indexOf: Map<string, number>): { indices: number[]; missing: string[] } {
  const indices: number[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const i = indexOf.get(id);
    if (i === undefined) missing.push(id);
    else indices.push(i);
  }
  return { indices, missing };
}
