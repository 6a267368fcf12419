import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAP_SCHEMA, MapCache, entryProblem, mapKey, type MapEntry } from '../../src/cache/maps';
import { DEFAULT_PIPELINE_PARAMS } from '../../workers/messages';

let dbCount = 0;
// Each test opens its own database, so no state leaks between them.
const freshName = () => `papermap-test-${++dbCount}`;

function entry(n: number, key = 'k'): MapEntry {
  return {
    key,
    schema: MAP_SCHEMA,
    corpusHash: 'h',
    modelId: 'm/x',
    params: DEFAULT_PIPELINE_PARAMS,
    n,
    dims: 4,
    embeddings: new Float32Array(n * 4).fill(0.5),
    coords: Float32Array.from({ length: 2 * n }, (_, i) => i),
    levels: [0, 1, 2].map(() => ({ topics: new Int32Array(n), terms: [{ topic: 0, size: n, terms: ['a'], label: 'a' }] })),
    device: 'wasm',
    fallback: null,
    warnings: [],
    timings: { embed: 1 },
    createdAt: '2026-01-01T00:00:00Z',
  };
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

describe('map cache entries', () => {
  it('accepts a sound entry and names what is wrong with a broken one', () => {
    expect(entryProblem(entry(3), 3)).toBeNull();
    expect(entryProblem(entry(3), 4)).toMatch(/3 papers, the corpus has 4/);
    expect(entryProblem({ ...entry(3), schema: MAP_SCHEMA - 1 }, 3)).toMatch(/schema/);
    expect(entryProblem({ ...entry(3), coords: new Float32Array(5) }, 3)).toMatch(/coordinates/);
    expect(entryProblem({ ...entry(3), coords: Float32Array.from([0, 1, NaN, 3, 4, 5]) }, 3)).toMatch(/not finite/);
    expect(entryProblem({ ...entry(3), levels: [] }, 3)).toMatch(/topic levels/);
    expect(entryProblem({ ...entry(3), levels: entry(2).levels }, 3)).toMatch(/topics are missing or the wrong size/);
    expect(entryProblem({ ...entry(3), embeddings: new Float32Array(2) }, 3)).toMatch(/embeddings/);
    expect(entryProblem('garbage', 3)).toMatch(/not a map entry/);
  });
});

describe('MapCache on IndexedDB', () => {
  const opened: MapCache[] = [];
  afterEach(() => opened.splice(0).forEach((c) => c.close()));
  const open = async () => {
    const cache = (await MapCache.open(freshName()))!;
    opened.push(cache);
    return cache;
  };

  it('round-trips typed arrays', async () => {
    const cache = await open();
    expect(await cache.write(entry(3))).toEqual({ stored: true });
    const read = await cache.read('k', 3);
    expect(read.entry?.coords).toBeInstanceOf(Float32Array);
    expect(Array.from(read.entry!.coords)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(read.entry?.levels[1]!.topics).toBeInstanceOf(Int32Array);
  });

  it('reports a miss for an unknown key', async () => {
    expect(await (await open()).read('nope', 3)).toEqual({ entry: null, reason: 'not cached yet' });
  });

  it('deletes an entry that does not fit the corpus and reports why', async () => {
    const cache = await open();
    await cache.write(entry(3));
    const read = await cache.read('k', 5);
    expect(read.entry).toBeNull();
    expect(read.entry === null && read.reason).toMatch(/cached map discarded: it has 3 papers/);
    expect(await cache.keys()).toEqual([]);
  });

  it('reports a failed write instead of throwing', async () => {
    const cache = await open();
    const unclonable = { ...entry(2), timings: { embed: () => 1 } } as unknown as MapEntry;
    const result = await cache.write(unclonable);
    expect(result.stored).toBe(false);
  });
});
