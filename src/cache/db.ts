/**
 * Papermap's IndexedDB database: computed maps, saved selections and imported corpora, versioned together.
 * A newer app version opening it in another tab closes this connection so the upgrade can proceed.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { MapEntry } from './maps';
import type { SavedSelection } from './selections';
import type { StoredCorpus } from './corpora';

export const DB_NAME = 'papermap';
const DB_VERSION = 3;

export interface PapermapDB extends DBSchema {
  maps: { key: string; value: MapEntry };
  selections: { key: string; value: SavedSelection; indexes: { byCorpus: string } };
  corpora: { key: string; value: StoredCorpus };
}

export type Database = IDBPDatabase<PapermapDB>;

/** Opens (and creates or upgrades) the database; null when IndexedDB is unavailable or blocked. */
export async function openDatabase(name = DB_NAME): Promise<Database | null> {
  try {
    const db: Database = await openDB<PapermapDB>(name, DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) database.createObjectStore('maps', { keyPath: 'key' });
        if (oldVersion < 2) database.createObjectStore('selections', { keyPath: 'id' }).createIndex('byCorpus', 'corpusHash');
        if (oldVersion < 3) database.createObjectStore('corpora', { keyPath: 'hash' });
      },
      blocking() {
        db.close();
      },
    });
    return db;
  } catch {
    return null;
  }
}
