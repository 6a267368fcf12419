/**
 * Papermap's IndexedDB database: computed maps, saved selections and imported corpora, versioned together.
 * Every way of not getting it (private mode, storage disabled, another tab holding an older version
 * open, a newer version of the app having upgraded it) is reported in one sentence, and the app then
 * runs without a cache rather than failing.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { StoredMap } from './map-format';
import type { SavedSelection } from './selections';
import type { StoredCorpus } from './corpora';

export const DB_NAME = 'papermap';
export const DB_VERSION = 4;
/** How long to wait for another tab to let go of an older version before running without the cache. */
const BLOCKED_WAIT_MS = 3000;

export interface PapermapDB extends DBSchema {
  maps: { key: string; value: StoredMap };
  selections: { key: string; value: SavedSelection; indexes: { byCorpus: string } };
  corpora: { key: string; value: StoredCorpus };
}

export type Database = IDBPDatabase<PapermapDB>;

export type OpenResult = { db: Database; problem: null } | { db: null; problem: string };

export interface OpenOptions {
  name?: string;
  /** Called when another tab (a newer version of the app) needs this connection closed to upgrade. */
  onTakenOver?: () => void;
  blockedWaitMs?: number;
}

/**
 * Why a write was refused, in words: a full storage says so; an abort without its own message (how
 * Chromium ends a large write where the origin's storage is limited, as in a guest or temporary
 * profile) is said to be the storage's refusal rather than shown as a bare "AbortError".
 */
export function writeFailure(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'QuotaExceededError') return 'browser storage is full';
  if (name === 'AbortError' && (message === '' || message === 'AbortError')) return 'the browser refused to store it: its storage is full or limited';
  return message;
}

/**
 * Moves the stored corpora (version 3 and before: keyed by their `hash` field) into a store keyed out
 * of line. Chromium deep-copies every value put into a store with a key path, on the page's heap, to
 * read its key: a 100,000-paper corpus left ~130 MB of garbage there through the whole first build.
 */
async function keyCorporaOutOfLine(database: Database, transaction: IDBPTransaction<PapermapDB, StoreNames<PapermapDB>[], 'versionchange'>): Promise<void> {
  const old = transaction.objectStore('corpora');
  old.name = 'corpora-v3' as 'corpora';
  const store = database.createObjectStore('corpora');
  for (let cursor = await old.openCursor(); cursor; cursor = await cursor.continue()) await store.put(cursor.value, cursor.value.hash);
  database.deleteObjectStore('corpora-v3' as 'corpora');
}

/** Opens (and creates or upgrades) the database, or says why it cannot be used. */
export async function openPapermapDatabase(options: OpenOptions = {}): Promise<OpenResult> {
  if (typeof indexedDB === 'undefined') return { db: null, problem: 'this browser gives the page no IndexedDB (private mode?)' };
  let blocked: () => void = () => undefined;
  const wasBlocked = new Promise<void>((resolve) => (blocked = resolve));
  try {
    const opening = openDB<PapermapDB>(options.name ?? DB_NAME, DB_VERSION, {
      // Creates whatever store is missing, rather than trusting the old version number to say what exists.
      upgrade(database, _oldVersion, _newVersion, transaction) {
        const has = (store: string) => database.objectStoreNames.contains(store as 'maps');
        if (!has('maps')) database.createObjectStore('maps', { keyPath: 'key' });
        if (!has('selections')) database.createObjectStore('selections', { keyPath: 'id' }).createIndex('byCorpus', 'corpusHash');
        if (!has('corpora')) database.createObjectStore('corpora');
        // A failed copy aborts the upgrade, which undoes it all: the open then fails and says so, and nothing is lost.
        else if (transaction.objectStore('corpora').keyPath !== null) keyCorporaOutOfLine(database, transaction).catch(() => undefined);
      },
      blocked: () => blocked(),
      // A newer version of the app in another tab wants to upgrade: let it, and stop using the cache here.
      blocking: () => {
        void opening.then((db) => db.close());
        options.onTakenOver?.();
      },
    });
    const timeout = wasBlocked.then(() => new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), options.blockedWaitMs ?? BLOCKED_WAIT_MS)));
    const winner = await Promise.race([opening, timeout]);
    if (winner === 'blocked') {
      // If the other tab lets go later, the connection that then opens is not needed.
      void opening.then((db) => db.close(), () => undefined);
      return { db: null, problem: 'another Papermap tab keeps an older version of its storage open: close it (or reload it) to cache maps' };
    }
    return { db: winner, problem: null };
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    if (name === 'VersionError') return { db: null, problem: 'a newer version of Papermap has upgraded this browser\'s storage: reload to get it' };
    return { db: null, problem: `IndexedDB cannot be opened (${error instanceof Error ? error.message : String(error)}; private mode?)` };
  }
}

/** Opens the database; null when it cannot be used (see openPapermapDatabase for why). */
export async function openDatabase(name = DB_NAME): Promise<Database | null> {
  return (await openPapermapDatabase({ name })).db;
}
