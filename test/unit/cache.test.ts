import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAP_SCHEMA, MapCache, mapKey, mapModelKey, type MapEntry } from '../../src/cache/maps';
import { packMap, packedBytes, unpackMap, withBufferData, type StoredMap } from '../../src/cache/map-format';
import { openDatabase, writeFailure, type Database } from '../../src/cache/db';
import { CorpusStore, type StoredCorpus } from '../../src/cache/corpora';
import { dequantiseRows, quantiseRows } from '../../src/cache/quantise';
import { DEFAULT_PIPELINE_PARAMS, fileGeometry } from '../../src/pipeline/types';
import { syntheticMapEntry } from '../support/synthetic-map';
import { DEFAULT_MODEL_ID } from '../../src/model/models';

let dbCount = 0;
// Each test opens its own database, so no state leaks between them.
const freshName = () => `papermap-test-${++dbCount}`;

const entry = (n: number, key = 'k'): MapEntry => syntheticMapEntry(n, 16, { key });

/** The stored entry with its binary part replaced by these bytes. */
const withBytes = (stored: StoredMap, edit: (bytes: Uint8Array) => Uint8Array) => async () => {
  const bytes = new Uint8Array(await (stored.data as Blob).arrayBuffer());
  return { ...stored, data: new Blob([edit(bytes) as Uint8Array<ArrayBuffer>]) };
};

function expectSameMap(read: MapEntry, written: MapEntry): void {
  expect(read.coords).toEqual(written.coords);
  expect(read.levels).toEqual(written.levels);
  expect(read.levels[1]!.topics).toBeInstanceOf(Int32Array);
  const { embeddings, coords: _c, levels: _l, ...meta } = written;
  expect(read).toMatchObject(meta);
  expect(read.embeddings).toBeInstanceOf(Float32Array);
  expect(read.embeddings).toHaveLength(embeddings.length);
  // Half an int8 step: a step is at most 2/127, since a unit row is within 2 of the mean in each component.
  let worst = 0;
  for (let i = 0; i < embeddings.length; i++) worst = Math.max(worst, Math.abs(read.embeddings[i]! - embeddings[i]!));
  expect(worst).toBeGreaterThan(0);
  expect(worst).toBeLessThan(1 / 127);
}

describe('map cache keys', () => {
  it('differ by corpus, model and any parameter, and ignore parameter order', () => {
    const base = mapKey('c1', 'm/a', DEFAULT_PIPELINE_PARAMS);
    expect(mapKey('c2', 'm/a', DEFAULT_PIPELINE_PARAMS)).not.toBe(base);
    expect(mapKey('c1', 'm/b', DEFAULT_PIPELINE_PARAMS)).not.toBe(base);
    expect(mapKey('c1', 'm/a', { ...DEFAULT_PIPELINE_PARAMS, seed: 1 })).not.toBe(base);
    const reordered = Object.fromEntries(Object.entries(DEFAULT_PIPELINE_PARAMS).reverse()) as typeof DEFAULT_PIPELINE_PARAMS;
    expect(mapKey('c1', 'm/a', reordered)).toBe(base);
    expect(base.startsWith(`v${MAP_SCHEMA}|`)).toBe(true);
  });
});

describe('what a corpus file gave, in map keys', () => {
  const vectors = { data: new Float32Array(4), dims: 2 };
  const coords = new Float32Array(4);
  it('names the model only when it ran, so each kind of map is cached apart', () => {
    expect(mapModelKey('m/a', null)).toBe('m/a');
    expect(mapModelKey('m/a', { vectors, coords: null })).toBe('vectors-from-file');
    expect(mapModelKey('m/a', { vectors, coords })).toBe('vectors-from-file+xy-from-file');
    // Positions only: no model runs, and the map does not depend on which one is chosen.
    expect(mapModelKey('m/a', { vectors: null, coords })).toBe('xy-from-file');
    expect(mapModelKey('m/b', { vectors: null, coords })).toBe('xy-from-file');
    // Positions whose texts the user had embedded: one map per model.
    expect(mapModelKey('m/a', { vectors: null, coords, embed: true })).toBe('m/a+xy-from-file');
    expect(mapModelKey('m/b', { vectors: null, coords, embed: true })).toBe('m/b+xy-from-file');
  });
  it('says which file geometry stands in for the model', () => {
    expect(fileGeometry(null)).toBeNull();
    expect(fileGeometry({ vectors, coords })).toBe('vectors');
    expect(fileGeometry({ vectors: null, coords })).toBe('positions');
    expect(fileGeometry({ vectors: null, coords, embed: true })).toBeNull();
  });
});

describe('the stored map format', () => {
  it('keeps metadata as fields and the arrays as one binary part of 408 bytes a paper at 384 dims', () => {
    const stored = packMap(entry(5));
    expect(stored.data).toBeInstanceOf(Blob);
    expect((stored.data as Blob).size).toBe(packedBytes(5, 16));
    expect(stored).not.toHaveProperty('embeddings');
    expect(stored).not.toHaveProperty('coords');
    expect(stored.terms).toEqual(entry(5).levels.map((l) => l.terms));
    expect(packedBytes(100_000, 384)).toBe(40_800_000 + 4 * 384);
  });

  it('gives back coordinates and topics exactly and vectors within the int8 step', async () => {
    const written = entry(50);
    const read = await unpackMap(packMap(written), 50);
    expect(read.problem).toBeNull();
    expectSameMap(read.entry!, written);
  });

  it('stores the rows the worker already quantised, without quantising again or keeping them as a field', async () => {
    const written = entry(6);
    const quantised = quantiseRows(written.embeddings, written.dims);
    // Marked so that a second quantisation would show: the first row's codes all at +5.
    quantised.codes.fill(5, 0, written.dims);
    const stored = packMap({ ...written, quantised });
    expect(stored).not.toHaveProperty('quantised');
    const read = (await unpackMap(stored, 6)).entry!;
    expect(read.embeddings).toEqual(dequantiseRows(quantised));
    // The same bytes as packing the plain entry, but for the marked row.
    const plain = new Uint8Array(await (packMap(written).data as Blob).arrayBuffer());
    const given = new Uint8Array(await (stored.data as Blob).arrayBuffer());
    expect(given.length).toBe(plain.length);
    expect(given.filter((b, i) => b !== plain[i]).length).toBeGreaterThan(0);
    expect(given.subarray(0, given.length - 6 * written.dims)).toEqual(plain.subarray(0, plain.length - 6 * written.dims));
  });

  it('keeps a map without vectors (its file gave only positions): coordinates and topics, no vectors', async () => {
    const written: MapEntry = { ...entry(9), dims: 0, embeddings: new Float32Array(0), device: null };
    const stored = packMap(written);
    expect((stored.data as Blob).size).toBe(packedBytes(9, 0));
    const read = await unpackMap(stored, 9);
    expect(read.problem).toBeNull();
    expect(read.entry!.dims).toBe(0);
    expect(read.entry!.embeddings).toHaveLength(0);
    expect(read.entry!.coords).toEqual(written.coords);
    expect(read.entry!.levels).toEqual(written.levels);
    expect((await unpackMap({ ...stored, dims: -1 }, 9)).problem).toMatch(/dimension/);
  });

  it('reads the binary part stored as an ArrayBuffer too', async () => {
    const written = entry(7);
    const stored = await withBufferData(packMap(written));
    expect(stored.data).toBeInstanceOf(ArrayBuffer);
    expectSameMap((await unpackMap(stored, 7)).entry!, written);
  });

  it('names what is wrong with a broken entry', async () => {
    const stored = packMap(entry(3));
    const problem = async (value: unknown, n = 3) => (await unpackMap(value, n)).problem;
    expect(await problem(stored)).toBeNull();
    expect(await problem(stored, 4)).toMatch(/3 papers, the corpus has 4/);
    expect(await problem({ ...stored, schema: MAP_SCHEMA - 1 })).toMatch(`schema ${MAP_SCHEMA - 1} is not ${MAP_SCHEMA}`);
    expect(await problem('garbage')).toMatch(/not a map entry/);
    expect(await problem({ ...stored, terms: [] })).toMatch(/topic levels/);
    expect(await problem({ ...stored, dims: undefined })).toMatch(/dimension/);
    expect(await problem({ ...stored, data: undefined })).toMatch(/binary part is missing/);
    // The previous format: float32 arrays as fields, no binary part.
    const { data: _data, terms: _terms, ...old } = stored;
    expect(await problem({ ...old, ...entry(3), schema: MAP_SCHEMA })).toMatch(/topic levels are missing/);
  });

  it('refuses a truncated binary part, and one whose numbers cannot be right', async () => {
    const stored = packMap(entry(3));
    const problem = async (make: () => Promise<unknown>) => (await unpackMap(await make(), 3)).problem;
    expect(await problem(withBytes(stored, (b) => b.slice(0, b.length - 1)))).toMatch(/binary part has \d+ bytes, not \d+: it is truncated/);
    const nan = (at: number) => (b: Uint8Array) => {
      new DataView(b.buffer).setFloat32(at, NaN, true);
      return b;
    };
    expect(await problem(withBytes(stored, nan(4)))).toMatch(/coordinates are not finite/);
    // Topic ids start after 2n coordinates; the scales after three levels of n topic ids; the mean after n scales.
    expect(await problem(withBytes(stored, (b) => (new DataView(b.buffer).setInt32(4 * 6, 9999, true), b)))).toMatch(/topic ids at level 0 are out of range/);
    expect(await problem(withBytes(stored, nan(4 * (6 + 9))))).toMatch(/vector scales are not finite/);
    expect(await problem(withBytes(stored, nan(4 * (6 + 9 + 3))))).toMatch(/mean vector is not finite/);
  });
});

describe('MapCache on IndexedDB', () => {
  const opened: { close(): void }[] = [];
  afterEach(() => opened.splice(0).forEach((c) => c.close()));
  const openDb = async (name = freshName()) => {
    const db = (await openDatabase(name))!;
    opened.push(db);
    return db;
  };

  it('round-trips a map: coordinates and topics exactly, vectors within the int8 step', async () => {
    const cache = new MapCache(await openDb());
    const written = entry(40);
    expect(await cache.write(written)).toEqual({ stored: true });
    const read = await cache.read('k', 40);
    expect(read.entry).not.toBeNull();
    expectSameMap(read.entry!, written);
  });

  it('keeps the corpus fit with the map, so a query can be blended after a reload; a malformed fit is discarded', async () => {
    const db = await openDb();
    const cache = new MapCache(db);
    const fit = { terms: ['galaxy', 'protein'], idf: Float32Array.from([1.5, 2]), loadings: Float32Array.from([0.1, 0.2, 0.3, 0.4]), dims: 2, weight: 0.3, centre: new Float32Array(14).fill(0.1), queryIgnores: 4 };
    await cache.write({ ...entry(5), corpusFit: fit });
    expect((await cache.read('k', 5)).entry?.corpusFit).toEqual(fit);
    await cache.write({ ...entry(5), corpusFit: { ...fit, loadings: new Float32Array(3) } });
    const read = await cache.read('k', 5);
    expect(read.entry === null && read.reason).toMatch(/corpus fit is malformed/);
  });

  it('never serves the previous model\'s map for the current model: the model is in the key', async () => {
    const cache = new MapCache(await openDb());
    const previous = mapKey('corpus', 'papermap/wordvec-128', DEFAULT_PIPELINE_PARAMS);
    await cache.write(entry(4, previous));
    expect((await cache.read(mapKey('corpus', DEFAULT_MODEL_ID, DEFAULT_PIPELINE_PARAMS), 4)).entry).toBeNull();
    expect((await cache.read(previous, 4)).entry?.key).toBe(previous);
  });

  it('reports a miss for an unknown key', async () => {
    expect(await new MapCache(await openDb()).read('nope', 3)).toEqual({ entry: null, reason: 'not cached yet' });
  });

  it('deletes an entry that does not fit the corpus and reports why', async () => {
    const cache = new MapCache(await openDb());
    await cache.write(entry(3));
    const read = await cache.read('k', 5);
    expect(read.entry).toBeNull();
    expect(read.entry === null && read.reason).toMatch(/cached map discarded: it has 3 papers/);
    expect(await cache.keys()).toEqual([]);
  });

  it('discards an entry whose binary part is corrupt, so the map is recomputed', async () => {
    const db = await openDb();
    const cache = new MapCache(db);
    await cache.write(entry(3));
    const stored = (await db.get('maps', 'k'))!;
    await db.put('maps', await withBytes(stored, (b) => b.slice(0, 10))());
    const read = await cache.read('k', 3);
    expect(read.entry === null && read.reason).toMatch(/cached map discarded: the binary part has 10 bytes/);
    expect(await cache.keys()).toEqual([]);
  });

  it('discards an entry of the previous schema stored under the current key', async () => {
    const db = await openDb();
    const old = { ...entry(3), schema: MAP_SCHEMA - 1 };
    await db.put('maps', old as unknown as StoredMap);
    const read = await new MapCache(db).read('k', 3);
    expect(read.entry === null && read.reason).toMatch(`cached map discarded: schema ${MAP_SCHEMA - 1} is not ${MAP_SCHEMA}`);
  });

  it('frees the space of maps of older schemas when it writes a new one', async () => {
    const db = await openDb();
    const oldKey = mapKey('c', 'm', DEFAULT_PIPELINE_PARAMS).replace(`v${MAP_SCHEMA}|`, `v${MAP_SCHEMA - 1}|`);
    await db.put('maps', { ...entry(3), key: oldKey } as unknown as StoredMap);
    const cache = new MapCache(db);
    await cache.write(entry(3, mapKey('c', 'm', DEFAULT_PIPELINE_PARAMS)));
    expect(await cache.keys()).toEqual([mapKey('c', 'm', DEFAULT_PIPELINE_PARAMS)]);
  });

  it('stores the binary part as an ArrayBuffer where the browser refuses the Blob', async () => {
    const db = await openDb();
    // WebKit in private mode: "DataCloneError: BlobURLs are not yet supported".
    const refusesBlobs = new Proxy(db, {
      get(target, property) {
        if (property !== 'put') {
          const value = Reflect.get(target, property) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (store: 'maps', value: StoredMap) => (value.data instanceof Blob ? Promise.reject(new DOMException('BlobURLs are not yet supported', 'DataCloneError')) : target.put(store, value));
      },
    }) as Database;
    const cache = new MapCache(refusesBlobs);
    expect(await cache.write(entry(4))).toEqual({ stored: true });
    expect((await db.get('maps', 'k'))!.data).toBeInstanceOf(ArrayBuffer);
    expectSameMap((await cache.read('k', 4)).entry!, entry(4));
  });

  it('reports a failed write instead of throwing', async () => {
    const cache = new MapCache(await openDb());
    const unclonable = { ...entry(2), timings: { embed: () => 1 } } as unknown as MapEntry;
    const result = await cache.write(unclonable);
    expect(result.stored).toBe(false);
  });
});

/** A database as version 3 of the app left it: corpora keyed by their hash field (a key path). */
function openVersion3(name: string, corpora: StoredCorpus[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 3);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('maps', { keyPath: 'key' });
      db.createObjectStore('selections', { keyPath: 'id' }).createIndex('byCorpus', 'corpusHash');
      const store = db.createObjectStore('corpora', { keyPath: 'hash' });
      for (const corpus of corpora) store.put(corpus);
    };
    request.onsuccess = () => (request.result.close(), resolve());
    request.onerror = () => reject(request.error);
  });
}

const storedCorpus = (hash: string, titles: string[]): StoredCorpus => ({
  hash,
  name: `${hash}.csv`,
  source: { kind: 'file', name: `${hash}.csv` },
  importedAt: `2026-12-0${titles.length}T00:00:00.000Z`,
  corpus: { hash, papers: titles.map((title, i) => ({ id: `${hash}-${i}`, title, abstract: `About ${title}.` })) } as unknown as StoredCorpus['corpus'],
  vectors: { data: new Float32Array([0.5, -0.5]), dims: 2 },
  coords: null,
});

describe('stored corpora', () => {
  it('are keyed out of line (no copy of the corpus on put), and the corpora an older version stored move there intact', async () => {
    const name = freshName();
    const older = [storedCorpus('aaa', ['One', 'Two']), storedCorpus('bbb', ['Three'])];
    await openVersion3(name, older);
    const db = (await openDatabase(name))!;
    try {
      const store = db.transaction('corpora').store;
      expect(store.keyPath).toBeNull();
      expect([...db.objectStoreNames].sort()).toEqual(['corpora', 'maps', 'selections']);
      const corpora = new CorpusStore(db);
      expect(await corpora.get('aaa')).toEqual(older[0]);
      expect(await corpora.get('bbb')).toEqual(older[1]);
      const added = storedCorpus('ccc', ['Four', 'Five', 'Six']);
      await corpora.put(added);
      expect(await corpora.get('ccc')).toEqual(added);
      expect((await corpora.list()).map((c) => [c.hash, c.papers])).toEqual([['ccc', 3], ['aaa', 2], ['bbb', 1]]);
    } finally {
      db.close();
    }
  });
});

describe('writeFailure', () => {
  it('says in words why storage refused a write, and passes other errors on as they are', () => {
    expect(writeFailure(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toBe('browser storage is full');
    // Chromium ends a large write in a profile with limited storage as a bare abort.
    expect(writeFailure(new DOMException('', 'AbortError'))).toBe('the browser refused to store it: its storage is full or limited');
    expect(writeFailure(new DOMException('AbortError', 'AbortError'))).toBe('the browser refused to store it: its storage is full or limited');
    expect(writeFailure(new DOMException('Version change transaction was aborted in upgradeneeded event handler.', 'AbortError'))).toMatch(/^Version change/);
    expect(writeFailure(new Error('IndexedDB is not available'))).toBe('IndexedDB is not available');
  });
});
