/**
 * The cache probe's page: the app's own map cache code (MapCache on the real IndexedDB, the stored
 * format, quantisation) driven with synthetic maps of any size, for the scale test and the browser
 * benchmark. Bundled by ./build.ts; nothing of it ships with the app.
 */
import { MapCache } from '../../../src/cache/maps';
import { openPapermapDatabase } from '../../../src/cache/db';
import { vectorLoss } from '../../support/vector-loss';
import { syntheticMapEntry } from '../../support/synthetic-map';

export interface ProbeMap {
  n: number;
  dims: number;
  /** The map's key; its corpus hash and model id, when it stands for a real corpus's map. */
  key: string;
  corpusHash?: string;
  modelId?: string;
}

export interface ProbeWrite {
  stored: boolean;
  reason: string | null;
  writeMs: number;
  /**
   * Bytes of the record as IndexedDB gives it back: its binary part plus its metadata as JSON. What the
   * browser's storage accounting (navigator.storage.estimate) says depends on the build: Chromium may
   * compress values on disk, so that figure is reported, never asserted.
   */
  recordBytes: number;
  usageBefore: number;
  usageAfter: number;
}

export interface ProbeRead {
  hit: boolean;
  reason: string | null;
  readMs: number;
  /** Coordinates and every level's topic ids equal to what was written. */
  coordsEqual: boolean;
  topicsEqual: boolean;
  termsEqual: boolean;
  /** Largest |component| error of the vectors read back, and the measured loss on a sample of rows. */
  maxComponentError: number;
  loss: ReturnType<typeof vectorLoss>;
}

async function openCache(): Promise<MapCache> {
  const { db, problem } = await openPapermapDatabase();
  if (!db) throw new Error(problem);
  return new MapCache(db);
}

const entryOf = (map: ProbeMap) => syntheticMapEntry(map.n, map.dims, { key: map.key, corpusHash: map.corpusHash, modelId: map.modelId });

const probe = {
  async write(map: ProbeMap): Promise<ProbeWrite> {
    const entry = entryOf(map);
    const cache = await openCache();
    const usageBefore = (await navigator.storage.estimate()).usage ?? 0;
    const t0 = performance.now();
    const written = await cache.write(entry);
    const writeMs = performance.now() - t0;
    const usageAfter = (await navigator.storage.estimate()).usage ?? 0;
    cache.close();
    const { db } = await openPapermapDatabase();
    const record = await db?.get('maps', map.key);
    db?.close();
    const { data, ...meta } = record ?? { data: new ArrayBuffer(0) };
    const recordBytes = (data instanceof Blob ? data.size : data.byteLength) + new TextEncoder().encode(JSON.stringify(meta)).length;
    return { stored: written.stored, reason: written.stored ? null : written.reason, writeMs, recordBytes, usageBefore, usageAfter };
  },

  async read(map: ProbeMap): Promise<ProbeRead> {
    const cache = await openCache();
    const t0 = performance.now();
    const read = await cache.read(map.key, map.n);
    const readMs = performance.now() - t0;
    cache.close();
    const expected = entryOf(map);
    const got = read.entry;
    const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.prototype.every.call(a, (x: number, i: number) => x === b[i]);
    let maxComponentError = Infinity;
    if (got) {
      maxComponentError = 0;
      for (let i = 0; i < got.embeddings.length; i++) maxComponentError = Math.max(maxComponentError, Math.abs(got.embeddings[i]! - expected.embeddings[i]!));
    }
    return {
      hit: got !== null,
      reason: got ? null : read.entry === null ? read.reason : null,
      readMs,
      coordsEqual: got !== null && same(got.coords, expected.coords),
      topicsEqual: got !== null && got.levels.length === expected.levels.length && got.levels.every((l, i) => same(l.topics, expected.levels[i]!.topics)),
      termsEqual: got !== null && JSON.stringify(got.levels.map((l) => l.terms)) === JSON.stringify(expected.levels.map((l) => l.terms)),
      maxComponentError,
      loss: got ? vectorLoss(expected.embeddings, got.embeddings, map.dims, { sample: 20 }) : { rows: 0, k: 0, maxAbsCosError: NaN, meanAbsCosError: NaN, topKAgreement: NaN },
    };
  },
};

export type CacheProbe = typeof probe;

declare global {
  interface Window {
    cacheProbe: CacheProbe;
  }
}

window.cacheProbe = probe;
